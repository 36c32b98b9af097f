// Shared setup for the browser checks: build the demo site once, serve it on loopback, and
// launch Debian's Chromium through playwright-core (never a downloaded browser).
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, existsSync, statSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, resolve, normalize } from "node:path";
import { chromium } from "playwright-core";

export const ROOT = resolve(import.meta.dirname, "../..");
const BIN = process.env.DOSSIER_BIN || join(ROOT, "target/debug/dossier");

/** Build the demo site into a fresh folder and return it. */
export function buildDemo(extra = []) {
  return buildSite(ROOT, extra);
}

/** Build the site at `root` into a fresh folder and return it. */
export function buildSite(root, extra = []) {
  const out = join(mkdtempSync(join(tmpdir(), "dossier-browser-")), "site");
  const r = spawnSync(BIN, ["build", "--root", root, "--output", out, "--quiet", ...extra], {
    encoding: "utf8",
    env: { ...process.env, DOSSIER_NOW: "2026-11-25T12:00:00Z" },
  });
  if (r.status !== 0) throw new Error(`dossier build failed (${BIN}):\n${r.stderr}`);
  return out;
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml",
  ".xml": "application/xml", ".json": "application/json", ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp",
  ".mjs": "text/javascript", ".wasm": "application/wasm",
};

/** Serve `dir` on 127.0.0.1 (ephemeral port); resolves to { url, close, hits } (`hits`: how
 * many times each path was asked for, so a test can see what the browser did not take from its
 * cache). */
export function serve(dir) {
  const hits = new Map();
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    hits.set(path, (hits.get(path) || 0) + 1);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) { res.writeHead(400).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) { res.writeHead(404, { "content-type": TYPES[".html"] }).end(readFileSync(join(dir, "404.html"))); return; }
    const headers = { "content-type": TYPES[extname(file)] || "application/octet-stream" };
    // Index files named by their digest are cached for ever, as `dossier deploy` marks them.
    if (extname(file).startsWith(".pf_")) headers["cache-control"] = "public, max-age=31536000, immutable";
    res.writeHead(200, headers).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => {
    ok({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((c) => server.close(c)), hits });
  }));
}

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/** Where screenshots go: $DOSSIER_SCREENSHOTS or target/screenshots. */
export function screenshotDir() {
  const dir = process.env.DOSSIER_SCREENSHOTS || join(ROOT, "target/screenshots");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The pages every check visits. */
export const PAGES = {
  home: "/",
  brief: "/briefs/grid-storage-before-generation/",
  multi: "/briefs/critical-minerals-stockpiles/",
  author: "/authors/renee-okafor-laurent/",
  topic: "/topics/energy-transition/",
  arabic: "/ar/briefs/water-sharing-tigris/",
  // Issue 27: the Arabic section's front page, list of topics and an author's Arabic page.
  arabicHome: "/ar/",
  arabicTopics: "/ar/topics/",
  arabicAuthor: "/ar/authors/tariq-al-hashimi/",
  search: "/search/?q=energy",
  // Issue 24: a collection, an item of it, an event, a programme, a region with sub-regions,
  // a type listing, a year archive, a series and the list pages.
  reports: "/reports/",
  report: "/reports/gulf-power-2026/",
  event: "/events/hotter-gulf-launch/",
  programme: "/programmes/middle-east/",
  region: "/regions/middle-east/",
  subregion: "/regions/iraq/",
  type: "/types/report/",
  year: "/briefs/2026/",
  series: "/series/grid-notes/",
  types: "/types/",
};
