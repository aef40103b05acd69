/**
 * A candidate measured against the product (issue 3, wall capacity): WebCodecs decoding drawn into one
 * canvas per monitor (bench/lib/webcodecs-page.ts), beside Pantau's wall (WebCodecs in the media
 * worker, one canvas per tile, through the real UI) in the same run, on the same cameras and gateway
 * streams.
 */
import type { Page } from 'playwright-core';
import { startBenchHost } from './lib/host';
import { tileFrames } from '../e2e/support/tile-frames';
import { launch, waitForLiveTiles } from './lib/browser';
import { chromiumPids, cmdline, cpuByGroup } from './lib/cpu';
import { frameShare } from './lib/frames';
import { report } from './lib/report';
import { openWebCodecsWall, wallCounts } from './lib/webcodecs-page';

const SIZES = (process.env.BENCH_TILES ?? '36,49,64').split(',').map(Number);
const MEASURE_MS = 10_000;
const FPS = 15;
const viewport = { width: 1600, height: 900 };
const host = await startBenchHost();
const browser = await launch();
const compositor = () => chromiumPids().filter((p) => /--type=gpu-process/.test(cmdline(p)));
const cameras = host.console.catalog.cameras.slice(0, Math.max(...SIZES)).map((c) => c.id);
const share = (xs: number[]) => frameShare(xs, (FPS * MEASURE_MS) / 1000);
const cpu = () => cpuByGroup({ chromium: chromiumPids, gpu: compositor }, MEASURE_MS);
const results: Record<string, unknown> = {};

for (const n of SIZES) {
  const ids = cameras.slice(0, n);
  const side = Math.sqrt(n);
  // Pantau, through the real UI.
  const page: Page = await browser.newPage({ viewport });
  await page.goto(`${host.url}/wall/1`);
  await page.evaluate(({ ids, layout }) => window.pantau!.call('wall.showCameras', { monitor: 1, cameraIds: ids, layout }), { ids, layout: `${side}x${side}` as '6x6' });
  await waitForLiveTiles(page, n);
  await page.waitForTimeout(4_000);
  const [pantau, pantauCpu] = await Promise.all([tileFrames(page, MEASURE_MS), cpu()]);
  const figures = (frames: number[], c: Record<string, number>) => {
    const { min, avg } = share(frames);
    return { 'worst tile % pictures drawn': min, 'mean tile %': avg, 'chromium cpu %': Math.round(c.chromium!), 'compositor cpu %': Math.round(c.gpu!) };
  };
  const pantauFigures = figures(pantau.presented, pantauCpu);
  results[`${n} tiles: pantau (canvas per tile)`] = pantauFigures;
  // The candidate, on the same cameras' gateway streams (the ingests are still running). On a busy
  // machine main may not hand out 64 more streams in time: that size's candidate is then left out of
  // this run (said below), and the run goes on.
  let candLine: string;
  try {
    const urls = await page.evaluate((ids) => Promise.all(ids.map(async (id) => (await window.pantau!.call('stream.open', { cameraId: id, quality: 'sub' })).url)), ids);
    await page.evaluate(() => window.pantau!.call('wall.showCameras', { monitor: 1, cameraIds: [], layout: '1x1' }));
    await page.close();
    const wall = await openWebCodecsWall(browser, host.url, urls, viewport);
    await wall.waitForTimeout(6_000);
    const before = await wallCounts(wall);
    const candCpu = await cpu();
    const after = await wallCounts(wall);
    // What the candidate shows, to look at (bench/results/webcodecs-wall-<n>.png is not committed).
    await wall.screenshot({ path: `dist/bench/webcodecs-wall-${n}.png` });
    const drawn = after.drawn.map((d, i) => d - before.drawn[i]!);
    const replaced = after.replaced.map((d, i) => d - before.replaced[i]!);
    await wall.close();
    const candFigures = { ...figures(drawn, candCpu), 'replaced before drawn': replaced.reduce((a, b) => a + b, 0) };
    results[`${n} tiles: webcodecs + one canvas`] = candFigures;
    candLine = JSON.stringify(candFigures);
  } catch (err) {
    candLine = `candidate not measured: ${(err as Error).message.split('\n')[0]}`;
    if (!page.isClosed()) await page.close();
  }
  console.log(n, JSON.stringify(pantauFigures), '|', candLine);
  await new Promise((r) => setTimeout(r, 7_000)); // idle grace: this size's ingests stop
}
await browser.close();
await host.close();
report('webcodecs-wall', results, [
  'Candidate, not the product path: WebCodecs VideoDecoder per tile in one worker, pictures drawn on the worker animation frame into one OffscreenCanvas for the monitor (bench/lib/webcodecs-page.ts).',
  'Baseline in the same run: Pantau (WebCodecs in the media worker, one canvas per tile) through the real UI, same cameras. Viewport 1600x900, sub streams 320x180 at 15 fps, 10 s measured.',
  'Chromium CPU as % of one core (200 = both); compositor = the GPU process (software compositing, no GPU).',
]);
process.exit(0);
