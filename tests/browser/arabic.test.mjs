// Issue 27: a site whose language is Arabic (tests/fixtures/arabic-site), in Chromium. The whole
// chrome is right to left and Arabic, the markup is valid, axe finds nothing serious, nothing
// overflows at 390 or 1280 px, and an Arabic query is answered in Arabic. Screenshots go to
// target/screenshots/arabic-*.png for a person to look at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { buildSite, serve, launch, screenshotDir, ROOT } from "./support.mjs";

const require = createRequire(import.meta.url);
const FIXTURE = join(ROOT, "tests/fixtures/arabic-site");
const PAGES = {
  home: "/",
  brief: "/briefs/river-data-sharing/",
  english: "/en/briefs/river-data-sharing-en/",
  englishHome: "/en/",
  programme: "/programmes/water-and-climate/",
  search: "/search/?q=" + encodeURIComponent("المياه"),
  missing: "/no-such-page/",
};
let site, server, browser;

before(async () => {
  site = buildSite(FIXTURE);
  server = await serve(site);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const settled = (page) => page.waitForFunction(() => {
  const s = document.getElementById("search-status");
  return s && s.textContent.trim() !== "" && document.querySelector(".search-result");
});

test("every page of the Arabic site passes the Nu HTML Checker", () => {
  const jar = join(ROOT, "node_modules/vnu-jar/build/dist/vnu.jar");
  const files = readdirSync(site, { recursive: true }).filter((f) => f.endsWith(".html")).map((f) => join(site, f));
  assert.ok(files.length > 15, `${files.length} pages`);
  const r = spawnSync("java", ["-jar", jar, "--errors-only", "--format", "json", ...files], { encoding: "utf8" });
  const messages = JSON.parse(r.stderr || r.stdout || '{"messages":[]}').messages.filter((m) => m.type === "error");
  assert.deepEqual(messages.map((m) => `${m.url}:${m.lastLine}: ${m.message}`), []);
});

test("the chrome is right to left and Arabic, the English edition left to right inside it", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.url + "/");
  const chrome = await page.evaluate(() => ({
    dir: document.documentElement.dir,
    lang: document.documentElement.lang,
    nav: [...document.querySelectorAll(".site-nav a")].map((a) => a.textContent.trim()),
    navDirection: getComputedStyle(document.querySelector(".site-nav ul")).direction,
    search: document.querySelector(".header-search button").textContent.trim(),
    skip: document.querySelector(".skip-link").textContent.trim(),
  }));
  assert.deepEqual(chrome, {
    dir: "rtl",
    lang: "ar",
    nav: ["الأوراق", "الخبراء", "المواضيع", "المناطق", "البرامج"],
    navDirection: "rtl",
    search: "بحث",
    skip: "انتقل إلى المحتوى",
  });
  // The masthead's wordmark starts at the right edge.
  const box = await page.locator(".wordmark").boundingBox();
  assert.ok(box.x + box.width > 1280 / 2, `wordmark at x=${box.x}`);
  await page.goto(server.url + PAGES.english);
  const english = await page.evaluate(() => {
    const article = document.querySelector("article.brief");
    return { dir: getComputedStyle(article).direction, lang: article.lang, tag: document.querySelector(".brief-footer .tag").textContent.trim() };
  });
  assert.deepEqual(english, { dir: "ltr", lang: "en", tag: "Water" });
  await page.close();
});

test("an Arabic query: Arabic status, right-to-left results, the English edition marked left to right", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.url + PAGES.search);
  await settled(page);
  const seen = await page.evaluate(() => ({
    status: document.getElementById("search-status").textContent,
    label: document.querySelector("label[for=search-q]").textContent.trim(),
    results: [...document.querySelectorAll(".search-result")].map((r) => getComputedStyle(r).direction),
    legends: [...document.querySelectorAll("#search-filters legend")].map((l) => l.textContent.trim()),
  }));
  assert.match(seen.status, /نتيج|نتائج/, seen.status);
  assert.match(seen.status, /«المياه»/, seen.status);
  assert.ok(!/[A-Za-z]/.test(seen.status), seen.status);
  // The Arabic index holds the four Arabic briefs; the English edition is in the English one.
  assert.equal(seen.label, "ابحث في 4 أوراق");
  assert.ok(seen.results.length >= 2, JSON.stringify(seen));
  assert.ok(seen.results.every((d) => d === "rtl"), JSON.stringify(seen.results));
  assert.ok(seen.legends.includes("الموضوع"), JSON.stringify(seen.legends));
  await page.close();
});

test("an Arabic query finds only Arabic briefs; the English section searches its own index", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.url + "/search/?q=" + encodeURIComponent("دجلة"));
  await settled(page);
  const arabic = await page.evaluate(() => [...document.querySelectorAll(".search-result")].map((r) => ({
    lang: r.closest("[lang]").lang, href: r.querySelector("a").getAttribute("href"),
  })));
  assert.ok(arabic.length >= 1, JSON.stringify(arabic));
  assert.ok(arabic.every((r) => r.lang === "ar" && !r.href.startsWith("/en/")), JSON.stringify(arabic));
  await page.goto(server.url + "/en/search/?q=Tigris");
  await settled(page);
  const english = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    label: document.querySelector("label[for=search-q]").textContent.trim(),
    results: [...document.querySelectorAll(".search-result")].map((r) => ({
      lang: r.closest("[lang]").lang, href: r.querySelector("a").getAttribute("href"),
    })),
  }));
  assert.equal(english.lang, "en");
  assert.equal(english.label, "Search 1 brief");
  assert.deepEqual(english.results, [{ lang: "en", href: "/en/briefs/river-data-sharing-en/" }]);
  await page.close();
});

test("axe-core: no serious or critical violations on the Arabic pages", async () => {
  const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  for (const width of [390, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    for (const [name, path] of Object.entries(PAGES)) {
      await page.goto(server.url + path);
      if (name === "search") await settled(page);
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
      const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      assert.deepEqual(bad.map((v) => `${name} (${width}px): ${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`), []);
    }
    await page.close();
  }
});

for (const width of [390, 1280]) {
  test(`Arabic site at ${width}px: no horizontal overflow, and screenshots`, async () => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const shots = screenshotDir();
    for (const [name, path] of Object.entries(PAGES)) {
      await page.goto(server.url + path);
      if (name === "search") await settled(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${name} overflows by ${overflow}px at ${width}px`);
      await page.screenshot({ path: join(shots, `arabic-${name}-${width}.png`), fullPage: true });
    }
    await page.close();
  });
}
