// Issue 28: components in a real browser, on the demo brief that uses them. An embedded chart
// asks nothing of its provider until the reader presses its button (the page's every request
// goes to the site itself); the press puts a titled frame of the provider's player in its place
// and moves the focus to it. The callout, pull quote and data table are laid out and screenshot.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { buildDemo, serve, launch, screenshotDir } from "./support.mjs";

const PAGE = "/briefs/grid-storage-before-generation/";
let server, browser;
before(async () => {
  server = await serve(buildDemo());
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("an embed makes no third-party request before a click, and loads its player after", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const origin = new URL(server.url).origin;
  const elsewhere = [];
  page.on("request", (r) => { if (new URL(r.url()).origin !== origin) elsewhere.push(r.url()); });
  // The machine has no network: answer the provider ourselves, and count what was asked.
  await page.route((url) => url.origin !== origin, (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<p>player</p>" }));
  await page.goto(server.url + PAGE, { waitUntil: "networkidle" });
  const figure = page.locator("figure.embed-chart");
  await figure.scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  assert.deepEqual(elsewhere, [], "requests to other sites before any click");
  const button = figure.locator("button.embed-load");
  assert.ok(await button.isVisible(), "the button shows once the script runs");
  assert.match(await figure.locator(".embed-notice").innerText(), /Datawrapper/);
  await button.click();
  const frame = figure.locator("iframe");
  await frame.waitFor();
  assert.equal(await frame.getAttribute("src"), "https://datawrapper.dwcdn.net/mX7pQ/");
  assert.match(await frame.getAttribute("title"), /wholesale prices/);
  assert.ok(await frame.evaluate((f) => document.activeElement === f), "focus moves to the player");
  await page.waitForTimeout(300);
  assert.deepEqual(elsewhere.map((u) => new URL(u).origin), ["https://datawrapper.dwcdn.net"]);
  await page.close();
});

for (const width of [390, 1280]) {
  test(`components at ${width}px: no overflow, and a screenshot`, async () => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.route((url) => url.origin !== new URL(server.url).origin, (route) => route.abort());
    await page.goto(server.url + PAGE);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `overflows by ${overflow}px`);
    // The table scrolls inside its own box if it must, never the page.
    const table = page.locator(".data-table");
    assert.equal(await table.locator("tbody tr").count(), 4);
    await page.locator(".callout-takeaways").screenshot({ path: join(screenshotDir(), `component-callout-${width}.png`) });
    await table.screenshot({ path: join(screenshotDir(), `component-table-${width}.png`) });
    await page.locator("figure.embed-chart").screenshot({ path: join(screenshotDir(), `component-embed-${width}.png`) });
    await page.locator(".pullquote").screenshot({ path: join(screenshotDir(), `component-pullquote-${width}.png`) });
    await page.close();
  });
}
