/**
 * Instant replay: the gateway's rolling HLS window, played with hls.js over the live tile, then back.
 */
import { test, expect } from './support/fixtures';
import { presentedFrames } from './support/probes';
import { WallPage } from './support/wall-page';

test('a tile replays the last seconds with hls.js and returns to live', async ({ page, host }) => {
  const wall = new WallPage(page);
  await wall.open(`${host.url}/wall/1`);
  await wall.resetToDemoWall();
  await wall.expectAllLive(4);
  // The window fills at one 1 s segment per second; give it a little history.
  await expect
    .poll(
      async () => {
        const r = await page.evaluate(async () => {
          const t = await window.pantau!.call('stream.replay', { cameraId: 'rt-3374011001-01-01', quality: 'main' });
          return (await fetch(t.url)).text();
        });
        return (r.match(/#EXTINF/g) ?? []).length;
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThanOrEqual(8);

  const tile = wall.tile(1, 1);
  await tile.hover();
  await tile.locator('[data-action="replay"]').click();
  await expect(tile.getByTestId('replay-badge')).toBeVisible();
  await expect.poll(async () => Number(await tile.getAttribute('data-replay')), { timeout: 15_000 }).toBeGreaterThan(4);
  // Playing, seconds behind live: data-replay counts from the window's end before the first segment
  // has played (on a busy machine, seconds before: then no frame had been presented yet).
  const replayVideo = tile.getByTestId('replay-video');
  await expect.poll(() => replayVideo.evaluate((v: HTMLVideoElement) => v.currentTime > 0 && !v.paused), { timeout: 15_000 }).toBe(true);
  expect(Number(await tile.getAttribute('data-replay'))).toBeGreaterThan(4);
  // The replay video presents frames of its own: advancing, not a rate (this machine's speed).
  const presented = await replayVideo.evaluate(presentedFrames, 2_000);
  expect(presented).toBeGreaterThanOrEqual(2);
  await tile.hover();
  await tile.locator('[data-action="live"]').click();
  await expect(tile.getByTestId('replay-video')).toHaveCount(0);
  await expect(tile).toHaveAttribute('data-state', 'live');
  expect(await tile.getAttribute('data-replay')).toBeNull();
});

test('replay files need a valid token and only whitelisted names are served', async ({ page, host }) => {
  await page.goto(`${host.url}/wall/1`);
  const r = await page.evaluate(async () => {
    const t = await window.pantau!.call('stream.replay', { cameraId: 'rt-3374011001-01-02', quality: 'sub' });
    const base = t.url.replace(/index\.m3u8$/, '');
    // A cold ingest writes its first playlist after its first segment: 404 until then.
    let ok = 0;
    for (let i = 0; i < 50 && ok !== 200; i++) {
      ok = (await fetch(t.url)).status;
      if (ok !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    return {
      ok,
      forged: (await fetch(t.url.replace(/\/hls\/[0-9a-f]+\//, `/hls/${'0'.repeat(48)}/`))).status,
      // Outside the replay whitelist: the SPA shell at most, never a file from elsewhere.
      other: await (await fetch(`${base}..%2f..%2fetc%2fpasswd`)).text(),
      deep: (await fetch(`/hls/x/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd`)).status,
      leaks: JSON.stringify(t).includes('rtsp'),
    };
  });
  expect(r.ok).toBe(200);
  expect(r.forged).toBe(403);
  expect(r.other).not.toContain('root:');
  expect(r.deep).toBe(403);
  expect(r.leaks).toBe(false);
});
