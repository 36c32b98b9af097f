// Issue 30: on a site large enough for the common-word cut (src/search/postings.rs: a word on a
// quarter of the pages and on 2,000 keeps one position per page), Pagefind's own browser code
// still finds every page, ranks a heading above the body, highlights the kept occurrence, and
// a word as typed fetches exactly one index chunk: its stem's (the ranges leave no gaps).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSite, serve, launch } from "./support.mjs";

const BRIEFS = 2100;
// Words for varied prose, so positions differ from page to page.
const FILL = ["harvest", "storage", "prices", "ministers", "ports", "tariffs", "weather", "credit", "farmers", "markets", "silos", "imports"];

function writeSite() {
  const root = mkdtempSync(join(tmpdir(), "dossier-common-words-"));
  writeFileSync(join(root, "site.toml"), 'title = "Grain Desk"\nbase_url = "https://grain.example/"\nlanguage = "en"\n');
  const dir = join(root, "content", "briefs");
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < BRIEFS; i++) {
    const words = (n) => Array.from({ length: n }, (_, k) => FILL[(i * 7 + k * 3) % FILL.length]).join(" ");
    // Brief 7 alone has the word in a heading; every brief has it in its body, after a run of
    // prose of its own length.
    const heading = i === 7 ? "## Where the reserves went\n\n" : "## Notes from the field\n\n";
    const body = `${heading}The ${words(5 + (i % 40))} and the reserves ${words(8)}. ${words(12)}; reserves ${words(6)}.\n`;
    const day = String(1 + (i % 28)).padStart(2, "0");
    const month = String(1 + (Math.floor(i / 28) % 12)).padStart(2, "0");
    writeFileSync(join(dir, `note-${i}.md`), `---\ntitle: Field note ${i}\ndate: 2025-${month}-${day}\n---\n${body}`);
  }
  return root;
}

let server, browser;
before(async () => {
  server = await serve(buildSite(writeSite()));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("a common word as typed: one index chunk, every page found, the heading first, its place highlighted", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const chunks = [];
  page.on("request", (req) => {
    if (/\/pagefind\/index\/.+\.pf_index$/.test(new URL(req.url()).pathname)) chunks.push(req.url());
  });
  await page.goto(server.url + "/search/");
  await page.locator("#search-q").waitFor({ state: "visible" });
  await page.waitForLoadState("networkidle");
  const before = chunks.length;
  await page.locator("#search-q").fill("reserves");
  await page.waitForFunction(() => document.getElementById("search-status").textContent.includes("“reserves”"));
  const status = await page.locator("#search-status").textContent();
  assert.match(status, new RegExp(`^${BRIEFS.toLocaleString("en")} results`), status);
  assert.equal(chunks.length - before, 1, `one chunk for one word: ${chunks.slice(before).join(", ")}`);
  const first = page.locator(".search-result").first();
  assert.equal(await first.locator(".search-result-title").textContent(), "Field note 7");
  // Every other result shows its one kept occurrence, in the body, highlighted.
  const second = page.locator(".search-result").nth(1);
  assert.equal((await second.locator(".search-result-excerpt mark").allTextContents()).map((m) => m.toLowerCase()).join(" "), "reserves");
  await page.close();
});

test("ten results at first, ten more on request: fragments fetched as they are shown, focus on the first new one", async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const fragments = [];
  page.on("request", (req) => {
    if (/\/pagefind\/fragment\//.test(new URL(req.url()).pathname)) fragments.push(req.url());
  });
  await page.goto(server.url + "/search/?q=reserves");
  await page.waitForFunction(() => document.getElementById("search-status").textContent.includes("“reserves”"));
  assert.equal(await page.locator(".search-result").count(), 10);
  assert.equal(fragments.length, 10, "one fragment per result shown");
  assert.match(await page.locator("#search-status").textContent(), /showing the first 10$/);
  const more = page.locator("#search-more");
  assert.equal(await more.textContent(), "More results");
  await more.click();
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length === 20);
  assert.equal(fragments.length, 20);
  assert.match(await page.locator("#search-status").textContent(), /showing the first 20$/);
  // Keyboard users land on the first added result.
  assert.equal(await page.evaluate(() => document.activeElement.closest(".search-result") === document.querySelectorAll(".search-result")[10]), true);
  // A narrower query with ten results or fewer has no button.
  await page.locator("#search-q").fill("reserves went");
  await page.waitForFunction(() => document.getElementById("search-status").textContent.includes("“reserves went”"));
  assert.equal(await page.locator(".search-result").count(), 1);
  assert.equal(await more.isHidden(), true);
  await page.close();
});
