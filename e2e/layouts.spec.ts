/**
 * Layouts are data: a 4x4 and a 1+7 monitor render with the geometry their definitions give, and
 * large tiles get the main stream. Screenshots of both are saved to e2e/artifacts for a human to check.
 */
import { mkdirSync } from 'node:fs';
import { test, expect } from './support/fixtures';
import { WallPage } from './support/wall-page';

for (const { layout, tiles } of [
  { layout: '4x4', tiles: 16 },
  { layout: '1+7', tiles: 8 },
] as const) {
  test(`a ${layout} monitor shows ${tiles} live tiles laid out as its data says`, async ({ page, host }, testInfo) => {
    const wall = new WallPage(page);
    await wall.open(`${host.url}/wall/1`);
    const ids = await page.evaluate(async (n) => (await window.pantau!.call('catalog.search', { query: 'Gayamsari', limit: n })).map((c) => c.id), tiles);
    await page.evaluate(({ ids, layout }) => window.pantau!.call('wall.showCameras', { monitor: 1, cameraIds: ids, layout }), { ids, layout });
    await expect(wall.tiles()).toHaveCount(tiles);
    await wall.expectAllLive(tiles, 60_000);
    const boxes = await wall.tiles().evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ w: r.width, h: r.height })));
    if (layout === '1+7') {
      // The hotspot spans 3x3 cells of a 4x4 grid; the seven others are single cells.
      expect(boxes[0]!.w / boxes[1]!.w).toBeCloseTo(3, 0);
      expect(boxes[0]!.h / boxes[1]!.h).toBeCloseTo(3, 0);
    } else for (const b of boxes) expect(b.w).toBeCloseTo(boxes[0]!.w, 0);
    mkdirSync('e2e/artifacts', { recursive: true });
    await page.waitForTimeout(500); // let the last tiles paint a frame for the picture
    const shot = await page.screenshot({ path: `e2e/artifacts/wall-${layout.replace('+', 'plus')}.png` });
    await testInfo.attach(`wall-${layout}`, { body: shot, contentType: 'image/png' });
  });
}
