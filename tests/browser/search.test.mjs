// Issue 8: site search with facets, in a real browser. The demo is built with --drafts and
// --future so that the draft and the scheduled brief exist as pages: they must still not be found.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildDemo, serve, launch } from "./support.mjs";

let server, browser;
before(async () => {
  server = await serve(buildDemo(["--drafts", "--future"]));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function searchPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.url + "/search/");
  await page.locator("#search-q").waitFor({ state: "visible" });
  return page;
}

async function query(page, q) {
  await page.locator("#search-q").fill(q);
  await page.waitForFunction((q) => document.getElementById("search-status").textContent.includes(`“${q}”`), q);
  return page.locator(".search-result-title").allTextContents();
}

test("a query finds the expected brief first, with dek, byline, date and highlighted excerpt", async () => {
  const page = await searchPage();
  const titles = await query(page, "militias checkpoint");
  assert.equal(titles[0], "The Checkpoint Economy");
  const first = page.locator(".search-result").first();
  assert.match(await first.locator(".search-result-dek").textContent(), /armed factions live off roads/);
  assert.match(await first.locator(".search-result-meta").textContent(), /Tariq al-Hashimi · 30 September 2026/);
  assert.ok((await first.locator(".search-result-excerpt mark").count()) > 0);
  assert.equal(await first.locator("a").getAttribute("href"), "/briefs/militia-economies-iraq/");
  await page.close();
});

test("an author filter narrows the results, with counts", async () => {
  const page = await searchPage();
  const all = await query(page, "policy");
  assert.ok(all.length >= 4, `${all.length} results`);
  const option = page.locator(".search-filters label", { hasText: "Mei-Lin Zhou" });
  assert.match(await option.textContent(), /\(\d+\)/);
  // Keyboard only: focus the checkbox and press space.
  await page.locator(`#${await option.getAttribute("for")}`).focus();
  await page.keyboard.press("Space");
  await page.waitForFunction((n) => document.querySelectorAll(".search-result").length < n, all.length);
  const narrowed = await page.locator(".search-result-meta").allTextContents();
  assert.ok(narrowed.length > 0 && narrowed.length < all.length);
  for (const m of narrowed) assert.match(m, /Mei-Lin Zhou/);
  await page.close();
});

test("drafts and scheduled briefs are never found", async () => {
  const page = await searchPage();
  assert.deepEqual(await query(page, "sequestration"), []);
  assert.deepEqual(await query(page, "blackouts"), []);
  await page.close();
});

test("an Arabic query finds the Arabic brief", async () => {
  const page = await searchPage();
  const titles = await query(page, "دجلة");
  assert.equal(titles[0], "تقاسم مياه دجلة في زمن الجفاف");
  await page.close();
});

test("the header search box leads to results, and the page explains itself without JavaScript", async () => {
  const page = await browser.newPage();
  await page.goto(server.url + "/");
  await page.locator("#header-q").fill("stockpiles");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/search\/\?q=stockpiles/);
  await page.waitForFunction(() => document.querySelectorAll(".search-result").length > 0);
  assert.equal(await page.locator(".search-result-title").first().textContent(), "Stockpiles Are Not a Strategy");
  await page.close();
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const nojs = await ctx.newPage();
  await nojs.goto(server.url + "/search/");
  assert.match(await nojs.locator(".search-nojs").textContent(), /needs JavaScript/);
  assert.ok(await nojs.locator(".search-nojs a[href='/topics/']").count());
  assert.ok(await nojs.locator(".search-nojs a[href='/authors/']").count());
  await ctx.close();
});
