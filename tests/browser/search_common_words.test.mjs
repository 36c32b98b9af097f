// Issue 30: on a site large enough for the common-word cut (src/search/postings.rs: a word on a
// quarter of the pages and on 2,000 keeps its pages and its places in the title, dek and
// byline, but no places in the body), Pagefind's own browser code still finds every page and
// ranks the brief with the word in its title first; the page cuts each excerpt around the
// word in the result's text and marks it; and a word as typed fetches exactly one index chunk:
// its stem's (the ranges leave no gaps).
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
    // Brief 7 alone has the word in its title; every brief has it in its body, after a run of
    // prose of its own length.
    const title = i === 7 ? "Where the reserves went" : `Field note ${i}`;
    const body = `## Notes from the field\n\nThe ${words(5 + (i % 40))} and the reserves ${words(8)}. ${words(12)}; reserves ${words(6)}.\n`;
    const day = String(1 + (i % 28)).padStart(2, "0");
    const month = String(1 + (Math.floor(i / 28) % 12)).padStart(2, "0");
    writeFileSync(join(dir, `note-${i}.md`), `---\ntitle: ${title}\ndate: 2025-${month}-${day}\n---\n${body}`);
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

test("a common word as typed: one index chunk, every page found, the title match first, its place highlighted", async () => {
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
  assert.equal(await first.locator(".search-result-title").textContent(), "Where the reserves went");
  // Every other result has no position for the word, and Pagefind's excerpt would be the
  // body's start, unmarked: the page's own excerpt starts a little before the word and marks
  // each time it is there.
  const second = page.locator(".search-result").nth(1);
  const excerpt = await second.locator(".search-result-excerpt").textContent();
  const marks = (await second.locator(".search-result-excerpt mark").allTextContents()).map((m) => m.toLowerCase());
  assert.ok(marks.length >= 1 && marks.every((m) => m === "reserves"), `${marks}: ${excerpt}`);
  assert.match(excerpt, /^… (\S+ ){6}reserves /, excerpt);
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
