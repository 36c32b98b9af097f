// dossier search page: a small UI over Pagefind's JS API (index files under /pagefind/).
// Results as you type, with title, dek, byline, date and a highlighted excerpt; filters for
// author, topic, region and year with counts. Plain form controls, so keyboard-only works.
const app = document.getElementById("search-app");
const base = app.dataset.base || "/";
const FILTERS = [["author", "Author"], ["topic", "Topic"], ["region", "Region"], ["year", "Year"]];
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const filterBox = document.getElementById("search-filters");
const selected = {}; // filter name -> Set of values

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
// Pagefind excerpts mark matches with <mark>; keep only that markup.
function excerpt(html) {
  return esc(html.replace(/<mark>/g, "\u0001").replace(/<\/mark>/g, "\u0002").replace(/<[^>]*>/g, ""))
    .replace(/\u0001/g, "<mark>").replace(/\u0002/g, "</mark>");
}

function renderFilters(counts) {
  const focused = document.activeElement && document.activeElement.id;
  filterBox.innerHTML = "";
  for (const [name, label] of FILTERS) {
    const values = counts[name];
    if (!values || Object.keys(values).length === 0) continue;
    const fs = document.createElement("fieldset");
    fs.innerHTML = `<legend>${esc(label)}</legend>`;
    const entries = Object.entries(values).sort((a, b) => name === "year" ? b[0].localeCompare(a[0]) : a[0].localeCompare(b[0]));
    entries.forEach(([value, count], i) => {
      const id = `f-${name}-${i}`;
      const checked = selected[name]?.has(value) ? "checked" : "";
      const row = document.createElement("div");
      row.className = "filter-option";
      row.innerHTML = `<input type="checkbox" id="${id}" data-filter="${esc(name)}" value="${esc(value)}" ${checked}> <label for="${id}"><bdi>${esc(value)}</bdi> <span class="count">(${count})</span></label>`;
      fs.appendChild(row);
    });
    filterBox.appendChild(fs);
  }
  if (focused) document.getElementById(focused)?.focus();
}

filterBox.addEventListener("change", (e) => {
  const box = e.target;
  if (!box.dataset.filter) return;
  const set = (selected[box.dataset.filter] ||= new Set());
  box.checked ? set.add(box.value) : set.delete(box.value);
  run();
});

let pagefind;
let seq = 0;
async function run() {
  const my = ++seq;
  const q = input.value.trim();
  const filters = {};
  for (const [k, set] of Object.entries(selected)) if (set.size) filters[k] = { any: [...set] };
  if (!q && Object.keys(filters).length === 0) {
    list.innerHTML = "";
    status.textContent = "Type to search, or choose a filter.";
    renderFilters(await pagefind.filters());
    return;
  }
  const search = await pagefind.search(q || null, { filters });
  if (my !== seq) return;
  const data = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
  if (my !== seq) return;
  status.textContent = `${search.results.length} result${search.results.length === 1 ? "" : "s"}${q ? ` for “${q}”` : ""}`;
  list.innerHTML = data.map((d) => {
    const m = d.meta || {};
    return `<li class="search-result" lang="${esc(d.language || "")}">
      <a class="search-result-title" href="${esc(d.url)}">${esc(m.title || d.url)}</a>
      ${m.dek ? `<p class="search-result-dek">${esc(m.dek)}</p>` : ""}
      ${m.byline || m.date ? `<p class="search-result-meta">${m.byline ? `<bdi>${esc(m.byline)}</bdi>` : ""}${m.byline && m.date ? " · " : ""}${m.date ? esc(m.date) : ""}</p>` : ""}
      <p class="search-result-excerpt">${excerpt(d.excerpt || "")}</p>
    </li>`;
  }).join("");
  renderFilters(search.filters);
}

let timer;
input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 150); });
document.querySelector("#search-app form").addEventListener("submit", (e) => { e.preventDefault(); run(); });

(async () => {
  pagefind = await import(`${base}pagefind/pagefind.js`);
  await pagefind.init();
  app.hidden = false;
  const q = new URLSearchParams(location.search).get("q");
  if (q) input.value = q;
  input.focus();
  run();
})();
