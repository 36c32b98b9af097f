// Issues 8 and 30: site search with facets, in a real browser, on every way a reader arrives.
// The demo is built with --drafts and --future so that the draft and the scheduled brief exist
// as pages: they must still not be found.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { buildDemo, serve, launch, screenshotDir } from "./support.mjs";

const require = createRequire(import.meta.url);
let server, browser;
before(async () => {
  server = await serve(buildDemo(["--drafts", "--future"]));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path = "/search/", width = 1280) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(server.url + path);
  await page.locator("#search-q").waitFor({ state: "visible" });
  return page;
}
const settled = (page) => page.waitForFunction(() => /result|Type to search/.test(document.getElementById("search-status").textContent));

async function query(page, q) {
  await page.locator("#search-q").fill(q);
  // “q” in English, «q» in Arabic.
  await page.waitForFunction((q) => /[“«]/.test(document.getElementById("search-status").textContent)
    && document.getElementById("search-status").textContent.includes(q), q);
  return page.locator(".search-result-title").allTextContents();
}
const resultCount = (page) => page.locator(".search-result").count();
const statusCount = async (page) => Number((await page.locator("#search-status").textContent()).match(/^(\d+) result/)[1]);
const facetLegends = (page) => page.locator(".search-filters legend").allTextContents();
const params = (page) => new URL(page.url()).searchParams;

test("a query finds the expected brief first: type, date and byline once, an excerpt from the body", async () => {
  const page = await open();
  const titles = await query(page, "militias checkpoint");
  assert.equal(titles[0], "The Checkpoint Economy");
  const first = page.locator(".search-result").first();
  assert.match(await first.locator(".search-result-dek").textContent(), /armed factions live off roads/);
  assert.equal((await first.locator(".search-result-meta").textContent()).trim(), "Policy brief · 30 September 2026 · Tariq al-Hashimi");
  const excerpt = await first.locator(".search-result-excerpt").textContent();
  assert.ok((await first.locator(".search-result-excerpt mark").count()) > 0);
  // The excerpt is body text: not the title, the dek or the byline again.
  assert.ok(!excerpt.includes("The Checkpoint Economy"), excerpt);
  assert.ok(!excerpt.includes("armed factions live off roads"), excerpt);
  assert.ok(!excerpt.includes("Tariq al-Hashimi"), excerpt);
  assert.equal(await first.locator("a").getAttribute("href"), "/briefs/militia-economies-iraq/");
  assert.equal(await first.getAttribute("lang"), "en");
  assert.equal(params(page).get("q"), "militias checkpoint");
  await page.close();
});

test("arriving from the header box: results and facets without typing, no empty values", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.url + "/");
  await page.locator("#header-q").fill("Iraq");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/search\/\?q=Iraq/);
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length > 0);
  assert.equal(await page.locator("#search-q").inputValue(), "Iraq");
  const legends = await facetLegends(page);
  for (const facet of ["Type", "Topic", "Region", "Programme", "Expert", "Year"]) assert.ok(legends.includes(facet), `${facet} in ${legends}`);
  assert.deepEqual(legends, [...legends].sort((a, b) => ["Type", "Topic", "Region", "Programme", "Expert", "Year"].indexOf(a) - ["Type", "Topic", "Region", "Programme", "Expert", "Year"].indexOf(b)));
  const counts = await page.locator(".search-filters .count").allTextContents();
  assert.ok(counts.length > 0);
  assert.ok(!counts.includes("(0)"), counts.join(" "));
  // A value's count is what choosing it gives.
  const n = await resultCount(page);
  for (const c of counts) assert.ok(Number(c.slice(1, -1)) <= n, `${c} > ${n}`);
  // The header's box is not repeated on the search page: one search landmark.
  assert.equal(await page.locator("[role=search], search").count(), 1);
  await page.close();
});

test("filters live in the URL: a shared link restores them, back and forward step through them", async () => {
  const page = await open("/search/?q=policy&author=Mei-Lin+Zhou");
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length > 0);
  const option = page.locator(".search-filters input[data-filter=author][value='Mei-Lin Zhou']");
  assert.ok(await option.isChecked());
  const narrowed = await page.locator(".search-result-meta").allTextContents();
  for (const m of narrowed) assert.match(m, /Mei-Lin Zhou/);
  const withHer = await statusCount(page);
  // The value's count is the number of results it gives.
  assert.equal(await page.locator(".search-filters label[for]", { hasText: "Mei-Lin Zhou" }).locator(".count").textContent(), `(${withHer})`);

  // Keyboard only: choose a year too.
  const year = page.locator(".search-filters input[data-filter=year]").first();
  const yearValue = await year.getAttribute("value");
  await year.focus();
  await page.keyboard.press("Space");
  await page.waitForFunction(() => new URL(location.href).searchParams.has("year"));
  assert.equal(params(page).get("year"), yearValue);
  assert.deepEqual(params(page).getAll("author"), ["Mei-Lin Zhou"]);

  await page.goBack();
  await page.waitForFunction(() => !new URL(location.href).searchParams.has("year"));
  await page.waitForFunction(() => !document.querySelector(".search-filters input[data-filter=year]:checked"));
  assert.ok(await option.isChecked());
  assert.equal(await statusCount(page), withHer);
  await page.goForward();
  await page.waitForFunction(() => document.querySelector(".search-filters input[data-filter=year]:checked"));
  await page.close();
});

test("values in one facet are alternatives; facets narrow each other", async () => {
  const page = await open("/search/?q=policy");
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length > 0);
  const all = await statusCount(page);
  const topics = page.locator(".search-filters input[data-filter=topic]");
  const a = await topics.nth(0).getAttribute("value");
  const b = await topics.nth(1).getAttribute("value");
  const countOf = async (v) => Number((await page.locator(`.search-filters input[data-filter=topic][value="${v}"] + label .count`).textContent()).slice(1, -1));
  const [na, nb] = [await countOf(a), await countOf(b)];
  await topics.nth(0).check();
  await page.waitForFunction((n) => document.getElementById("search-status").textContent.startsWith(`${n} result`), na);
  // The other topic is still offered, with the count it would give on its own.
  assert.equal(await countOf(b), nb);
  await page.locator(`.search-filters input[data-filter=topic][value="${b}"]`).check();
  await page.waitForFunction(() => new URL(location.href).searchParams.getAll("topic").length === 2);
  const both = await statusCount(page);
  assert.ok(both >= Math.max(na, nb) && both <= Math.min(all, na + nb), `${both} of ${na}+${nb}`);
  await page.close();
});

test("sort by newest, kept in the URL", async () => {
  const page = await open("/search/?q=policy");
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length > 2);
  await page.locator("#search-sort").selectOption("newest");
  await page.waitForFunction(() => new URL(location.href).searchParams.get("sort") === "newest");
  await settled(page);
  const dates = (await page.locator(".search-result-date").allTextContents()).map((d) => Date.parse(d));
  assert.ok(dates.length > 2);
  assert.deepEqual(dates, [...dates].sort((x, y) => y - x));
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length > 2);
  assert.equal(await page.locator("#search-sort").inputValue(), "newest");
  await page.close();
});

test("at 390 px the results come first and the filters fold", async () => {
  server.hits.clear();
  const page = await open("/search/?q=policy", 390);
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length > 0);
  // Folded filters are not downloaded until they are opened.
  const facetFiles = () => [...server.hits.keys()].filter((p) => p.endsWith(".pf_facets")).length;
  assert.equal(facetFiles(), 0);
  const top = await page.locator(".search-result").first().evaluate((e) => e.getBoundingClientRect().top);
  assert.ok(top < 900 * 0.6, `first result at ${top}px`);
  assert.equal(await page.locator("#search-filters-panel").getAttribute("open"), null);
  assert.ok(!(await page.locator(".search-filters fieldset").first().isVisible()));
  await page.screenshot({ path: join(screenshotDir(), "search-results-390.png") });
  await page.locator("#search-filters-panel summary").click();
  await page.locator(".search-filters fieldset").first().waitFor({ state: "visible" });
  assert.equal(facetFiles(), 1);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `overflows by ${overflow}px`);
  await page.screenshot({ path: join(screenshotDir(), "search-filters-390.png"), fullPage: true });
  await page.close();
});

test("an Arabic query finds the Arabic brief in the Arabic index, its result set right to left", async () => {
  const page = await open("/ar/search/");
  const titles = await query(page, "دجلة");
  assert.equal(titles[0], "تقاسم مياه دجلة في زمن الجفاف");
  // The Arabic section's index holds Arabic pages only.
  const langs = await page.locator(".search-result").evaluateAll((rs) => rs.map((r) => r.lang));
  assert.ok(langs.length >= 1 && langs.every((l) => l === "ar"), JSON.stringify(langs));
  assert.equal(await page.locator("html").getAttribute("lang"), "ar");
  const first = page.locator(".search-result").first();
  assert.equal(await first.getAttribute("lang"), "ar");
  assert.equal(await first.getAttribute("dir"), "rtl");
  const excerpt = first.locator(".search-result-excerpt");
  assert.equal(await excerpt.evaluate((e) => getComputedStyle(e).direction), "rtl");
  assert.equal(await first.locator(".search-result-dek").evaluate((e) => getComputedStyle(e).fontStyle), "normal");
  await page.screenshot({ path: join(screenshotDir(), "search-arabic-1280.png") });
  await page.close();
});

test("filters alone list pages newest first with an excerpt of the body, from dossier's facet file", async () => {
  server.hits.clear();
  const page = await open("/search/?topic=Energy+Transition");
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length > 0);
  const n = await statusCount(page);
  assert.equal(await page.locator(".search-filters input[data-filter=topic][value='Energy Transition'] + label .count").textContent(), `(${n})`);
  const dates = (await page.locator(".search-result-date").allTextContents()).map((d) => Date.parse(d));
  assert.ok(dates.length >= 2, `${dates.length} dated results`);
  assert.deepEqual(dates, [...dates].sort((x, y) => y - x));
  for (const e of await page.locator(".search-result-excerpt").allTextContents()) assert.ok(e.trim().split(/\s+/).length > 5, e);
  // The briefs listed are the topic page's.
  const hrefs = await page.locator(".search-result-title").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  const termPage = await browser.newPage();
  await termPage.goto(server.url + "/topics/energy-transition/");
  const listed = await termPage.locator("main a[href^='/briefs/']").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  for (const h of hrefs.filter((h) => h.startsWith("/briefs/"))) assert.ok(listed.includes(h), `${h} not on the topic page`);
  await termPage.close();
  // Pagefind's filter files are never fetched, and its pf_meta file once (then from the cache).
  const asked = [...server.hits.keys()];
  assert.deepEqual(asked.filter((p) => p.startsWith("/pagefind/filter/")), []);
  assert.equal(asked.filter((p) => p.endsWith(".pf_facets")).length, 1);
  assert.deepEqual(asked.filter((p) => p.endsWith(".pf_meta")).map((p) => server.hits.get(p)), [1]);
  await page.close();
});

test("excerpts show the page's characters, not its entities", async () => {
  const page = await open();
  await query(page, "lithography");
  const excerpt = await page.locator(".search-result-excerpt").first().textContent();
  assert.match(excerpt, /Lithography & deposition/);
  assert.ok(!/&(amp|lt|gt|quot|#\d+);/.test(excerpt), excerpt);
  await page.close();
});

test("drafts and scheduled briefs are never found", async () => {
  const page = await open();
  assert.deepEqual(await query(page, "sequestration"), []);
  assert.deepEqual(await query(page, "blackouts"), []);
  await page.close();
});

test("axe-core: no violations with results and filters, at 390 and 1280 px", async () => {
  const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  for (const width of [390, 1280]) {
    const page = await open("/search/?q=policy&topic=Energy+Transition", width);
    await page.waitForFunction(() => document.querySelectorAll(".search-result").length > 0);
    await page.locator("#search-filters-panel").evaluate((d) => { d.open = true; });
    await page.locator(".search-filters fieldset").first().waitFor({ state: "visible" });
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
    assert.deepEqual(result.violations.map((v) => `${width}px: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target).join(", ")}`), []);
    // The count is announced.
    assert.equal(await page.locator("#search-status").getAttribute("role"), "status");
    await page.close();
  }
});

test("without JavaScript the page explains itself and links to the listings", async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const nojs = await ctx.newPage();
  await nojs.goto(server.url + "/search/");
  assert.match(await nojs.locator(".search-nojs").textContent(), /needs JavaScript/);
  assert.ok(await nojs.locator(".browse-list a[href='/topics/']").count());
  assert.ok(await nojs.locator(".browse-list a[href='/authors/']").count());
  await ctx.close();
});
