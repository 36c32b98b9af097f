// dossier search page: a small UI over Pagefind's JS API for text matches and dossier's facet
// file for filters (index files under /pagefind/).
//
// The state (query, chosen filters, sort) lives in the URL — `?q=grain&topic=Energy&sort=newest`
// — so a search can be shared and the back button steps through it; the page reads it on every
// entry (the header's search box, a shared link, back/forward). Facets are the taxonomies,
// type, expert and year listed in #search-facets; a facet's counts are the results its values
// would give with the other facets' choices (values in one facet are alternatives), and values
// that would give nothing are left out. Results show the type, date and byline once, then an
// excerpt of the body; each carries its own language and direction. Plain form controls, so
// keyboard-only works, and the result count is announced through a live region.
const app = document.getElementById("search-app");
const base = app.dataset.base || "/";
const FACETS = [...document.querySelectorAll("#search-facets [data-filter]")].map((li) => [li.dataset.filter, li.textContent.trim()]);
const FACET_NAMES = new Set(FACETS.map(([name]) => name));
const SHOWN = 8; // values of a facet shown before "Show all"
// Results shown at first and added by "More results": each needs its fragment fetched (about
// 3.5 KB), so ten keep a first query light at 100,000 briefs (bench/RESULTS.md).
const PAGE = 10;
// The page's words (#search-words, from the site's translation files): `{n}`-style
// placeholders filled here, a count's form picked by the language's CLDR plural rules.
const WORDS = document.getElementById("search-words")?.dataset ?? {};
const LANG = document.documentElement.lang || "en";
const plural = new Intl.PluralRules(LANG);
// Latin digits unless the language tag asks for others (`ar-u-nu-arab`), as the pages do.
const num = new Intl.NumberFormat(LANG, /-u-.*nu-/.test(LANG) ? {} : { numberingSystem: "latn" });
function say(key, args = {}, fallback = "") {
  let s = WORDS[key] ?? fallback;
  for (const [k, v] of Object.entries(args)) s = s.replaceAll(`{${k}}`, typeof v === "number" ? num.format(v) : v);
  return s;
}
function count(n) {
  const cat = plural.select(n);
  const key = `results${cat[0].toUpperCase()}${cat.slice(1)}`;
  return say(key in WORDS ? key : "resultsOther", { n }, `${n} results`);
}
const input = document.getElementById("search-q");
const sortBox = document.getElementById("search-sort");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const panel = document.getElementById("search-filters-panel");
const filterBox = document.getElementById("search-filters");
const filterCount = document.getElementById("search-filter-count");
const moreButton = document.getElementById("search-more");
const state = { q: "", sort: "", selected: {} }; // selected: facet name -> Set of values
const expanded = new Set(); // facets showing every value
const ids = new Map(); // "facet\u0000value" -> a stable element id (keeps focus across renders)

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
// Excerpts are HTML (the page's text, entities kept, matches in <mark>): parsed inertly, and
// only the text and the marks kept.
function excerpt(html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  let out = "";
  for (const node of doc.body.firstChild?.childNodes || []) {
    const text = esc(node.textContent);
    out += node.nodeName === "MARK" ? `<mark>${text}</mark>` : text;
  }
  return out;
}
// A word on most pages keeps no position in the body (src/search/postings.rs:
// that keeps its index chunk small), so Pagefind's excerpt of such a page is the body's start
// with nothing marked. The excerpt is then cut here from the result's text: about 30 words
// from a little before the first word that begins like the query's longest word (a word of
// five letters or more without its last, of seven or more without its last two, for endings:
// "reserves" finds "reserve" and "reserved"), every query word in it marked.
// The text is the page's, entities kept; `excerpt` parses it as Pagefind's excerpts are.
const fold = (s) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLocaleLowerCase(LANG).replace(/[^\p{L}\p{N}]/gu, "");
function textExcerpt(content, q) {
  const stems = q.split(/\s+/).map(fold).filter(Boolean).map((t) => (t.length > 6 ? t.slice(0, -2) : t.length > 4 ? t.slice(0, -1) : t));
  const tokens = (content || "").split(/\s+/).filter(Boolean);
  const folded = tokens.map((tok) => fold(tok.replace(/&[#\w]+;/g, "")));
  const hit = (k) => folded[k] && stems.some((s) => folded[k].startsWith(s));
  // Longer words are rarer: the excerpt is cut around the longest query word the text has.
  let first = -1;
  for (const s of [...stems].sort((a, b) => b.length - a.length)) {
    first = folded.findIndex((f) => f.startsWith(s));
    if (first >= 0) break;
  }
  if (first < 0) return null;
  const from = Math.max(0, first - 6);
  const shownTokens = tokens.slice(from, from + 30).map((t, k) => (hit(from + k) ? `<mark>${t}</mark>` : t));
  return (from > 0 ? "… " : "") + shownTokens.join(" ") + (from + 30 < tokens.length ? " …" : "");
}
function direction(lang) {
  try {
    const l = new Intl.Locale(lang);
    const info = l.getTextInfo ? l.getTextInfo() : l.textInfo;
    if (info && info.direction) return info.direction;
  } catch { /* not a language tag */ }
  return /^(ar|fa|he|ur|ps|ckb|dv|yi|sd|ug)(-|$)/i.test(lang) ? "rtl" : "ltr";
}
function idFor(name, value) {
  const key = `${name}\u0000${value}`;
  if (!ids.has(key)) ids.set(key, `f-${ids.size}`);
  return ids.get(key);
}

// --- state <-> URL ---------------------------------------------------------------------------
function readUrl() {
  const p = new URLSearchParams(location.search);
  state.q = p.get("q") || "";
  state.sort = p.get("sort") === "newest" ? "newest" : "";
  state.selected = {};
  for (const [name] of FACETS) {
    const values = p.getAll(name).filter(Boolean);
    if (values.length) state.selected[name] = new Set(values);
  }
  input.value = state.q;
  sortBox.value = state.sort;
}
function writeUrl(push) {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  for (const [name] of FACETS) for (const v of state.selected[name] || []) p.append(name, v);
  if (state.sort) p.set("sort", state.sort);
  const query = p.toString();
  const url = `${location.pathname}${query ? `?${query}` : ""}`;
  if (url === `${location.pathname}${location.search}`) return;
  history[push ? "pushState" : "replaceState"](null, "", url);
}
function chosen() {
  return Object.values(state.selected).reduce((n, s) => n + s.size, 0);
}

// --- rendering -------------------------------------------------------------------------------
function renderFilters(counts) {
  const focused = document.activeElement && filterBox.contains(document.activeElement) ? document.activeElement.id : null;
  filterBox.innerHTML = "";
  for (const [name, label] of FACETS) {
    const values = counts[name] || {};
    const picked = state.selected[name] || new Set();
    const entries = Object.entries(values).filter(([v, n]) => n > 0 || picked.has(v));
    for (const v of picked) if (!(v in values)) entries.push([v, 0]);
    if (entries.length === 0) continue;
    entries.sort(name === "year"
      ? (a, b) => b[0].localeCompare(a[0])
      : (a, b) => (b[1] - a[1]) || a[0].localeCompare(b[0]));
    const fs = document.createElement("fieldset");
    fs.className = `facet facet-${name.replace(/[^a-z0-9-]/gi, "-")}`;
    fs.innerHTML = `<legend>${esc(label)}</legend>`;
    const all = expanded.has(name);
    entries.forEach(([value, count], i) => {
      if (!all && i >= SHOWN && !picked.has(value)) return;
      const id = idFor(name, value);
      const row = document.createElement("div");
      row.className = "filter-option";
      row.innerHTML = `<input type="checkbox" id="${id}" data-filter="${esc(name)}" value="${esc(value)}" ${picked.has(value) ? "checked" : ""}> <label for="${id}"><bdi>${esc(value)}</bdi> <span class="count">(${count})</span></label>`;
      fs.appendChild(row);
    });
    if (entries.length > SHOWN) {
      const more = document.createElement("button");
      more.type = "button";
      more.className = "facet-more";
      more.id = `more-${idFor(name, "")}`;
      more.dataset.facet = name;
      more.setAttribute("aria-expanded", String(all));
      more.textContent = all ? say("showFewer", {}, "Show fewer") : say("showAll", { n: entries.length }, `Show all ${entries.length}`);
      fs.appendChild(more);
    }
    filterBox.appendChild(fs);
  }
  const n = chosen();
  filterCount.textContent = n ? ` ${say("chosen", { n }, `(${n} chosen)`)}` : "";
  if (focused) document.getElementById(focused)?.focus();
}

function renderResult(d) {
  const m = d.meta || {};
  // Briefs not in the site's language carry a `lang` filter; the rest are in the page's.
  const lang = (d.filters?.lang || [])[0] || document.documentElement.lang || "";
  const attrs = lang ? ` lang="${esc(lang)}" dir="${direction(lang)}"` : "";
  const facts = [
    m.type ? `<span class="search-result-type">${esc(m.type)}</span>` : "",
    m.date ? `<span class="search-result-date">${esc(m.date)}</span>` : "",
    m.byline ? `<bdi class="search-result-byline">${esc(m.byline)}</bdi>` : "",
  ].filter(Boolean).join(" · ");
  const cut = shown.q && !/<mark>/i.test(d.excerpt || "") ? textExcerpt(d.content, shown.q) : null;
  const text = cut ?? d.excerpt ?? "";
  // A short page's excerpt (a topic's, an expert's) can be its title again: leave it out.
  const plain = text.replace(/<[^>]*>/g, "").replace(/[.\s]+$/, "").trim();
  const repeat = !plain || (m.title || "").includes(plain);
  return `<li class="search-result"${attrs}>
      <a class="search-result-title" href="${esc(d.url)}">${esc(m.title || d.url)}</a>
      ${facts ? `<p class="search-result-meta">${facts}</p>` : ""}
      ${m.dek ? `<p class="search-result-dek">${esc(m.dek)}</p>` : ""}
      ${repeat ? "" : `<p class="search-result-excerpt">${excerpt(text)}</p>`}
    </li>`;
}

// --- the index: Pagefind finds text, dossier's facet file filters, counts and sorts ----------
// Pagefind's own filters cost 2 MB and a count quadratic in the results at 100,000 briefs, so
// Pagefind is asked for text matches only. The facet file (`dossier.<id>.pf_facets`, named in
// pagefind-entry.json) lists each filter value's pages by Pagefind's page numbers; the page
// hashes in the pf_meta file map a result to its number. Pages are numbered briefs newest
// first, so "newest" is ascending page number.
async function indexFile(path) {
  const resp = await fetch(`${base}pagefind/${path}`);
  if (!resp.ok) throw new Error(`${path}: HTTP ${resp.status}`);
  const plain = resp.body.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(plain).arrayBuffer()).subarray(12); // "pagefind_dcd"
}
// The page hashes of a pf_meta file: [version, [[hash, word count, …], …], …] in CBOR.
function pageHashes(bytes) {
  let at = 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const head = () => {
    const b = bytes[at++];
    const info = b & 31;
    let n = info;
    if (info === 24) n = bytes[at++];
    else if (info === 25) { n = view.getUint16(at); at += 2; }
    else if (info === 26) { n = view.getUint32(at); at += 4; }
    else if (info > 26) throw new Error("pf_meta: unexpected CBOR");
    return [b >> 5, n];
  };
  const decoder = new TextDecoder();
  const text = () => { const [, n] = head(); const s = decoder.decode(bytes.subarray(at, at + n)); at += n; return s; };
  const skip = () => {
    const [major, n] = head();
    if (major === 2 || major === 3) at += n;
    else if (major === 4) for (let i = 0; i < n; i++) skip();
    else if (major === 5) for (let i = 0; i < 2 * n; i++) skip();
  };
  head(); // the top array
  text(); // Pagefind's version
  const [, count] = head();
  const hashes = new Array(count);
  for (let i = 0; i < count; i++) {
    const [, fields] = head();
    hashes[i] = text();
    for (let f = 1; f < fields; f++) skip();
  }
  return hashes;
}
// Pagefind's choice of index for the page's language.
function pickLanguage(languages) {
  const lang = document.documentElement.lang || "unknown";
  return languages[lang] || languages[lang.split("-")[0]]
    || Object.values(languages).sort((a, b) => b.page_count - a.page_count)[0];
}
// `pagefindReady`: Pagefind has loaded the pf_meta file, so the browser has it cached.
async function loadFacets(pagefindReady) {
  const entry = await (await fetch(`${base}pagefind/pagefind-entry.json?ts=${Date.now()}`)).json();
  const index = pickLanguage(entry.languages || {});
  if (!index || !index.dossier_facets) throw new Error("this index has no dossier facet file");
  const facetFile = indexFile(`dossier.${index.dossier_facets}.pf_facets`);
  const meta = await pagefindReady.then(() => indexFile(`pagefind.${index.hash}.pf_meta`));
  const facetBytes = await facetFile;
  const hashes = pageHashes(meta);
  // A JSON header (its length in 4 bytes first), then each value's pages: count, deltas.
  const bytes = facetBytes;
  const size = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  const head = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + size)));
  if (head.version !== 2 || head.pages !== hashes.length) throw new Error("the facet file does not match the index");
  let at = 4 + size;
  const varint = () => {
    let n = 0;
    let scale = 1;
    let b;
    do { b = bytes[at++]; n += (b & 127) * scale; scale *= 128; } while (b & 128);
    return n;
  };
  const rowOf = new Map(hashes.map((h, i) => [h, i]));
  // Per filter: its values, each value's pages, and each page's values (for counting).
  const facets = {};
  for (const [name, names] of head.facets) {
    const pages = names.map(() => {
      const out = new Uint32Array(varint());
      let page = 0;
      for (let i = 0; i < out.length; i++) { page += varint(); out[i] = page; }
      return out;
    });
    const start = new Uint32Array(hashes.length + 1);
    for (const list of pages) for (const page of list) start[page + 1]++;
    for (let i = 0; i < hashes.length; i++) start[i + 1] += start[i];
    const fill = start.slice(0, hashes.length);
    const of = new Uint32Array(start[hashes.length]);
    pages.forEach((list, v) => { for (const page of list) of[fill[page]++] = v; });
    facets[name] = { names, pages, start, of };
  }
  return { hashes, rowOf, facets, total: hashes.length };
}
let pagefind;
let index = null; // the loaded facet index
let indexLoading = null;
let pagefindReady;
// The facet file is fetched when first needed: at once where the filters show (wide screens),
// else when the panel is opened, a filter is chosen or results are sorted by date (on a phone a
// plain query downloads no facets).
function needIndex() {
  if (!indexLoading) {
    indexLoading = loadFacets(pagefindReady).then((loaded) => { index = loaded; });
    indexLoading.catch((e) => {
      console.error(e);
      filterBox.textContent = say("filtersFailed", {}, "Filters could not be loaded.");
    });
  }
  return indexLoading;
}

// The chosen filters as [facet name, facet, flag per value].
function rules() {
  return Object.entries(state.selected).filter(([, set]) => set.size).map(([name, set]) => {
    const f = index.facets[name];
    return [name, f, f ? Uint8Array.from(f.names, (v) => (set.has(v) ? 1 : 0)) : null];
  });
}
// Whether a page passes every rule except `skip`'s (values in one facet are alternatives).
function passes(page, chosenRules, skip) {
  for (const [name, f, flags] of chosenRules) {
    if (name === skip) continue;
    if (!f) return false;
    let hit = false;
    for (let k = f.start[page]; k < f.start[page + 1]; k++) if (flags[f.of[k]]) { hit = true; break; }
    if (!hit) return false;
  }
  return true;
}
// Each facet's counts over `pages` (all pages when null): a facet with choices is counted as if
// it had none.
function countFacets(pages) {
  const counts = {};
  const chosenRules = rules();
  for (const [name] of FACETS) {
    const f = index.facets[name];
    if (!f) continue;
    const n = new Uint32Array(f.names.length);
    const each = (page) => {
      if (!passes(page, chosenRules, name)) return;
      for (let k = f.start[page]; k < f.start[page + 1]; k++) n[f.of[k]]++;
    };
    if (pages) pages.forEach(each); else for (let p = 0; p < index.total; p++) each(p);
    counts[name] = Object.fromEntries(f.names.map((v, i) => [v, n[i]]));
  }
  return counts;
}
// A page's result data when Pagefind did not find it by text (filters only): its fragment,
// with the start of its body as the excerpt.
const fragments = new Map();
function fragmentOf(page) {
  const hash = index.hashes[page];
  if (!fragments.has(hash)) {
    fragments.set(hash, indexFile(`fragment/${hash}.pf_fragment`).then((bytes) => {
      const data = JSON.parse(new TextDecoder().decode(bytes));
      const words = (data.content || "").split(/\s+/);
      data.excerpt = words.slice(0, 30).join(" ") + (words.length > 30 ? "…" : "");
      return data;
    }));
  }
  return fragments.get(hash);
}

let seq = 0;
async function run() {
  const my = ++seq;
  const { q } = state;
  const filtering = chosen() > 0;
  if (!q && !filtering) {
    list.innerHTML = "";
    moreButton.hidden = true;
    status.textContent = say("prompt", {}, "Type to search, or choose a filter.");
    if (index) renderFilters(countFacets(null));
    return;
  }
  // Filters and sorting by date need the facet file; a plain query does not wait for it.
  if ((filtering || state.sort === "newest") && !index) await needIndex();
  const found = q ? (await pagefind.search(q)).results : null;
  if (my !== seq) return;
  let hits; // [page number or -1, data()]
  if (found) {
    hits = found.map((r) => [index ? (index.rowOf.get(r.id) ?? -1) : -1, r.data]);
    const chosenRules = filtering ? rules() : [];
    if (filtering) hits = hits.filter(([page]) => page >= 0 && passes(page, chosenRules, null));
    if (state.sort === "newest") hits.sort((a, b) => a[0] - b[0]);
  } else {
    hits = [];
    const chosenRules = rules();
    for (let p = 0; p < index.total; p++) if (passes(p, chosenRules, null)) hits.push([p, () => fragmentOf(p)]);
  }
  const data = await Promise.all(hits.slice(0, PAGE).map(([, load]) => load()));
  if (my !== seq) return;
  shown = { hits, q, n: data.length };
  list.innerHTML = data.map(renderResult).join("");
  sayShown();
  // Counts over the text matches (every page for filters alone), once the facets are in.
  const counted = () => {
    if (my !== seq) return;
    const pages = found ? found.map((r) => index.rowOf.get(r.id)).filter((p) => p !== undefined) : null;
    renderFilters(countFacets(pages));
  };
  if (index) counted(); else if (indexLoading) indexLoading.then(counted, () => {});
}

// What the last run found and how many of its results are on the page.
let shown = { hits: [], q: "", n: 0 };
function sayShown() {
  const { hits, q, n } = shown;
  let said = count(hits.length);
  if (q) said = say("resultsFor", { results: said, q }, `${said} for “${q}”`);
  if (hits.length > n) said = say("showingFirst", { results: said, n }, `${said}, showing the first ${n}`);
  status.textContent = said;
  moreButton.hidden = hits.length <= n;
}
// The next results, added below; focus moves to the first of them.
async function showMore() {
  const my = seq;
  const from = shown.n;
  const data = await Promise.all(shown.hits.slice(from, from + PAGE).map(([, load]) => load()));
  if (my !== seq) return;
  list.insertAdjacentHTML("beforeend", data.map(renderResult).join(""));
  shown.n += data.length;
  sayShown();
  list.children[from]?.querySelector("a")?.focus();
}

// --- events ----------------------------------------------------------------------------------
moreButton.addEventListener("click", showMore);
filterBox.addEventListener("change", (e) => {
  const box = e.target;
  if (!box.dataset.filter || !FACET_NAMES.has(box.dataset.filter)) return;
  const set = (state.selected[box.dataset.filter] ||= new Set());
  box.checked ? set.add(box.value) : set.delete(box.value);
  writeUrl(true);
  run();
});
filterBox.addEventListener("click", (e) => {
  const more = e.target.closest(".facet-more");
  if (!more) return;
  const name = more.dataset.facet;
  expanded.has(name) ? expanded.delete(name) : expanded.add(name);
  run().then(() => document.getElementById(more.id)?.focus());
});
sortBox.addEventListener("change", () => {
  state.sort = sortBox.value;
  writeUrl(true);
  run();
});
let timer;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => {
    state.q = input.value.trim();
    writeUrl(false);
    run();
  }, 150);
});
document.querySelector("#search-app form").addEventListener("submit", (e) => {
  e.preventDefault();
  clearTimeout(timer);
  state.q = input.value.trim();
  writeUrl(true);
  run();
});
addEventListener("popstate", () => {
  readUrl();
  run();
});

(async () => {
  // Pagefind (text) and the facet file load side by side; results do not wait for facets.
  let started;
  pagefindReady = new Promise((ok) => { started = ok; });
  // On a phone the filters start folded, so the results come first.
  if (matchMedia("(max-width: 51.99rem)").matches) panel.open = false;
  readUrl();
  if (panel.open || chosen() > 0 || state.sort) needIndex();
  panel.addEventListener("toggle", () => {
    if (panel.open && !index) needIndex().then(() => run(), () => {});
  });
  pagefind = await import(`${base}pagefind/pagefind.js`);
  await pagefind.init();
  started();
  app.hidden = false;
  if (!state.q && chosen() === 0) input.focus();
  await run();
  // With nothing typed yet, the facets show every page's values once they arrive.
  indexLoading?.then(() => { if (!state.q && chosen() === 0) run(); }, () => {});
})();
