// Issue 5: `dossier serve` in a real browser: the page reloads itself after an edit, a CSS
// change is swapped in without a reload (scroll position kept), and a broken file shows an
// error overlay that goes away when the file is fixed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, ROOT } from "./support.mjs";

const BIN = process.env.DOSSIER_BIN || join(ROOT, "target/debug/dossier");
let site, proc, url, browser;
let log = ""; // what serve printed; written to $DOSSIER_SERVE_LOG when set, for debugging

before(async () => {
  site = mkdtempSync(join(tmpdir(), "dossier-serve-"));
  for (const d of ["content", "templates", "static", "data"]) cpSync(join(ROOT, d), join(site, d), { recursive: true });
  for (const f of ["site.toml", "references.bib"]) cpSync(join(ROOT, f), join(site, f));
  writeFileSync(join(site, "static/preview.css"), "");
  proc = spawn(BIN, ["serve", "--port", "0", "--root", site], { env: { ...process.env, DOSSIER_NOW: "2026-11-25T12:00:00Z" } });
  proc.stderr.on("data", (d) => { log += d; });
  proc.stdout.on("data", (d) => { log += d; });
  url = await new Promise((ok, fail) => {
    let out = "";
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) ok(m[0]);
    });
    proc.on("exit", (c) => fail(new Error(`serve exited with ${c}: ${out}`)));
  });
  browser = await launch();
});
after(async () => {
  if (process.env.DOSSIER_SERVE_LOG) writeFileSync(process.env.DOSSIER_SERVE_LOG, log);
  await browser?.close();
  proc?.kill("SIGINT");
});

const BRIEF = () => join(site, "content/briefs/carbon-border-adjustment.md");
function edit(from, to) {
  const text = readFileSync(BRIEF(), "utf8");
  assert.ok(text.includes(from), `brief contains ${from}`);
  writeFileSync(BRIEF(), text.replace(from, to));
}

test("an open page reloads itself after its brief is edited", async () => {
  const page = await browser.newPage();
  await page.goto(url + "briefs/carbon-border-adjustment/");
  await page.waitForFunction(() => window.dossierLive === "connected");
  await page.evaluate(() => { window.__notReloaded = true; });
  const reloaded = page.waitForEvent("load");
  edit("phasing in.", "phasing in. Edited while the page was open.");
  await reloaded;
  assert.equal(await page.evaluate(() => window.__notReloaded), undefined, "a new document");
  assert.ok((await page.textContent("article")).includes("Edited while the page was open."));
  await page.close();
});

test("a CSS change is swapped in place, keeping the scroll position", async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 500 } });
  await page.goto(url + "briefs/carbon-border-adjustment/");
  await page.waitForFunction(() => window.dossierLive === "connected");
  await page.evaluate(() => {
    const l = document.createElement("link");
    l.rel = "stylesheet";
    l.href = "/preview.css";
    document.head.append(l);
    window.__notReloaded = true;
    window.scrollTo(0, 400);
  });
  await page.waitForTimeout(200);
  writeFileSync(join(site, "static/preview.css"), "body { outline: 7px solid rgb(255, 0, 0); }");
  await page.waitForFunction(() => getComputedStyle(document.body).outlineWidth === "7px", null, { timeout: 15000 });
  assert.equal(await page.evaluate(() => window.__notReloaded), true, "no reload");
  assert.ok((await page.evaluate(() => window.scrollY)) >= 300, "scroll position kept");
  await page.close();
});

test("a broken file shows an overlay with file and line; fixing it removes the overlay", async () => {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.dossierLive === "connected");
  const good = readFileSync(BRIEF(), "utf8");
  writeFileSync(BRIEF(), good.replace("date: 2026-04-09", "date: 2026-04-99"));
  const overlay = await page.waitForSelector("#dossier-error", { timeout: 15000 });
  const text = await overlay.textContent();
  assert.match(text, /content\/briefs\/carbon-border-adjustment\.md:\d+:\d+/);
  // The page itself is still the last good version.
  const res = await page.request.get(url + "briefs/carbon-border-adjustment/");
  assert.equal(res.status(), 200);
  writeFileSync(BRIEF(), good);
  await page.waitForSelector("#dossier-error", { state: "detached", timeout: 15000 });
  await page.close();
});

test("a page whose event stream connects only after a rebuild it missed reloads itself", async () => {
  const page = await browser.newPage();
  // Hold the page's event stream back until the edit below has been rebuilt and served.
  let release;
  const held = new Promise((ok) => { release = ok; });
  await page.route("**/__dossier/events*", async (route) => { await held; await route.continue(); });
  await page.goto(url + "briefs/carbon-border-adjustment/");
  await page.evaluate(() => { window.__notReloaded = true; });
  edit("phasing in.", "phasing in. Edited before the page connected.");
  const deadline = Date.now() + 15000;
  while (!(await (await fetch(url + "briefs/carbon-border-adjustment/")).text()).includes("Edited before the page connected.")) {
    assert.ok(Date.now() < deadline, "the preview rebuilt the brief");
    await new Promise((r) => setTimeout(r, 50));
  }
  const reloaded = page.waitForEvent("load");
  release();
  await reloaded;
  assert.equal(await page.evaluate(() => window.__notReloaded), undefined, "a new document");
  assert.ok((await page.textContent("article")).includes("Edited before the page connected."));
  await page.close();
});
