/**
 * Releasing a tile frees its media player completely. 2,000 tile opens and closes in one page: past
 * 1,000 leaked players Chromium refuses new ones, so a leak fails this outright; heap, DOM nodes,
 * video elements, stream sockets and the media worker's feeds and canvases must also stay flat. The
 * tiles are small (4x4, 3x3): their sub streams are decoded with WebCodecs and drawn on canvases.
 */
import type { CDPSession } from '@playwright/test';
import { test, expect } from './support/fixtures';
import { WallPage } from './support/wall-page';
import { mediaWorker } from './support/tile-frames';

async function memory(cdp: CDPSession) {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  return { heapMB: heap.usedSize / 2 ** 20, nodes: dom.nodes, listeners: dom.jsEventListeners };
}

// A soak (2.5 min): outside the default suite, run by `npm test -- --soak` and by CI.
test('2,000 tiles opened and closed leak no player, socket or memory', { tag: '@soak' }, async ({ page, host }) => {
  test.setTimeout(600_000);
  const wall = new WallPage(page);
  await wall.open(`${host.url}/wall/1`);
  const cdp = await page.context().newCDPSession(page);
  const ids = await page.evaluate(async () => (await window.pantau!.call('catalog.search', { query: 'Semarang Tengah', limit: 32 })).map((c) => c.id));
  const sets = [ids.slice(0, 16), ids.slice(16, 32)];
  const layouts = ['4x4', '3x3'] as const;
  let opened = 0;
  let baseline: Awaited<ReturnType<typeof memory>> | null = null;
  for (let cycle = 0; opened < 2_000; cycle++) {
    const layout = layouts[cycle % 2]!;
    const cameras = sets[cycle % 2]!.slice(0, layout === '4x4' ? 16 : 9);
    await page.evaluate(({ cameras, layout }) => window.pantau!.call('wall.showCameras', { monitor: 1, cameraIds: cameras, layout }), { cameras, layout });
    await expect(page.locator(`[data-tile][data-state="live"]`), `cycle ${cycle}`).toHaveCount(cameras.length, { timeout: 30_000 });
    opened += cameras.length;
    if (cycle === 9) baseline = await memory(cdp);
  }
  const end = await memory(cdp);
  // Still playing after 2,000 opens: the page never ran out of media players.
  const frames = await wall.framesPresented(2_000);
  // Advancing, not a rate: how many a busy machine draws is the benchmarks' business.
  for (const [k, n] of Object.entries(frames)) expect(n, `tile ${k}`).toBeGreaterThanOrEqual(2);
  expect(await page.locator('video').count()).toBe(await wall.tiles().count());
  const health = await host.health();
  expect(health.subscribers).toBe(await wall.tiles().count());
  // The media worker holds one feed (socket and decoder) per tile, and one canvas per tile: the
  // canvases of the 2,000 closed tiles' streams were let go.
  // mediaWorker throws, naming the page's workers, when the window runs no media worker.
  const media = mediaWorker(page);
  expect(await media.evaluate(() => (self as unknown as { feedCount: () => number }).feedCount())).toBe(await wall.tiles().count());
  expect(Object.values(await wall.playsVia())).toEqual(Array(await wall.tiles().count()).fill('canvas'));
  expect(await media.evaluate(() => (self as unknown as { surfaceCount: () => number }).surfaceCount())).toBe(await wall.tiles().count());
  const ended = await media.evaluate(() => (self as unknown as { feedsEnded: () => string[] }).feedsEnded());
  // Most are tiles closed while their feed was appending (the element let go first): counted by reason.
  const byReason = new Map<string, number>();
  for (const r of ended) byReason.set(r, (byReason.get(r) ?? 0) + 1);
  console.log(`feeds that ended on their own (last ${ended.length}): ${[...byReason].map(([r, n]) => `${n}x ${r}`).join('; ') || 'none'}`);
  console.log(`2,000 tiles: heap ${baseline!.heapMB.toFixed(1)} → ${end.heapMB.toFixed(1)} MB, DOM nodes ${baseline!.nodes} → ${end.nodes}, listeners ${baseline!.listeners} → ${end.listeners}`);
  expect(end.heapMB).toBeLessThan(baseline!.heapMB * 1.25 + 2);
  expect(end.nodes).toBeLessThan(baseline!.nodes * 1.25 + 200);
  expect(end.listeners).toBeLessThan(baseline!.listeners * 1.25 + 50);
});
