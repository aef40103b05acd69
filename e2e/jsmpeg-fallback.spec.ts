/**
 * Cameras whose codec MSE can't play here (the demo farm's H.265 camera, behind five private cameras)
 * fall back to main's MPEG-1 transcode, drawn by JSMpeg on a canvas: the pictures change, the tile is
 * live, and only as many transcodes run as the budget allows (4 by default). The tile over the budget
 * says so in both languages while the rest of the wall plays on, and goes live once a transcode frees.
 */
import { mkdirSync } from 'node:fs';
import type { Locator } from '@playwright/test';
import { test, expect, type Page } from './support/fixtures';
import { WallPage } from './support/wall-page';
import { mediaWorker } from './support/tile-frames';

const HEVC = ['prv-011', 'prv-031', 'prv-051', 'prv-071', 'prv-091'];

/**
 * Distinct pictures a canvas showed in screenshots `gapMs` apart (pixels as the operator sees them),
 * taken until `want` differ or `maxShots` were taken: a transcode that pauses for a moment on 2 busy
 * cores (once two shots 300 ms apart were the same) still has to show `want` different pictures.
 */
async function distinctShots(canvas: Locator, want: number, gapMs: number, maxShots = 15): Promise<number> {
  const seen = new Set<string>();
  for (let i = 0; i < maxShots && seen.size < want; i++) {
    seen.add((await canvas.screenshot()).toString('base64'));
    await new Promise((r) => setTimeout(r, gapMs));
  }
  return seen.size;
}

/** Pictures the media worker has drawn on these tiles' front canvases (JSMpeg draws there too). */
async function picturesDrawn(page: Page, cameras: string[]): Promise<number> {
  const surfaces = await page
    .locator('[data-tile] canvas[data-front="1"][data-surface]')
    .evaluateAll((cs, cameras) => cs.filter((c) => cameras.includes((c.closest('[data-tile]') as HTMLElement).dataset.camera ?? '')).map((c) => (c as HTMLCanvasElement).dataset.surface!), cameras);
  const drawn = await mediaWorker(page).evaluate(() => (self as unknown as { drawnBySurface: () => Record<string, number> }).drawnBySurface());
  return surfaces.reduce((sum, s) => sum + (drawn[s] ?? 0), 0);
}

test('H.265 cameras play through the MPEG-1 fallback on canvas, within the transcode budget, and the tile over it says so', async ({ page, host, consoleErrors }) => {
  void consoleErrors;
  test.setTimeout(120_000);
  const wall = new WallPage(page);
  await wall.open(`${host.url}/wall/1`);
  // The premise: this Chromium (no GPU, no hardware decoder) can't play H.265 in MSE.
  expect(await page.evaluate(() => MediaSource.isTypeSupported('video/mp4; codecs="hvc1.1.6.L93.B0"')), 'this Chromium plays H.265 in MSE').toBe(false);
  const rt = await page.evaluate(async (hevc) => {
    const [first] = await window.pantau!.call('catalog.search', { query: '', limit: 1 });
    await window.pantau!.call('wall.showCameras', { monitor: 1, cameraIds: [first!.id, ...hevc], layout: '3x3' });
    return first!.id;
  }, HEVC);

  // Four transcodes (the budget) and the H.264 camera are live; the fifth H.265 tile says why not.
  await wall.expectAllLive(5, 60_000);
  const refused = page.locator('[data-tile][data-state="error"]');
  await expect(refused).toHaveCount(1);
  // main sends a reason code with its numbers; the tile says it in the window's language (Indonesian).
  await expect(refused.locator('[data-reason="transcode_budget_full"]')).toContainText('Batas transcode penuh (4/4)');
  await expect(refused.locator('.tile-problem')).not.toContainText('Transcode budget full');
  const refusedCamera = (await refused.getAttribute('data-camera'))!;
  expect(HEVC).toContain(refusedCamera);

  // The live H.265 tiles draw on a canvas (JSMpeg), not the video.
  for (const id of HEVC.filter((c) => c !== refusedCamera)) {
    const tile = page.locator(`[data-tile][data-camera="${id}"]`);
    await expect(tile).toHaveAttribute('data-state', 'live');
    await expect(tile.locator('canvas[data-front="1"]')).toHaveAttribute('data-feed', 'mpeg1');
    await expect(tile.locator('canvas[data-front="1"]')).toBeVisible();
    await expect(tile.locator('video[data-front="1"]')).toBeHidden();
  }
  // The H.264 tile (a 3x3 tile, sub stream) is decoded with WebCodecs and drawn on its canvas.
  await expect(page.locator(`[data-tile][data-camera="${rt}"] canvas[data-front="1"]`)).toHaveAttribute('data-feed', 'webcodecs');

  // Pictures change on every transcoded tile: on screen (5 different screenshots, 300 ms apart, within
  // 15: the demo clip's clock runs), and in the worker that draws them (4 tiles of a 15 fps camera drew
  // 60 more pictures; MPEG-1 runs at 25 fps). The H.264 tile keeps drawing pictures.
  for (const id of HEVC.filter((c) => c !== refusedCamera)) {
    expect(await distinctShots(page.locator(`[data-tile][data-camera="${id}"] canvas[data-front="1"]`), 5, 300), `distinct pictures on ${id}`).toBe(5);
  }
  // Counted until 60 more are drawn (2 s at the nominal rate), within 10 s: the pictures keep coming.
  // A fixed 2 s window failed once in CI with 7, when 4 transcodes on 2 busy cores paused together;
  // how fast they come is the benchmarks' business, that they come is this test's.
  const transcoded = HEVC.filter((c) => c !== refusedCamera);
  const drawn0 = await picturesDrawn(page, transcoded);
  await expect.poll(async () => (await picturesDrawn(page, transcoded)) - drawn0, { message: 'pictures drawn by JSMpeg on 4 tiles', timeout: 10_000 }).toBeGreaterThanOrEqual(60);
  const frames = await wall.framesPresented(2_000);
  // Advancing beside four transcodes; how many it keeps is the benchmarks' business.
  expect(frames['1:1'], 'H.264 tile pictures in 2 s').toBeGreaterThanOrEqual(2);

  const health = await host.health();
  expect(health).toMatchObject({ transcodes: 4, transcodeBudget: 4 });
  expect(health.ffmpegProcesses).toBe(health.sessions + health.sessionsStopping + health.transcodes + health.transcodesStopping);

  mkdirSync('e2e/artifacts', { recursive: true });
  await page.screenshot({ path: 'e2e/artifacts/jsmpeg-fallback-wall.png' });

  // Take one transcoded camera off the wall: its transcode, now idle, gives way to the refused tile,
  // which asks again every 5 s, gets it and goes live.
  const gone = HEVC.find((c) => c !== refusedCamera)!;
  const goneTile = Number(await page.locator(`[data-tile][data-camera="${gone}"]`).getAttribute('data-tile'));
  await page.evaluate(
    async ({ tile }) => {
      await window.pantau!.call('wall.assign', { monitor: 1, tile, cameraId: null });
    },
    { tile: goneTile },
  );
  await expect(page.locator(`[data-tile][data-camera="${refusedCamera}"]`)).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  await expect(page.locator(`[data-tile][data-camera="${refusedCamera}"] canvas[data-front="1"]`)).toHaveAttribute('data-feed', 'mpeg1');
});
