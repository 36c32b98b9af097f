// Issue 26: a processed hero in a real browser: the file the browser picks from the srcset is
// the smallest that covers the hero as laid out (so `sizes` matches the theme), on a phone and
// on a desktop; the page reserves the hero's space before it loads (no layout shift).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { buildDemo, serve, launch, screenshotDir } from "./support.mjs";

const HERO_PAGE = "/briefs/heat-resilient-cities/";
let server, browser;
before(async () => {
  server = await serve(buildDemo());
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

for (const [width, scale, name] of [[390, 2, "phone"], [1280, 1, "desktop"]]) {
  test(`the hero loads the width a ${name} needs (${width} px at ${scale}×)`, async () => {
    const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: scale });
    const page = await context.newPage();
    const images = [];
    page.on("request", (r) => { if (r.resourceType() === "image") images.push(new URL(r.url()).pathname); });
    await page.goto(server.url + HERO_PAGE);
    const hero = page.locator("figure.hero img");
    await hero.evaluate((img) => img.decode());
    const got = await hero.evaluate((img) => {
      const source = img.parentElement.querySelector("source[type='image/webp']");
      const candidates = source.srcset.split(",").map((c) => {
        const [url, w] = c.trim().split(/\s+/);
        return { path: new URL(url, location.href).pathname, w: parseInt(w) };
      }).sort((a, b) => a.w - b.w);
      const needed = img.getBoundingClientRect().width * devicePixelRatio;
      const expected = (candidates.find((c) => c.w >= needed) || candidates.at(-1)).path;
      // With a width descriptor, naturalWidth is the file's width over its density, which the
      // browser takes from `sizes`: equal to the laid-out width when `sizes` matches the theme.
      const set = [img.src, ...img.srcset.split(","), ...source.srcset.split(",")]
        .map((c) => new URL(c.trim().split(/\s+/)[0], location.href).pathname);
      return { current: new URL(img.currentSrc).pathname, expected, needed, natural: img.naturalWidth, shown: img.getBoundingClientRect().width, set };
    });
    assert.equal(got.current, got.expected, JSON.stringify(got));
    assert.match(got.current, /\.webp$/);
    assert.ok(Math.abs(got.natural - got.shown) <= 2, `sizes does not match the layout: ${JSON.stringify(got)}`);
    // Only that one file of the hero's set was fetched.
    assert.ok(got.set.length > 4, JSON.stringify(got.set));
    assert.deepEqual(images.filter((p) => got.set.includes(p)), [got.current]);
    // The space was reserved from width/height: the box has the image's ratio.
    const box = await hero.boundingBox();
    assert.ok(Math.abs(box.width / box.height - 2400 / 1350) < 0.02, JSON.stringify(box));
    await page.screenshot({ path: join(screenshotDir(), `hero-${name}.png`) });
    await context.close();
  });
}
