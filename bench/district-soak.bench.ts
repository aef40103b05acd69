/**
 * 500 district switches in a row on a 4x4 monitor, through the real UI: does anything pile up?
 * Every switch shows the next of three kecamatan, 400 ms after the previous one (their ingests stay
 * in a 20 s idle grace, so after the first round the switches are warm: 16 players torn down and 16
 * built per switch, which is what could leak); every 50th waits until all 16 tiles are live. (Cold
 * switches through all 16 kecamatan take about 3 s each here, 25 minutes for 500, and with a short
 * grace they kept ~40 ffmpegs starting and stopping at once, which this 2-core machine can't.)
 * Measured at switch 50 (after warm-up) and at 500: the renderer's JS heap after a forced GC, its DOM
 * nodes, <video> elements and tile canvases (and the canvases the media worker holds), the renderer
 * processes' RSS (the worker's heap included), and, after the run settles, ffmpeg processes against
 * the cameras on screen.
 * Before the baseline the alert history is filled to what a console that has run for a while holds
 * (the demo simulator floods for 10 s), so the run measures switching, not the history filling up.
 * Baseline in the same run: the same figures at switch 50. Goal: growth under 10 %, ffmpeg processes
 * back to the number of visible cameras (16). BENCH_SWITCHES and BENCH_SIM_RATE (alerts per second,
 * default 1; 0 for none) change the run for investigations.
 */
import { readFileSync } from 'node:fs';
import { startBenchHost, withoutAlarmPops } from './lib/host';
import { mediaWorker } from '../e2e/support/tile-frames';
import { launch } from './lib/browser';
import { cmdline, descendants } from './lib/cpu';
import { report } from './lib/report';

const SWITCHES = Number(process.env.BENCH_SWITCHES ?? 500);
const host = await startBenchHost({
  idleGraceMs: 20_000,
  simRate: process.env.BENCH_SIM_RATE === undefined ? 1 : Number(process.env.BENCH_SIM_RATE) || null,
  log: () => undefined,
});
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
const cdp = await page.context().newCDPSession(page);
await page.goto(`${host.url}/wall/1`);
await page.evaluate(() => window.pantau!.call('wall.showCameras', { monitor: 1, cameraIds: [], layout: '4x4' }));
await withoutAlarmPops(host);
const kecamatan = host.console.catalog
  .districts()
  .slice(0, 3)
  .map((k) => `kec:${k.code}`);
// A console that has run for a while holds its full alert history (2,000 alerts in the window, 1,000
// in main): fill both before the baseline, so the run measures switching, not the history filling up.
const simRate = process.env.BENCH_SIM_RATE === undefined ? 1 : Number(process.env.BENCH_SIM_RATE);
if (host.simulator && simRate > 0) {
  host.simulator.setRate(250);
  await page.waitForTimeout(10_000);
  host.simulator.setRate(simRate);
}

const rendererRss = (): number => {
  let kb = 0;
  for (const pid of descendants(process.pid)) {
    if (!cmdline(pid).includes('--type=renderer')) continue;
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += Number(m?.[1] ?? 0);
    } catch {
      /* exited */
    }
  }
  return Math.round(kb / 1024);
};

async function sample() {
  // Twice: one full GC can leave garbage that only the next one frees (seen as 0.6 MiB steps).
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  const dom = (await cdp.send('Memory.getDOMCounters')) as { nodes: number; jsEventListeners: number };
  const videos = await page.locator('video').count();
  // The tiles' canvases handed to the media worker, and the ones the worker still holds.
  const canvases = await page.locator('canvas[data-surface]').count();
  const workerCanvases = page.workers().length ? await mediaWorker(page).evaluate(() => (self as unknown as { surfaceCount: () => number }).surfaceCount()) : 0;
  return { heapMiB: +(heap.usedSize / 2 ** 20).toFixed(2), domNodes: dom.nodes, listeners: dom.jsEventListeners, videos, canvases, workerCanvases, rendererRssMiB: rendererRss() };
}

const allLive = (node: string) =>
  page.waitForFunction(
    (ids) => {
      const tiles = [...document.querySelectorAll<HTMLElement>('[data-monitor="1"][data-tile]')];
      return tiles.length === 16 && tiles.every((t, i) => t.dataset.camera === ids[i] && t.dataset.state === 'live');
    },
    host.console.catalog
      .camerasOf(node as never)
      .slice(0, 16)
      .map((c) => c.id),
    { timeout: 60_000, polling: 100 },
  );

// The first `page.locator()` injects Playwright's own script into the page (~0.6 MiB of heap, 13
// listeners); do it before any sample, or the baseline lacks it and every later sample has it.
await sample();
const t0 = Date.now();
let atBaseline: Awaited<ReturnType<typeof sample>> | null = null;
/** The JS heap after a forced GC at every 50th switch: a leak climbs, a heap settling flattens. */
const heapSeries: number[] = [];
for (let i = 1; i <= SWITCHES; i++) {
  const node = kecamatan[i % kecamatan.length]!;
  await page.evaluate((n) => window.pantau!.call('wall.show', { monitors: [1], source: { kind: 'district', node: n } }), node);
  if (i % 50 === 0) {
    await allLive(node);
    const now = await sample();
    if (i === 50) atBaseline = now;
    heapSeries.push(now.heapMiB);
    process.stdout.write(`  switch ${i}: all 16 live, heap ${now.heapMiB} MiB, listeners ${now.listeners}\n`);
  } else {
    await page.waitForTimeout(400);
  }
}
const atEnd = await sample();
const minutes = (Date.now() - t0) / 60_000;
// Let the idle graces run out (a ticket's 2 s head start, then 20 s): only the 16 cameras on screen
// should keep an ffmpeg.
await page.waitForTimeout(26_000);
const health = (await (await fetch(`${host.url}/api/health`, { headers: { Authorization: `Bearer ${host.apiToken}` } })).json()) as {
  sessions: number;
  ffmpegProcesses: number;
  sessionsStopping: number;
  subscribers: number;
};
// Any ingest still running for a camera that is not on screen, by name, so a stray can be chased.
const onScreen = new Set(await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('[data-monitor="1"][data-tile]')].map((t) => t.dataset.camera ?? '')));
const strays = host.console.gateway
  .sessions()
  .filter((s) => !onScreen.has(s.health.cameraId))
  .map((s) => `${s.health.cameraId}/${s.health.quality} ${s.health.state}`);
await browser.close();
await host.close();

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const growth = (k: 'heapMiB' | 'domNodes' | 'rendererRssMiB') => +(((atEnd[k] - atBaseline![k]) / atBaseline![k]) * 100).toFixed(1);
report(
  'district-soak',
  {
    switches: SWITCHES,
    minutes: +minutes.toFixed(1),
    'at switch 50 (baseline)': atBaseline,
    [`at switch ${SWITCHES}`]: atEnd,
    'JS heap growth %': growth('heapMiB'),
    'JS heap after GC at switch 50, 100, … 500 (MiB)': heapSeries,
    // Second half against first half of the series: near zero when the heap has settled.
    'JS heap, mean of switches 300-500 vs 100-250 (%)': +((mean(heapSeries.slice(5)) / mean(heapSeries.slice(1, 5)) - 1) * 100).toFixed(1),
    'DOM nodes growth %': growth('domNodes'),
    'renderer RSS growth %': growth('rendererRssMiB'),
    'after settling': { sessions: health.sessions, ffmpeg: health.ffmpegProcesses, stopping: health.sessionsStopping, subscribers: health.subscribers },
    'sessions for cameras not on screen': strays,
    'goal met (growth < 10 %, ffmpeg == 16)': growth('heapMiB') < 10 && growth('domNodes') < 10 && growth('rendererRssMiB') < 10 && health.ffmpegProcesses === 16,
  },
  ['4x4 monitor, 3 kecamatan in turn, 400 ms between switches, every 50th waits for all 16 live; idle grace 20 s'],
  [
    { label: 'JS heap growth < 10 %', figure: 'JS heap growth %', atMost: 10 },
    { label: 'DOM nodes growth < 10 %', figure: 'DOM nodes growth %', atMost: 10 },
    { label: 'renderer RSS growth < 10 %', figure: 'renderer RSS growth %', atMost: 10 },
    { label: 'one ffmpeg per tile on screen after settling (16)', figure: 'after settling.ffmpeg', atMost: 16, atLeast: 16 },
  ],
);
