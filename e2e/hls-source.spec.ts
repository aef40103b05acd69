/**
 * A camera whose source is an HTTP HLS playlist (the demo farm's, behind Basic authentication) plays
 * on a tile through main's proxy and hls.js, beside gateway cameras: frames advance, and the page
 * never sees the camera's URL or password.
 */
import { mkdirSync } from 'node:fs';
import { DEMO_HLS_AUTH } from '../main/demo/hls-cameras';
import { test, expect } from './support/fixtures';
import { WallPage } from './support/wall-page';

test('an HLS camera plays live on a tile, and its credentials never reach the page', async ({ page, host, consoleErrors }) => {
  void consoleErrors;
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('websocket', (ws) => requests.push(ws.url()));
  const wall = new WallPage(page);
  await wall.open(`${host.url}/wall/1`);
  const ids = await page.evaluate(async () => {
    const rt = await window.pantau!.call('catalog.search', { query: '', limit: 3 });
    // Every 20th private camera of the demo catalog, from the first, has an HLS source.
    const [hls] = await window.pantau!.call('catalog.get', { ids: ['prv-001'] });
    const ids = [hls!.id, ...rt.map((c) => c.id)];
    await window.pantau!.call('wall.showCameras', { monitor: 1, cameraIds: ids, layout: '2x2' });
    return ids;
  });
  await wall.expectAllLive(4);
  const hlsTile = wall.tile(1, 1);
  await expect(hlsTile).toHaveAttribute('data-camera', ids[0]!);
  expect(await hlsTile.locator('video[data-front="1"]').evaluate((v) => (v as HTMLVideoElement).dataset.feed)).toBe('hls');
  expect(
    await wall
      .tile(1, 2)
      .locator('video[data-front="1"]')
      .evaluate((v) => (v as HTMLVideoElement).dataset.feed),
  ).toBe('worker');

  // Frames advance on every tile, the HLS one included (a 15 fps camera).
  const frames = await wall.framesPresented(3_000);
  for (const [k, n] of Object.entries(frames)) expect(n, `tile ${k} presented frames in 3 s`).toBeGreaterThanOrEqual(20);

  mkdirSync('e2e/artifacts', { recursive: true });
  await page.screenshot({ path: 'e2e/artifacts/hls-source-wall.png' });

  // What the page fetched: loopback proxy URLs behind a token, never the camera's host or password.
  const hlsRequests = requests.filter((u) => u.includes('/src/'));
  expect(hlsRequests.length).toBeGreaterThan(2);
  for (const u of hlsRequests) expect(u).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/src\/[0-9a-f]{48}\/(index\.m3u8|r\d+)$/);
  const seen = [...requests, await page.content(), JSON.stringify(await page.evaluate(() => window.pantau!.call('catalog.get', { ids: ['prv-001'] })))].join('\n');
  expect(seen).not.toContain(DEMO_HLS_AUTH.password);
  expect(seen).not.toContain('/cam01/index.m3u8');
});
