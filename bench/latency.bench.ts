/**
 * Glass-to-glass latency of the live paths through the real UI (a small tile's sub stream: fMP4 over
 * WebSocket, WebCodecs in the media worker, drawn on the tile's canvas; a big tile's main stream: the
 * same socket into MSE on a <video>) and of the HLS path (the gateway's HLS window in hls.js), for
 * cameras with a 1 s and a 4 s GOP. The clock cameras draw the capture time into every frame; it is
 * read back from each presented frame (a video's frame callback), or from the tile's canvas each
 * time the worker draws a picture on it.
 * Also: the clock's own offset (encoder to a raw frame, no network), measured in the same run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CameraFarm } from '../main/demo/camera-farm';
import { CLOCK_BITS, CLOCK_BLOCK, clockCameraArgs, decodeClock } from '../main/demo/clock-camera';
import { cacheDir, resourcesDir } from '../main/paths';
import { findFfmpeg } from '../main/streams/ffmpeg';
import { startWebHost } from '../main/web/host';
import { launch } from './lib/browser';
import { openHlsPage } from './lib/hls-page';
import { percentile } from './lib/cpu';
import { mediaWorker } from '../e2e/support/tile-frames';
import { report } from './lib/report';

const SAMPLE_MS = 15_000;
const resources = resourcesDir(process.cwd());
const ffmpeg = findFfmpeg();

// The clock's own offset: one frame straight out of the encoder's filter chain.
const offsets: number[] = [];
for (let i = 0; i < 5; i++) {
  // The same capture and drawing, but one raw frame instead of the encoder and RTP.
  const full = clockCameraArgs(15, 'x');
  const args = full.slice(0, full.indexOf('-c:v')).concat(['-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
  const buf = execFileSync(ffmpeg, args);
  const now = Date.now() % 2 ** 32;
  // Gray bytes of the row through the blocks' middles, sampled at each block's centre.
  const row = (CLOCK_BLOCK.height / 2) * 320;
  offsets.push(now - decodeClock((bit) => buf[row + bit * CLOCK_BLOCK.width + CLOCK_BLOCK.width / 2]!));
}

const farm = new CameraFarm({
  ffmpegPath: ffmpeg,
  resources,
  cacheDir: cacheDir(),
  cameras: 1,
  clockCameras: [
    { path: '/clock-gop1', gopFrames: 15 },
    { path: '/clock-gop4', gopFrames: 60 },
  ],
  log: () => undefined,
});
await farm.start();
const dir = mkdtempSync(join(tmpdir(), 'pantau-latency-'));
const cam = (id: string, n: number, path: string) => ({
  id,
  number: n,
  name: id,
  type: 'atcs',
  kecamatanCode: '33.74.01',
  kelurahanCode: '33.74.01.1001',
  rw: null,
  rt: null,
  mainUrl: `${farm.rtspBase}${path}`,
  // The clock camera has one 320x180 stream: it is its sub stream too, so a small tile draws it on
  // the canvas (WebCodecs), as it would a camera's sub stream; a main stream goes to MSE there.
  subUrl: `${farm.rtspBase}${path}`,
});
writeFileSync(join(dir, 'catalog.json'), JSON.stringify([cam('clock-gop1', 1, '/clock-gop1'), cam('clock-gop4', 2, '/clock-gop4')]));
const host = await startWebHost({ resources, rendererDir: 'dist/renderer', catalogFile: join(dir, 'catalog.json'), dataDir: dir, log: () => undefined });
const browser = await launch();

/** One reading of a clock camera's picture: when it was read (ms, mod 2^32) and each block's luma. */
type Reading = [now: number, luma: number[]];

/** Latency (ms) of each reading: the time it was read minus the capture time its blocks give. */
function latencies(readings: Reading[]): number[] {
  const out: number[] = [];
  for (const [now, luma] of readings) {
    let d = now - decodeClock((bit) => luma[bit]!);
    if (d < -(2 ** 31)) d += 2 ** 32;
    if (d > -1000 && d < 60_000) out.push(d);
  }
  return out;
}

/** Clock readings from every frame `selector`'s video presents during `ms`. */
async function sample(page: Page, selector: string, ms: number): Promise<number[]> {
  const readings = await page.evaluate(
    ({ selector, ms, block, bits }) =>
      new Promise<Reading[]>((resolve) => {
        const v = document.querySelector<HTMLVideoElement>(selector)!;
        const c = document.createElement('canvas');
        c.width = 320;
        c.height = 180;
        const ctx = c.getContext('2d', { willReadFrequently: true })!;
        const out: Reading[] = [];
        let stop = false;
        const cb = () => {
          if (stop) return;
          const now = Date.now() % 2 ** 32;
          ctx.drawImage(v, 0, 0, 320, 180);
          const row = ctx.getImageData(0, block.height / 2, 320, 1).data;
          out.push([now, Array.from({ length: bits }, (_, b) => row[(b * block.width + block.width / 2) * 4]!)]);
          v.requestVideoFrameCallback(cb);
        };
        v.requestVideoFrameCallback(cb);
        setTimeout(() => {
          stop = true;
          resolve(out);
        }, ms);
      }),
    { selector, ms, block: CLOCK_BLOCK, bits: CLOCK_BITS },
  );
  return latencies(readings);
}

/**
 * Clock readings off a tile canvas's picture each time the media worker draws one, during `ms`: at
 * the draw, so without the compositor's last step (up to one display frame) that a video's frame
 * callback includes.
 */
async function sampleCanvas(page: Page, surface: string, ms: number): Promise<number[]> {
  const readings = await mediaWorker(page).evaluate(
    ({ surface, ms, block, bits }) =>
      new Promise<Reading[]>((resolve) => {
        // The surface's drawing step, wrapped: after each picture, read the clock's row off the canvas.
        type Probe = { drawn: number; paint: (this: Probe) => boolean; canvas: OffscreenCanvas; drawnAt: { x: number; y: number; w: number; h: number } | null };
        const s = (self as unknown as { surfaceOf: (id: number) => Probe | null }).surfaceOf(Number(surface))!;
        const ctx = s.canvas.getContext('2d')!;
        const paint = s.paint;
        const out: Reading[] = [];
        s.paint = function () {
          const before = s.drawn;
          const more = paint.call(s);
          const at = s.drawnAt;
          if (s.drawn !== before && at) {
            const now = Date.now() % 2 ** 32;
            const row = ctx.getImageData(0, Math.round(at.y + ((block.height / 2) * at.h) / 180), s.canvas.width, 1).data;
            out.push([now, Array.from({ length: bits }, (_, b) => row[Math.round(at.x + ((b * block.width + block.width / 2) * at.w) / 320) * 4]!)]);
          }
          // The painter draws this canvas again next frame while pictures wait.
          return more;
        };
        setTimeout(() => {
          s.paint = paint;
          resolve(out);
        }, ms);
      }),
    { surface, ms, block: CLOCK_BLOCK, bits: CLOCK_BITS },
  );
  return latencies(readings);
}

const figures: Record<string, unknown> = {};
const summary = (xs: number[]) => ({ p50: Math.round(percentile(xs, 50)), p95: Math.round(percentile(xs, 95)), n: xs.length });
for (const id of ['clock-gop1', 'clock-gop4']) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`${host.url}/wall/1`);
  await page.evaluate((id) => window.pantau!.call('wall.showCameras', { monitor: 1, cameraIds: [id], layout: '1x1' }), id);
  await page.waitForFunction(() => document.querySelector('[data-tile="1"]')?.getAttribute('data-state') === 'live', null, { timeout: 30_000 });
  await page.waitForTimeout(2_000);
  const live = summary(await sample(page, '[data-tile="1"] video', SAMPLE_MS));
  // The same camera on a small tile (3x3): its sub stream (the camera has one stream) on the canvas.
  await page.evaluate((id) => window.pantau!.call('wall.showCameras', { monitor: 1, cameraIds: [id], layout: '3x3' }), id);
  await page.waitForFunction(() => document.querySelector('[data-tile="1"] canvas[data-front="1"][data-feed="webcodecs"]:not([hidden])') !== null, null, { timeout: 30_000 });
  await page.waitForTimeout(2_000);
  const surface = (await page.locator('[data-tile="1"] canvas[data-front="1"]').getAttribute('data-surface'))!;
  const canvasLive = summary(await sampleCanvas(page, surface, SAMPLE_MS));
  // hls.js starts two segments behind the edge; with -c copy a segment is at least one GOP long.
  // (The small tile keeps its ingest, the sub stream's, and so that HLS window, running meanwhile:
  // the replay is that stream's.)
  await page.waitForTimeout(id === 'clock-gop4' ? 25_000 : 8_000);
  // A replay token lapses after 15 s without requests: take it just before use.
  const url = await page.evaluate((id) => window.pantau!.call('stream.replay', { cameraId: id, quality: 'sub' }).then((r) => r.url), id);
  const hlsPage = await openHlsPage(browser, host.url, [url], {
    bodyStyle: 'margin:0',
    videoStyle: 'width:640px',
    hlsConfig: { enableWorker: false, liveSyncDurationCount: 2, maxLiveSyncPlaybackRate: 1.5, backBufferLength: 10 },
  });
  await hlsPage.waitForFunction(() => document.querySelector('video')!.currentTime > 0, null, { timeout: 30_000 }).catch(() => undefined);
  await hlsPage.waitForTimeout(3_000);
  const hls = summary(await sample(hlsPage, 'video', SAMPLE_MS));
  figures[`${id}: live, small tile (WebCodecs on the tile canvas) ms`] = canvasLive;
  figures[`${id}: live, big tile (MSE over WebSocket) ms`] = live;
  figures[`${id}: HLS (hls.js, segments of one GOP, liveSyncDurationCount 2) ms`] = hls;
  await hlsPage.close();
  await page.close();
}
figures['clock offset (encoder frame straight to raw, no network) ms, p50'] = Math.round(percentile(offsets, 50));
await browser.close();
await host.close();
await farm.stop();
report('latency', figures, [
  'Clock cameras: 320x180 at 15 fps, x264 ultrafast zerolatency, published over RTP to the demo RTSP server, ingested with -c copy.',
  'Goal (issue 3): live p50 <= 500 ms and p95 <= 1 s at either GOP.',
]);
process.exit(0);
