/**
 * Loading a preset: a 2-monitor wall (two 4x4 monitors, 32 cameras, a district paged over both), from
 * `presets.load` until all 32 tiles in both wall windows show its cameras live. Baseline in the same
 * run: the same cameras put on with `wall.show` (the district over both monitors). Cold: none of the
 * cameras has an ingest running; warm: they are all in their idle grace (switching back and forth).
 * Each action goes through main's dispatch with an operator session, as the panel and keypad do.
 */
import type { Page } from 'playwright-core';
import type { WallState } from '../preload/contract';
import { startBenchHost } from './lib/host';
import { launch } from './lib/browser';
import { percentile } from './lib/cpu';
import { report } from './lib/report';

const GRACE_MS = 8_000;
const PIN = '4321';
const host = await startBenchHost({ idleGraceMs: GRACE_MS, monitors: 2, supervisorPin: PIN });
await host.farm!.keepStreaming();
const app = host.console;
const operator = { session: app.openSession().id };
const supervisor = { session: app.openSession().id };
await app.dispatch('session.elevate', { pin: PIN }, supervisor);
await app.dispatch('alerts.setConfig', { rules: [] }, supervisor); // no alarm pops onto a tile
const browser = await launch();
const pages: Page[] = [];
for (const m of [1, 2]) {
  const p = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await p.goto(`${host.url}/wall/${m}`);
  pages.push(p);
}
const kecamatan = app.catalog.districts().map((k) => `kec:${k.code}` as const);
const show = (node: string) => app.dispatch('wall.show', { monitors: [1, 2], source: { kind: 'district', node }, layout: '4x4' }, operator) as Promise<WallState>;

/** ms from `act` until every tile of both windows shows `want` (by monitor) live; polled every 25 ms. */
async function untilAllLive(act: () => Promise<WallState>): Promise<number> {
  const t0 = Date.now();
  const state = await act();
  const want = state.monitors.slice(0, 2).map((m) => m.tiles.map((t) => t.cameraId ?? ''));
  for (;;) {
    const done = await Promise.all(
      pages.map((p, i) =>
        p.evaluate(
          ({ m, ids }) => {
            const tiles = [...document.querySelectorAll<HTMLElement>(`[data-monitor="${m}"][data-tile]`)];
            return tiles.length === ids.length && tiles.every((t, k) => t.dataset.camera === ids[k] && (ids[k] === '' || t.dataset.state === 'live'));
          },
          { m: i + 1, ids: want[i]! },
        ),
      ),
    );
    if (done.every(Boolean)) return Date.now() - t0;
    if (Date.now() - t0 > 30_000) throw new Error('not all 32 tiles live within 30 s');
    await new Promise((r) => setTimeout(r, 25));
  }
}
const settle = () => new Promise((r) => setTimeout(r, GRACE_MS + 2_000));
/** Empties both monitors and waits out the idle grace: no ingest runs for the next sample's cameras. */
async function coldStart(): Promise<void> {
  for (const monitor of [1, 2]) await app.dispatch('wall.showCameras', { monitor, cameraIds: [], layout: '4x4' }, operator);
  await settle();
}
const failed: string[] = [];
async function sample(into: number[], what: string, act: () => Promise<WallState>): Promise<void> {
  try {
    into.push(await untilAllLive(act));
  } catch (err) {
    failed.push(`${what}: ${(err as Error).message}`);
  }
}

// Six presets, each a district over both monitors, saved by the supervisor from the wall.
const ids: string[] = [];
for (let i = 0; i < 6; i++) {
  await show(kecamatan[i]!);
  const p = (await app.dispatch('presets.save', { name: `Bench ${i}`, group: 'bench' }, supervisor)) as { id: string };
  ids.push(p.id);
}
const load = (i: number) => () => app.dispatch('presets.load', { id: ids[i]! }, operator) as Promise<WallState>;

const cold = { preset: [] as number[], show: [] as number[] };
const warm = { preset: [] as number[], show: [] as number[] };
// Cold: districts 0..3, each once by preset and once by wall.show (order alternating), each from an
// empty wall whose ingests have stopped.
for (let i = 0; i < 4; i++) {
  const order = i % 2 ? (['show', 'preset'] as const) : (['preset', 'show'] as const);
  for (const how of order) {
    await coldStart();
    await sample(cold[how], `cold ${how} ${i}`, how === 'preset' ? load(i) : () => show(kecamatan[i]!));
  }
}
await coldStart();
// Warm: back and forth between districts 4 and 5, four times each way.
for (const how of ['preset', 'show'] as const) {
  const go = (i: number) => (how === 'preset' ? load(i) : () => show(kecamatan[i]!));
  await sample([], `warm ${how} first`, go(4));
  await sample([], `warm ${how} first`, go(5));
  for (let k = 0; k < 4; k++) {
    await sample(warm[how], `warm ${how}`, go(4));
    await sample(warm[how], `warm ${how}`, go(5));
  }
}
await browser.close();
await host.close();

const s = (xs: number[]) => ({ p50: Math.round(percentile(xs, 50)), p95: Math.round(percentile(xs, 95)), n: xs.length });
report(
  'preset-load',
  {
    'cold: presets.load, ms to 32 live': s(cold.preset),
    'cold: baseline wall.show, ms to 32 live': s(cold.show),
    'warm: presets.load, ms to 32 live': s(warm.preset),
    'warm: baseline wall.show, ms to 32 live': s(warm.show),
    'failed samples (not all 32 live within 30 s)': failed.length,
  },
  [
    'two 4x4 monitors (two wall windows, 1600x900 each), a kecamatan of the Semarang demo paged over both: 32 sub streams (320x180, 15 fps)',
    `idle grace ${GRACE_MS / 1000} s; cold samples wait for the previous wall's ingests to stop; every demo mount kept streaming`,
    'timed in Node from the dispatch until both windows show every tile live (polled every 25 ms); cold samples start from an empty wall',
    ...failed.map((f) => `failed sample: ${f}`),
  ],
);
process.exit(0);
