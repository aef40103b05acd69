/**
 * Dead cameras: what a kecamatan's 64 cameras that all refuse at once (a cut fibre, a district's
 * switch down) cost the console while its ingests keep trying them. Each try starts an ffmpeg (about
 * 0.1 s of CPU before it reads a byte). The gateway as it ships (reconnect attempts paced across all
 * cameras: retry-pacer.ts) against the same gateway with each ingest left to its own backoff
 * (retryGapMs 0, as before session 28), in the same run, the order alternating by run. The whole
 * machine's CPU is read from /proc/stat: the ffmpegs live a tenth of a second each, too short to
 * read per process.
 */
import { join } from 'node:path';
import { Catalog } from '../main/catalog/catalog';
import { loadWilayah } from '../main/catalog/wilayah';
import { resourcesDir } from '../main/paths';
import { findFfmpeg } from '../main/streams/ffmpeg';
import { testCamera } from '../main/streams/camera.test-support';
import { StreamGateway } from '../main/streams/gateway';
import { RETRIES_PER_SECOND } from '../main/streams/retry-pacer';
import { machineShare, machineTicks } from './lib/cpu';
import { report } from './lib/report';

const CAMERAS = 64;
const SETTLE_MS = 5_000;
const MS = 15_000;
const resources = resourcesDir(process.cwd());
const ffmpeg = findFfmpeg();
const wilayah = loadWilayah(join(resources, 'data', 'semarang-wilayah.json'));
// Port 9 (discard) has no listener on 127.0.0.1: every attempt is refused at once, as a camera behind a dead link is.
const cameras = Array.from({ length: CAMERAS }, (_, i) => testCamera(`dead-${i + 1}`, i + 1, `rtsp://127.0.0.1:9/dead-${i + 1}`));
const catalog = new Catalog(cameras, wilayah);

async function measure(retryGapMs: number | undefined) {
  const gateway = new StreamGateway({ catalog, ffmpegPath: () => ffmpeg, idleGraceMs: 300, prestartedFfmpegs: 0, retryGapMs });
  const leases = cameras.map((c) => gateway.acquire(c.id, 'main'));
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const attempts0 = leases.reduce((a, l) => a + l.session.attempts, 0);
  const m0 = machineTicks();
  const node0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, MS));
  const secs = (performance.now() - t0) / 1000;
  const machine = machineShare(m0, machineTicks());
  const node = process.cpuUsage(node0);
  const attempts = leases.reduce((a, l) => a + l.session.attempts, 0) - attempts0;
  // The longest any camera waits between two tries: how soon one that comes back is live again.
  const waits = leases.map((l) => (l.session.health.retryAt ?? Date.now()) - Date.now());
  for (const l of leases) l.release();
  await gateway.dispose();
  await new Promise((r) => setTimeout(r, 2_000));
  return {
    attemptsPerSecond: Math.round((attempts / secs) * 10) / 10,
    machineBusyPctOfBothCores: Math.round(machine.busy * 10) / 10,
    consoleProcessCpuPct: Math.round(((node.user + node.system) / 1000 / (secs * 1000)) * 1000) / 10,
    longestWaitToNextTryS: Math.round(Math.max(...waits) / 100) / 10,
  };
}

// Which goes first alternates by run (the run's number is in its result file's name).
const run = Number(/run-(\d+)\.json$/.exec(process.env.BENCH_RUN_FILE ?? '')?.[1] ?? 1);
const figures: Record<string, unknown> = {};
const order: [string, number | undefined][] = [
  ['paced (as it ships)', undefined],
  ['each ingest on its own backoff (before)', 0],
];
if (run % 2 === 0) order.reverse();
for (const [label, gap] of order) figures[`${CAMERAS} dead cameras: ${label}`] = await measure(gap);
report(
  'dead-cameras',
  figures,
  [
    `${CAMERAS} cameras refusing every connection (127.0.0.1:9), each with a viewer; no prestarted ffmpegs; ${SETTLE_MS / 1000} s after the first attempts, ${MS / 1000} s measured. Paced: at most ${RETRIES_PER_SECOND} reconnect attempts a second across all cameras.`,
    'machineBusyPctOfBothCores: the whole machine from /proc/stat (the benchmark runs alone); consoleProcessCpuPct: this process (the gateway, and Node forking each ffmpeg), % of one core.',
    'longestWaitToNextTryS: at the end of the window, the longest any camera waits for its next try: a camera that returns is live again within about that.',
  ],
  [{ label: `at most ${RETRIES_PER_SECOND} reconnect attempts a second, paced`, figure: `${CAMERAS} dead cameras: paced (as it ships).attemptsPerSecond`, atMost: RETRIES_PER_SECOND }],
);
process.exit(0);
