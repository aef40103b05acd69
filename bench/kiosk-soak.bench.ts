/**
 * The RT kiosk left alone (default 10 minutes, BENCH_SOAK_MINUTES): the demo profile's three catalog
 * cameras plus a camera the residents added, on an RTSP server of its own that goes away for 20 s at
 * the start of every minute (the camera's network lost and regained). The kiosk page must show
 * "Kamera tidak tersedia" each time and come back live by itself; memory and processes must stay flat.
 * Measured after 2 minutes (the baseline, in the same run, once the page has settled) and at the end: the page's JS heap after a
 * forced GC, its DOM nodes, the renderer processes' RSS, the console's RSS and its JS heap after a
 * full GC (the console runs in a process of its own, `node dist/main/web/cli.js --kiosk`, as a kiosk
 * machine runs it; its heap is read over the inspector protocol), ffmpeg processes
 * and all processes under this one (by kind, so a process Chromium starts for itself is told from one
 * of Pantau's). Goals: every outage seen and recovered from, growth under 10 %, the same number of
 * Pantau's processes. Both heaps are also sampled every minute, to tell a heap still settling from one
 * that climbs. For hours: BENCH_SOAK_MINUTES=60 BENCH_PARALLEL=1 (three runs side by side).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CameraFarm } from '../main/demo/camera-farm';
import { findFfmpeg } from '../main/streams/ffmpeg';
import { cacheDir, resourcesDir } from '../main/paths';
import { launch } from './lib/browser';
import { cmdline, descendants } from './lib/cpu';
import { startConsoleProcess } from './lib/console-process';
import { report } from './lib/report';

const MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
const OUTAGE_MS = 20_000;
/**
 * The baseline is taken after this many minutes: a run without outages showed the page's heap take
 * a one-time step of 0.7 MiB between its first and second minute (3.68 -> 4.36 MiB), then stay.
 */
const WARM_UP_MINUTES = 2;
/** BENCH_SOAK_OUTAGES=0: the same run without outages, to tell what reconnecting costs from what time does. */
const WITH_OUTAGES = process.env.BENCH_SOAK_OUTAGES !== '0';

// The residents' camera: a one-camera farm whose server the bench stops and starts.
const residents = new CameraFarm({ ffmpegPath: findFfmpeg(), resources: resourcesDir(process.cwd()), cacheDir: cacheDir(), cameras: 1, hlsCameras: 0, hevcCameras: 0, watchdogMs: 0 });
await residents.start();
const demo = JSON.parse(readFileSync('resources/demo/kiosk-rt.json', 'utf8')) as { cameras: unknown[] };
const file = join(mkdtempSync(join(tmpdir(), 'pantau-kiosk-soak-')), 'kiosk.json');
writeFileSync(file, JSON.stringify({ ...demo, cameras: [...demo.cameras, { name: 'Kamera Warga', url: `${residents.rtspBase}/demo01/sub` }] }));
const host = await startConsoleProcess(['--kiosk', file]);
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
const cdp = await page.context().newCDPSession(page);
await page.goto(`${host.url}/`);
const residentsTile = page.locator('[data-kiosk-slot="4"]');
const allLive = () => page.locator('[data-kiosk-slot][data-state="live"]').count();
await page.waitForFunction(() => document.querySelectorAll('[data-kiosk-slot][data-state="live"]').length === 4, undefined, { timeout: 90_000, polling: 200 });

const rss = (pid: number): number => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0; // exited
  }
};
async function sample() {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  const dom = (await cdp.send('Memory.getDOMCounters')) as { nodes: number };
  const procs = descendants(process.pid);
  names = new Map(procs.map((p) => [p, processName(p)]));
  const renderers = procs.filter((p) => cmdline(p).includes('--type=renderer'));
  const consoleHeapMiB = await host.heapAfterGcMiB();
  return {
    heapMiB: +(heap.usedSize / 2 ** 20).toFixed(2),
    domNodes: dom.nodes,
    rendererRssMiB: Math.round(renderers.reduce((a, p) => a + rss(p), 0) / 1024),
    consoleRssMiB: Math.round(rss(host.pid) / 1024),
    consoleHeapMiB,
    ffmpeg: procs.filter((p) => cmdline(p).includes('ffmpeg')).length,
    processes: procs.length,
    // Pantau's own: the console's ffmpegs, the demo farm's publishers and servers (not Chromium's).
    pantauProcesses: procs.filter((p) => !(names.get(p) ?? '').startsWith('chromium')).length,
    liveTiles: await allLive(),
  };
}

/** Every process under this one by the last sample, with a short name, to say which ones came or went. */
let names = new Map<number, string>();
const processName = (pid: number): string => {
  const c = cmdline(pid);
  const type = /--type=([a-z-]+)/.exec(c)?.[1];
  return type ? `chromium ${type}` : (c.split(/\s+/)[0]?.split('/').pop() ?? '?');
};
const countBy = (m: Map<number, string>) => [...m.values()].reduce((acc, n) => acc.set(n, (acc.get(n) ?? 0) + 1), new Map<string, number>());
/** The page's JS heap after a forced GC at the start of every minute: a leak climbs, a heap settling flattens. */
const heapSeries: number[] = [];
/** The same for the console (its own process), after a full GC. */
const consoleHeapSeries: number[] = [];
let outages = 0;
let seenDown = 0;
let recovered = 0;
const recoverSeconds: number[] = [];
let baseline: Awaited<ReturnType<typeof sample>> | null = null;
let baselineNames = new Map<number, string>();
const t0 = Date.now();
for (let minute = 0; minute < MINUTES; minute++) {
  const start = t0 + minute * 60_000;
  await page.waitForTimeout(Math.max(0, start - Date.now()));
  if (minute >= 1) {
    const now = await sample();
    heapSeries.push(now.heapMiB);
    consoleHeapSeries.push(now.consoleHeapMiB);
    if (minute === WARM_UP_MINUTES) {
      baseline = now;
      baselineNames = names;
    }
  }
  if (!WITH_OUTAGES) continue;
  outages++;
  await residents.stopServer();
  const down = await residentsTile
    .getByTestId('kiosk-unavailable')
    .waitFor({ timeout: OUTAGE_MS })
    .then(
      () => true,
      () => false,
    );
  if (down) seenDown++;
  await page.waitForTimeout(Math.max(0, start + OUTAGE_MS - Date.now()));
  await residents.restartServer();
  const back = Date.now();
  const live = await page
    .waitForFunction(() => document.querySelector<HTMLElement>('[data-kiosk-slot="4"]')?.dataset.state === 'live', undefined, { timeout: 35_000, polling: 200 })
    .then(
      () => true,
      () => false,
    );
  if (live) {
    recovered++;
    recoverSeconds.push(+((Date.now() - back) / 1000).toFixed(1));
  }
  process.stdout.write(`  minute ${minute + 1}: unavailable shown ${down}, live again ${live ? `in ${recoverSeconds.at(-1)} s` : 'NO'}\n`);
}
await page.waitForTimeout(Math.max(0, t0 + MINUTES * 60_000 - Date.now()));
const end = await sample();
heapSeries.push(end.heapMiB);
consoleHeapSeries.push(end.consoleHeapMiB);
// Which kinds of process there are more or fewer of at the end than at the baseline.
const before = countBy(baselineNames);
const after = countBy(names);
const processChanges = [...new Set([...before.keys(), ...after.keys()])]
  .map((n) => [n, (after.get(n) ?? 0) - (before.get(n) ?? 0)] as const)
  .filter(([, d]) => d !== 0)
  .map(([n, d]) => `${n} ${d > 0 ? '+' : ''}${d}`);
await browser.close();
await host.stop();
await residents.stop();

/** A heap series' change per minute over its last five samples (a minute apart), or null when shorter. */
const lastFiveMinutesDrift = (series: number[]) => (series.length > 5 ? +((series.at(-1)! - series.at(-6)!) / 5).toFixed(3) : null);
const growth = (k: 'heapMiB' | 'domNodes' | 'rendererRssMiB' | 'consoleRssMiB' | 'consoleHeapMiB') => +(((end[k] - baseline![k]) / baseline![k]) * 100).toFixed(1);
report(
  'kiosk-soak',
  {
    minutes: MINUTES,
    outages,
    'outages shown as "Kamera tidak tersedia"': seenDown,
    'outages recovered from by itself': recovered,
    'seconds from the camera back to live, per outage': recoverSeconds,
    [`after ${WARM_UP_MINUTES} minutes (baseline)`]: baseline,
    'at the end': end,
    'JS heap growth %': growth('heapMiB'),
    'JS heap after GC at minute 1, 2, … and the end (MiB)': heapSeries,
    'processes that came or went (by kind)': processChanges,
    'DOM nodes growth %': growth('domNodes'),
    'renderer RSS growth %': growth('rendererRssMiB'),
    'console RSS growth %': growth('consoleRssMiB'),
    'console JS heap growth %': growth('consoleHeapMiB'),
    'console JS heap after GC at minute 1, 2, … and the end (MiB)': consoleHeapSeries,
    'console JS heap drift over the last 5 minutes (MiB per minute)': lastFiveMinutesDrift(consoleHeapSeries),
    'process count change': end.processes - baseline!.processes,
    "Pantau's process count change (all but Chromium's)": end.pantauProcesses - baseline!.pantauProcesses,
    // The heap's drift over the last five minutes, after its first-minutes settling.
    'JS heap drift over the last 5 minutes (MiB per minute)': lastFiveMinutesDrift(heapSeries),
    'ffmpeg count change': end.ffmpeg - baseline!.ffmpeg,
  },
  [`demo kiosk profile (3 catalog cameras) plus a residents' camera whose RTSP server stops for ${OUTAGE_MS / 1000} s every minute; 1600x900`],
  [
    { label: 'every outage recovered from', figure: 'outages recovered from by itself', atLeast: MINUTES },
    { label: 'every outage shown', figure: 'outages shown as "Kamera tidak tersedia"', atLeast: MINUTES },
    { label: 'JS heap growth < 10 %', figure: 'JS heap growth %', atMost: 10 },
    { label: 'renderer RSS growth < 10 %', figure: 'renderer RSS growth %', atMost: 10 },
    { label: 'console RSS growth < 10 %', figure: 'console RSS growth %', atMost: 10 },
    { label: 'console JS heap growth < 10 %', figure: 'console JS heap growth %', atMost: 10 },
    { label: "same number of Pantau's processes", figure: "Pantau's process count change (all but Chromium's)", atMost: 0, atLeast: 0 },
  ],
);
