// dossier search page: a small UI over Pagefind's JS API (index files under /pagefind/).
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
const input = document.getElementById("search-q");
const sortBox = document.getElementById("search-sort");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const panel = document.getElementById("search-filters-panel");
const filterBox = document.getElementById("search-filters");
const filterCount = document.getElementById("search-filter-count");
const state = { q: "", sort: "", selected: {} }; // selected: facet name -> Set of values
const expanded = new Set(); // facets showing every value
const ids = new Map(); // "facet\u0000value" -> a stable element id (keeps focus across renders)

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
// Pagefind excerpts mark matches with <mark>; keep only that markup.
function excerpt(html) {
  return esc(html.replace(/<mark>/g, "\u0001").replace(/<\/mark>/g, "\u0002").replace(/<[^>]*>/g, ""))
    .replace(/\u0001/g, "<mark>").replace(/\u0002/g, "</mark>");
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
function filtersExcept(skip) {
  const filters = {};
  for (const [k, set] of Object.entries(state.selected)) if (k !== skip && set.size) filters[k] = { any: [...set] };
  return filters;
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
      more.textContent = all ? "Show fewer" : `Show all ${entries.length}`;
      fs.appendChild(more);
    }
    filterBox.appendChild(fs);
  }
  const n = chosen();
  filterCount.textContent = n ? ` (${n} chosen)` : "";
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
  // A short page's excerpt (a topic's, an expert's) can be its title again: leave it out.
  const plain = (d.excerpt || "").replace(/<[^>]*>/g, "").replace(/[.\s]+$/, "").trim();
  const repeat = !plain || (m.title || "").includes(plain);
  return `<li class="search-result"${attrs}>
      <a class="search-result-title" href="${esc(d.url)}">${esc(m.title || d.url)}</a>
      ${facts ? `<p class="search-result-meta">${facts}</p>` : ""}
      ${m.dek ? `<p class="search-result-dek">${esc(m.dek)}</p>` : ""}
      ${repeat ? "" : `<p class="search-result-excerpt">${excerpt(d.excerpt)}</p>`}
    </li>`;
}

// --- searching -------------------------------------------------------------------------------
let pagefind;
let totals = {};
let seq = 0;
async function run() {
  const my = ++seq;
  const { q } = state;
  const filters = filtersExcept(null);
  if (!q && Object.keys(filters).length === 0) {
    list.innerHTML = "";
    status.textContent = "Type to search, or choose a filter.";
    renderFilters(totals);
    return;
  }
  const options = { filters };
  if (state.sort === "newest" || !q) options.sort = { date: "desc" };
  const search = await pagefind.search(q || null, options);
  // Each facet with choices is counted as if it had none (its values are alternatives).
  const counts = { ...search.filters };
  await Promise.all(Object.keys(filters).map(async (name) => {
    const other = await pagefind.search(q || null, { filters: filtersExcept(name) });
    counts[name] = other.filters[name] || {};
  }));
  if (my !== seq) return;
  const data = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
  if (my !== seq) return;
  const n = search.results.length;
  const shown = n > data.length ? `, showing the first ${data.length}` : "";
  status.textContent = `${n} result${n === 1 ? "" : "s"}${q ? ` for “${q}”` : ""}${shown}`;
  list.innerHTML = data.map(renderResult).join("");
  renderFilters(counts);
}

// --- events ----------------------------------------------------------------------------------
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
  pagefind = await import(`${base}pagefind/pagefind.js`);
  await pagefind.init();
  totals = await pagefind.filters();
  // On a phone the filters start folded, so the results come first.
  if (matchMedia("(max-width: 51.99rem)").matches) panel.open = false;
  readUrl();
  app.hidden = false;
  if (!state.q && chosen() === 0) input.focus();
  await run();
})();
