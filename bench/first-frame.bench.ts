/**
 * Time to first frame (cold and warm) through the real UI, and the CPU of the demo camera farm.
 *
 * TTFF: from `wall.assign` on a 1x1 monitor until the tile is "live", which the player sets on the
 * first frame presented (requestVideoFrameCallback). Cold: a camera with no ingest running. Warm: a
 * camera whose ingest is still in its idle grace. Baseline in the same run: cold vs warm. The farm
 * keeps its mounts streaming for the TTFF part, like cameras (CameraFarm.keepStreaming).
 * Farm CPU: the RTSP server and its publishers (-c copy), against a baseline measured in the same run:
 * one camera encoded live (what the farm would cost without cached clips), times 16.
 */
import { spawn } from 'node:child_process';
import { encodeArgs, clipSpecs } from '../main/demo/clips';
import { startBenchHost } from './lib/host';
import { launch } from './lib/browser';
import { cpuPercent, percentile } from './lib/cpu';
import { report } from './lib/report';

const TRIALS = 12;
const host = await startBenchHost({ idleGraceMs: 60_000 });
const farm = host.farm!;
const idleFarmCpu = await cpuPercent(() => farm.pids, 10_000);
// Then every mount streams, as a camera does: an idle mount of the demo's RTSP server would hand a
// cold ingest an old held keyframe at once (mount-keeper.ts).
await farm.keepStreaming();

const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
await page.goto(`${host.url}/wall/1`);
await page.evaluate(() => window.pantau!.call('wall.setLayout', { monitor: 1, layout: '1x1' }));

const ttff = (cameraId: string) =>
  page.evaluate(async (id) => {
    const t0 = performance.now();
    await window.pantau!.call('wall.assign', { monitor: 1, tile: 1, cameraId: id });
    return new Promise<number>((resolve, reject) => {
      const deadline = t0 + 20_000;
      const check = () => {
        const el = document.querySelector<HTMLElement>('[data-monitor="1"][data-tile="1"]');
        if (el?.dataset.camera === id && el.dataset.state === 'live') resolve(performance.now() - t0);
        else if (performance.now() > deadline) reject(new Error(`no first frame for ${id}`));
        else requestAnimationFrame(check);
      };
      check();
    });
  }, cameraId);

const ids = host.console.catalog.cameras.slice(100, 100 + TRIALS).map((c) => c.id);
const cold: number[] = [];
const warm: number[] = [];
for (const id of ids) cold.push(await ttff(id)); // each camera's first showing: no ingest yet
for (const id of ids) warm.push(await ttff(id)); // ingests still in their idle grace
farm.stopKeepingStreaming(); // the farm's own cost is measured as a demo runs it, without keepers
const viewingFarmCpu = await cpuPercent(() => farm.pids, 10_000);
await browser.close();

// Baseline: the same camera recipe encoded live (main + sub), for 10 s of real time.
const [mainSpec, subSpec] = clipSpecs(1, 3600);
const live = spawn('ffmpeg', ['-re', ...encodeArgs(mainSpec!, '-').slice(0, -1).concat(['-f', 'null', '-'])], { stdio: 'ignore' });
const liveSub = spawn('ffmpeg', ['-re', ...encodeArgs(subSpec!, '-').slice(0, -1).concat(['-f', 'null', '-'])], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 2_000));
const liveOne = await cpuPercent(() => [live.pid!, liveSub.pid!], 10_000);
live.kill();
liveSub.kill();
await host.close();

const r1 = (x: number) => Math.round(x * 10) / 10;
report(
  'first-frame',
  {
    'ttff cold p50 ms': Math.round(percentile(cold, 50)),
    'ttff cold p95 ms': Math.round(percentile(cold, 95)),
    'ttff warm p50 ms': Math.round(percentile(warm, 50)),
    'ttff warm p95 ms': Math.round(percentile(warm, 95)),
    'ttff trials (each)': TRIALS,
    'farm cpu, 16 cameras, no viewers (% of a core)': r1(idleFarmCpu),
    'farm cpu, 16 cameras, 12 ingests open (% of a core)': r1(viewingFarmCpu),
    'baseline: live x264 encode, 1 camera main+sub (% of a core)': r1(liveOne),
    'baseline: live x264 encode, x16 cameras (% of a core)': r1(liveOne * 16),
  },
  ['TTFF: 720p main stream (1x1 tile), 15 fps, 1 s GOP; from wall.assign to first presented frame in headless Chromium.'],
);
process.exit(0);
