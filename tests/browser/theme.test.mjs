// Issue 3: the default theme, checked in a real browser (Debian's Chromium via playwright-core),
// with axe-core for accessibility and the Nu HTML Checker for markup.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { buildDemo, serve, launch, screenshotDir, PAGES, ROOT } from "./support.mjs";

const require = createRequire(import.meta.url);
let site, server, browser;

before(async () => {
  site = buildDemo();
  server = await serve(site);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

function htmlFiles(dir) {
  return readdirSync(dir, { recursive: true }).filter((f) => f.endsWith(".html")).map((f) => join(dir, f));
}

test("every page passes the Nu HTML Checker with zero errors", () => {
  const jar = join(ROOT, "node_modules/vnu-jar/build/dist/vnu.jar");
  const files = htmlFiles(site);
  assert.ok(files.length > 30, `${files.length} pages`);
  const r = spawnSync("java", ["-jar", jar, "--errors-only", "--format", "json", ...files], { encoding: "utf8" });
  const messages = JSON.parse(r.stderr || r.stdout || '{"messages":[]}').messages.filter((m) => m.type === "error");
  assert.deepEqual(messages.map((m) => `${m.url}:${m.lastLine}: ${m.message}`), []);
});

test("axe-core finds no serious or critical violations", async () => {
  const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  for (const scheme of ["light", "dark"]) {
    const page = await browser.newPage({ colorScheme: scheme });
    for (const [name, path] of Object.entries(PAGES)) {
      await page.goto(server.url + path);
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
      const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      assert.deepEqual(bad.map((v) => `${name} (${scheme}): ${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`), []);
    }
    await page.close();
  }
});

for (const width of [390, 1280]) {
  test(`at ${width}px: no horizontal overflow, and screenshots`, async () => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const shots = screenshotDir();
    for (const [name, path] of Object.entries(PAGES)) {
      await page.goto(server.url + path);
      // The search page's screenshot shows results, not the moment before they arrive.
      if (name === "search") await page.waitForSelector(".search-result");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${name} overflows by ${overflow}px at ${width}px`);
      await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
    }
    await page.close();
  });

  test(`at ${width}px: byline links lead to the author pages`, async () => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(server.url + PAGES.multi);
    const names = await page.locator(".brief-header .byline a").allTextContents();
    assert.deepEqual(names, ["Ingrid van der Berg", "Mei-Lin Zhou"]);
    for (const name of names) {
      await page.goto(server.url + PAGES.multi);
      await page.locator(".brief-header .byline a", { hasText: name }).click();
      await page.waitForLoadState();
      assert.match(page.url(), /\/authors\/[a-z-]+\/$/);
      assert.equal((await page.locator("h1").textContent()).trim(), name);
    }
    await page.close();
  });

  test(`at ${width}px: footnote links jump both ways`, async () => {
    const page = await browser.newPage({ viewport: { width, height: 700 } });
    await page.goto(server.url + PAGES.brief);
    await page.locator(".brief-body sup.footnote-ref a").first().click();
    assert.ok(page.url().endsWith("#fn-1"), page.url());
    assert.ok(await page.locator("#fn-1").isVisible());
    const inView = async (sel) => page.evaluate((s) => {
      const r = document.querySelector(s).getBoundingClientRect();
      return r.top >= -1 && r.top < window.innerHeight;
    }, sel);
    assert.ok(await inView("#fn-1"), "the note scrolled into view");
    await page.locator("#fn-1 .footnote-back").click();
    assert.ok(page.url().endsWith("#fnref-1"), page.url());
    assert.ok(await inView("#fnref-1"), "back at the reference");
    await page.close();
  });

  test(`at ${width}px: print media hides the navigation and keeps notes and authors`, async () => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(server.url + PAGES.brief);
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator(".site-nav").isVisible(), false);
    assert.equal(await page.locator(".brief-nav").isVisible(), false);
    assert.ok(await page.locator(".footnotes").isVisible());
    assert.ok(await page.locator(".about-authors").isVisible());
    assert.ok(await page.locator(".print-permalink").isVisible());
    await page.pdf({ path: join(screenshotDir(), `brief-print-${width}.pdf`) });
    await page.close();
  });
}

test("sidenotes appear beside the text only on wide screens", async () => {
  const wide = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await wide.goto(server.url + PAGES.brief);
  const side = wide.locator(".sidenote").first();
  assert.ok(await side.isVisible());
  const [s, body] = await Promise.all([side.boundingBox(), wide.locator(".brief-body p").first().boundingBox()]);
  assert.ok(s.x >= body.x + body.width, "in the margin, right of the text");
  assert.equal(await side.locator("a.sidenote-number").getAttribute("href"), "#fn-1");
  const narrow = await browser.newPage({ viewport: { width: 390, height: 900 } });
  await narrow.goto(server.url + PAGES.brief);
  assert.equal(await narrow.locator(".sidenote").first().isVisible(), false);
  await wide.close();
  await narrow.close();
});

test("readable without JavaScript, and nothing is fetched from elsewhere", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const foreign = [];
  page.on("request", (r) => { if (!r.url().startsWith(server.url) && !r.url().startsWith("data:")) foreign.push(r.url()); });
  for (const path of Object.values(PAGES)) {
    await page.goto(server.url + path);
    assert.ok((await page.locator("main h1").count()) >= 1);
  }
  await page.goto(server.url + PAGES.brief);
  assert.ok(await page.locator(".footnotes li").first().isVisible());
  assert.ok((await page.locator(".cite-text").first().textContent()).includes("Okafor-Laurent"));
  assert.equal(await page.locator("button.copy").first().isVisible(), false, "copy buttons need JS");
  assert.deepEqual(foreign, []);
  await context.close();
});

test("right-to-left brief: lang, dir, mirrored layout, Arabic labels", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.url + PAGES.arabic);
  const article = page.locator("article.brief");
  assert.equal(await article.getAttribute("dir"), "rtl");
  assert.equal(await article.getAttribute("lang"), "ar");
  const [title, main] = await Promise.all([page.locator("h1").boundingBox(), page.locator("article.brief").boundingBox()]);
  assert.ok(Math.abs(title.x + title.width - (main.x + main.width)) < 2, "the title is aligned to the right edge");
  assert.match(await page.locator(".brief-header .byline").textContent(), /^بقلم/);
  // The brief lives in the Arabic section: its chrome is Arabic and right to left too.
  assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
  assert.equal(await page.locator(".language-nav a[aria-current=page]").textContent(), "العربية");
  await page.close();
});

test("dark mode changes the colours", async () => {
  const colours = [];
  for (const scheme of ["light", "dark"]) {
    const page = await browser.newPage({ colorScheme: scheme });
    await page.goto(server.url + PAGES.brief);
    colours.push(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
    await page.close();
  }
  assert.notEqual(colours[0], colours[1]);
});
