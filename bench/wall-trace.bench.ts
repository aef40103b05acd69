/**
 * Where the time goes on a Pantau wall (issue 20, item 1): for 16, 36 and 64 sub-stream tiles
 * (320x180, 15 fps, WebCodecs in the media worker), the share of pictures each tile drew, and the CPU
 * of every part over the same 10 s: Chromium by process and thread (the media worker's thread, where
 * the fMP4 is demuxed and every picture drawn; the renderer's thread pool, where WebCodecs' software
 * decoders run; the renderer's compositor and main thread; the GPU process, which composites the
 * screen in software here), the console (this process: gateway, WebSocket relay), the ingest ffmpegs,
 * and the demo cameras. Read from /proc (utime + stime per thread), not sampled.
 *
 * Each size is measured twice in the same run, on the same cameras: the product, which draws a
 * monitor's tiles on one canvas under the tiles (surface.ts), and the baseline `?surface=tile`, one
 * canvas per tile as before. Which of the two goes first alternates by run and size (the first one
 * meets the ingests' cold start), so neither always gets the warmer machine.
 */
import { machineParts, startBenchHost, withoutAlarmPops } from './lib/host';
import { tileFrames } from '../e2e/support/tile-frames';
import { launch, waitForLiveTiles } from './lib/browser';
import { chromiumPids, cpuByGroup, cpuByThread, machineShare, machineTicks } from './lib/cpu';
import { frameShare } from './lib/frames';
import { report } from './lib/report';

const SIZES = (process.env.BENCH_TILES ?? '16,36,64').split(',').map(Number);
/** This run's number (1, 2, 3...), from the runner's result file name: it decides which surface goes first. */
const RUN = Number(/run-(\d+)\.json$/.exec(process.env.BENCH_RUN_FILE ?? '')?.[1] ?? 1);
/** The product's surface, and the baseline's: its address and what its figures are called. */
const SURFACES = { wall: { label: '', query: '' }, tile: { label: ', baseline: one canvas per tile', query: '?surface=tile' } } as const;
const MEASURE_MS = 10_000;
const FPS = 15;

// What went wrong while a size ran (ingest exits, demo server restarts), printed and kept in the notes.
const trouble: string[] = [];
// Only sub streams are watched, as in wall-capacity: the demo's main streams are not kept flowing for nobody.
const host = await startBenchHost({
  demoKeepMainStreams: false,
  log: (scope, message) => {
    if ((scope === 'streams' && / exited |refused|failed/.test(message)) || (scope === 'demo' && /restart|failed/.test(message))) trouble.push(`${scope}: ${message.replace(/ \(rtsp:[^)]*\)/, '')}`);
  },
});
const browser = await launch();
await withoutAlarmPops(host);
const machineByPart = machineParts(host);

const layoutFor = (n: number) => `${Math.sqrt(n)}x${Math.sqrt(n)}` as '4x4' | '6x6' | '8x8';
const cameras = host.console.catalog.cameras.slice(0, Math.max(...SIZES)).map((c) => c.id);
const results: Record<string, unknown> = {};
const notes: string[] = [];

for (const [i, n] of SIZES.entries()) {
  const order = (RUN + i) % 2 === 1 ? (['wall', 'tile'] as const) : (['tile', 'wall'] as const);
  for (const surface of order) await measure(n, surface);
  await new Promise((r) => setTimeout(r, 6_000)); // let this size's ingests stop
}

/** One wall of `n` tiles on the given surface: the share of pictures drawn and the CPU of every part. */
async function measure(n: number, surface: keyof typeof SURFACES): Promise<void> {
  const key = (what: string) => `${n} tiles${SURFACES[surface].label}: ${what}`;
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.goto(`${host.url}/wall/1${SURFACES[surface].query}`);
  await page.evaluate(({ ids, layout }) => window.pantau!.call('wall.showCameras', { monitor: 1, cameraIds: ids, layout }), { ids: cameras.slice(0, n), layout: layoutFor(n) });
  await waitForLiveTiles(page, n);
  // A wall that is not all live within 90 s is measured anyway, and says how many were.
  const live = await page.locator('[data-tile][data-state="live"]').count();
  if (live < n) {
    // Which states the others are in, and why, to explain a wall that did not come up.
    const states = await page
      .locator('[data-tile]')
      .evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.state} ${e.querySelector('[data-reason]')?.getAttribute('data-reason') ?? ''}`.trim()));
    const counts: Record<string, number> = {};
    for (const st of states) counts[st] = (counts[st] ?? 0) + 1;
    notes.push(`${key('')}${live} live after 90 s: ${JSON.stringify(counts)}`);
    console.log(n, 'tiles', surface, 'not all live:', counts, `${machineByPart.ingests().length} ingest ffmpegs`);
  }
  await page.waitForTimeout(4_000); // settle
  const troubleAt = trouble.length;
  const m0 = machineTicks();
  const [frames, threads, parts] = await Promise.all([tileFrames(page, MEASURE_MS), cpuByThread(chromiumPids, MEASURE_MS), cpuByGroup(machineByPart, MEASURE_MS)]);
  const machine = machineShare(m0, machineTicks());
  const share = frameShare(frames.presented, (FPS * MEASURE_MS) / 1000);
  const round = (x: number) => Math.round(x * 10) / 10;
  results[key('pictures drawn')] = { worstPct: share.min, avgPct: share.avg, liveTiles: live };
  results[key('cpu % of one core by part')] = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, round(v)]));
  results[key('chromium cpu % of one core per tile')] = round(parts.chromium! / n);
  results[key('chromium threads (% of one core)')] = threads;
  results[key('machine busy % (both cores)')] = round(machine.busy);
  const seen = trouble.slice(troubleAt);
  if (seen.length) notes.push(`${key('')}while measuring: ${seen.length} problem(s), e.g. ${seen.slice(0, 3).join(' | ')}`);
  console.log(n, 'tiles', surface, `${live} live`, share, parts, threads, seen.slice(0, 10));
  await page.evaluate(() => window.pantau!.call('wall.showCameras', { monitor: 1, cameraIds: [], layout: '1x1' }));
  await page.close();
}
await browser.close();
await host.close();
report('wall-trace', results, [
  'One Pantau wall window (1600x900) of n sub-stream tiles, every tile a distinct camera and ingest, 320x180 at 15 fps, WebCodecs in the media worker; 10 s measured after 4 s settling.',
  'Each size twice in the same run: the product (every tile drawn on one canvas per monitor, under the tiles) and the baseline "one canvas per tile" (?surface=tile, as before); which goes first alternates by run and size.',
  'CPU from /proc (utime + stime), % of one core (200 = both). Chromium threads by process type and thread name: renderer DedicatedWorker = the media worker (demux, decoder feeding, drawing every picture on the monitor canvas, or the tile canvas in the baseline); renderer ThreadPoolForeg = thread pool (WebCodecs software decoding); renderer Compositor and CrRendererMain = the page; gpu-process VizCompositorTh and CrGpuMain = compositing the screen (software, no GPU here).',
  "Demo cameras: only the watched sub streams flow (demoKeepMainStreams: false, from session 25; before, the demo's 16 unwatched main streams cost about 12 % of a core).",
  'Parts: chromium (all its processes), console (the bench process itself: HTTP, gateway, WebSocket relay), ingests (one ffmpeg per camera: RTSP to fMP4), demoCameras (the RTSP server and its publishers, standing in for real cameras).',
  ...notes,
]);
process.exit(0);
