// Bytes a browser downloads for one search (issue 8): serves a built site on loopback, opens
// /search/ in headless Chromium, types a query, waits for the results, and sums the bodies of
// the search files fetched (pagefind/…): once for loading the search page, once for the query.
//
// Usage: node bench/search_bytes.mjs OUTPUT_DIR ["query words"]
// (SEARCH_BYTES_TIMEOUT_MS: how long to wait for the results, default 60000;
// SEARCH_BYTES_WIDTH: the viewport's width, default 1280: at 390 the filters start folded and
// their file is not fetched)
// Prints: "page N bytes in F files; query M bytes in G files; results R; query took T ms"
// (T: from typing the query to the results and the facet counts on screen).
import { serve, launch } from "../tests/browser/support.mjs";
import { resolve } from "node:path";

const dir = resolve(process.argv[2] || "public");
const q = process.argv[3] || "grain reserves";
const server = await serve(dir);
const browser = await launch();
const width = Number(process.env.SEARCH_BYTES_WIDTH || 1280);
const page = await browser.newPage({ viewport: { width, height: 900 } });
let phase = "page";
const seen = { page: [0, 0], query: [0, 0] };
page.on("requestfinished", async (req) => {
  if (!new URL(req.url()).pathname.includes("/pagefind/")) return;
  const sizes = await req.sizes().catch(() => null);
  const resp = await req.response();
  const n = sizes ? sizes.responseBodySize : (await resp.body()).length;
  seen[phase][0] += n;
  seen[phase][1] += 1;
});
try {
  await page.goto(server.url + "/search/", { waitUntil: "networkidle" });
  phase = "query";
  const t0 = Date.now();
  await page.locator("#search-q").fill(q);
  await page.waitForFunction((q) => document.getElementById("search-status").textContent.includes(`“${q}”`), q, { timeout: Number(process.env.SEARCH_BYTES_TIMEOUT_MS || 60000) });
  if (await page.locator("#search-filters-panel").getAttribute("open") !== null) {
    await page.waitForFunction(() => document.querySelector(".search-filters .count"));
  }
  const took = Date.now() - t0;
  await page.waitForLoadState("networkidle");
  const results = await page.locator(".search-result").count();
  console.log(`page ${seen.page[0]} bytes in ${seen.page[1]} files; query ${seen.query[0]} bytes in ${seen.query[1]} files; results ${results}; query took ${took} ms`);
} finally {
  await browser.close();
  await server.close();
}
