/**
 * Alert history, statistics and routing: the SQLite summary against a plain count over the same
 * rows, WIB hours, retention, a damaged database file, the CSV's totals, the simulator's history
 * endpoint pulled over real HTTP into the history, routing rules and escalation.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { ALERT_TYPES, StatsQuery, type AlertType, type AlertView } from '../../preload/contract.js';
import { loadCatalog } from '../catalog/load.js';
import { simulatedCameras } from '../demo/demo-setup.js';
import { AlertService } from './alert-service.js';
import { HistoryFiller, historyRow, openHistory } from './history-service.js';
import { AlertHistory, type HistoryRow } from './history.js';
import { PantauSource } from './pantau-source.js';
import { DEFAULT_ROUTING, routeAlert } from './routing.js';
import { AlertSimulator, busyness } from './simulator.js';
import { statsCsv } from './stats-csv.js';

const { catalog } = loadCatalog(join(__dirname, '..', '..', 'resources'), { rtspBase: 'rtsp://127.0.0.1:8554', demoStreams: 4 });
const labels = { district: (c: string) => catalog.districtName(c), camera: (id: string) => catalog.get(id)?.name };
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function rows(n: number, start: number, spanMs: number): HistoryRow[] {
  const cams = catalog.cameras.filter((_, i) => i % 97 === 0);
  let seed = 11;
  const r = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, (_, i) => {
    const cam = cams[Math.floor(r() * cams.length)]!;
    const type = ALERT_TYPES[Math.floor(r() * ALERT_TYPES.length)]!;
    return {
      id: `t-${i}`,
      t: start + Math.floor(r() * spanMs),
      type,
      severity: 'info',
      camera: cam.id,
      kecamatan: cam.kecamatanCode,
      kelurahan: cam.kelurahanCode,
      count: type === 'crowd' || type === 'trader_count' ? Math.floor(r() * 80) : null,
      agency: null,
    };
  });
}

describe('alert history (SQLite)', () => {
  const DAY = 86_400_000;
  const now = Date.parse('2026-12-01T00:00:00Z');

  it('counts like a plain scan, per kecamatan, type, hour (WIB) and day, with crowd and trader peaks and means', () => {
    const h = new AlertHistory({ file: ':memory:', now: () => now });
    cleanup.push(() => h.close());
    const data = rows(20_000, now - 30 * DAY, 30 * DAY);
    expect(h.recordMany(data)).toBe(20_000);
    expect(h.recordMany(data.slice(0, 10))).toBe(0); // same ids: skipped
    const from = now - 20 * DAY;
    const to = now - 5 * DAY;
    const inRange = data.filter((d) => d.t >= from && d.t < to);
    const wibHour = (t: number) => Math.floor(((t / 1000 + 7 * 3600) % 86400) / 3600);
    const wibDay = (t: number) => new Date(t + 7 * 3600_000).toISOString().slice(0, 10);
    const keyOf: Record<'kecamatan' | 'type' | 'hour' | 'day', (d: HistoryRow) => string> = {
      kecamatan: (d) => d.kecamatan,
      type: (d) => d.type,
      hour: (d) => String(wibHour(d.t)),
      day: (d) => wibDay(d.t),
    };
    for (const groupBy of ['kecamatan', 'type', 'hour', 'day'] as const) {
      const got = h.summary(StatsQuery.parse({ from, to, groupBy }), labels);
      expect(got.total).toBe(inRange.length);
      const want = new Map<string, HistoryRow[]>();
      for (const d of inRange) want.set(keyOf[groupBy](d), [...(want.get(keyOf[groupBy](d)) ?? []), d]);
      expect(got.rows.length).toBe(want.size);
      for (const row of got.rows) {
        const list = want.get(row.key)!;
        expect(row.count, `${groupBy} ${row.key}`).toBe(list.length);
        for (const ty of ALERT_TYPES) expect(row.byType[ty]).toBe(list.filter((d) => d.type === ty).length);
        const crowd = list.filter((d) => d.type === 'crowd').map((d) => d.count!);
        expect(row.crowd?.peak ?? null).toBe(crowd.length ? Math.max(...crowd) : null);
        if (crowd.length) expect(row.crowd!.avg).toBeCloseTo(crowd.reduce((a, b) => a + b, 0) / crowd.length, 0);
      }
      if (groupBy === 'kecamatan') expect(got.rows[0]!.label).toBe(catalog.districtName(got.rows[0]!.key));
      if (groupBy === 'hour') expect(got.rows.map((r) => r.key)).toEqual(got.rows.map((r) => r.key).sort((a, b) => Number(a) - Number(b)));
    }
    // Types filter, a second key, and a limit that keeps the total.
    const traders = h.summary(StatsQuery.parse({ from, to, groupBy: 'day', thenBy: 'camera', types: ['trader_count'], limit: 5 }), labels);
    expect(traders.total).toBe(inRange.filter((d) => d.type === 'trader_count').length);
    expect(traders.rows).toHaveLength(5);
    expect(traders.rows[0]!.label2).toBe(catalog.get(traders.rows[0]!.key2!)!.name);
  });

  it('writes the same totals to CSV as the summary, formulas escaped', () => {
    const h = new AlertHistory({ file: ':memory:', now: () => now });
    cleanup.push(() => h.close());
    h.recordMany(rows(3000, now - 10 * DAY, 10 * DAY));
    const q = StatsQuery.parse({ from: now - 10 * DAY, to: now, groupBy: 'kecamatan' });
    const summary = h.summary(q, labels);
    const out = statsCsv(summary);
    const table = parse<Record<string, string>>(out.csv, { columns: true });
    expect(table.reduce((s, r) => s + Number(r.count), 0)).toBe(summary.total);
    expect(table.map((r) => r.kecamatan_name)).toEqual(summary.rows.map((r) => r.label));
    const hostile = statsCsv({ ...summary, rows: [{ ...summary.rows[0]!, label: '=HYPERLINK("http://x")' }] });
    expect(hostile.csv).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it('refuses a query the wrong way round or over 400 days, naming the field', () => {
    expect(StatsQuery.safeParse({ from: 10, to: 5, groupBy: 'type' }).error?.issues[0]?.message).toBe('to must be after from');
    expect(StatsQuery.safeParse({ from: 0, to: 401 * DAY, groupBy: 'type' }).error?.issues[0]?.message).toBe('at most 400 days at once');
    expect(StatsQuery.safeParse({ from: 0, to: 5, groupBy: 'street' }).success).toBe(false);
  });

  it('drops what is older than its retention, and keeps the rest', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pantau-hist-')), 'h.sqlite');
    const h = new AlertHistory({ file, retentionDays: 90, now: () => now });
    h.recordMany(rows(1000, now - 120 * DAY, 120 * DAY));
    const kept = h.stored().rows;
    const dropped = h.prune();
    expect(dropped + h.stored().rows).toBe(kept);
    expect(h.stored().oldest).toBeGreaterThanOrEqual(now - 90 * DAY);
    h.close();
    // Reopened: still there.
    const again = new AlertHistory({ file, retentionDays: 90, now: () => now });
    expect(again.stored().rows).toBe(kept - dropped);
    again.close();
  });

  it('moves a damaged database file aside (kept, reported) and starts a new one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-hist-'));
    const file = join(dir, 'alert-history.sqlite');
    writeFileSync(file, 'this is not a database, just text that happens to be long enough '.repeat(100));
    const { history, problems } = openHistory(file);
    cleanup.push(() => history.close());
    expect(problems).toEqual([{ file, movedTo: expect.stringMatching(/alert-history\.sqlite\.damaged-\d+$/), message: expect.stringMatching(/not a database/), restored: false }]);
    expect(readdirSync(dir).some((f) => f.includes('.damaged-'))).toBe(true);
    expect(history.stored().rows).toBe(0);
  });
});

describe('history from the backend', () => {
  it('pulls 2 days of past alerts from the simulator over HTTP, page by page, once, and they add up', async () => {
    const cams = simulatedCameras(catalog.cameras, 50);
    const s = new AlertSimulator({ cameras: cams, rate: 0, backfillDays: 2, backfillRate: 0.1 });
    await s.start();
    cleanup.push(() => s.stop());
    const h = new AlertHistory({ file: ':memory:' });
    cleanup.push(() => h.close());
    const logs: string[] = [];
    const source = new PantauSource({ url: new URL(s.url) });
    const filler = new HistoryFiller({ history: h, source, camera: (id) => catalog.get(id), log: (m) => logs.push(m), route: (a) => routeAlert(DEFAULT_ROUTING, a.type, '', '') });
    filler.connected();
    await filler.settled();
    // 2 days at 0.1/s: 17,280 slots (one more or less at the ends).
    expect(Math.abs(h.stored().rows - 17_280)).toBeLessThanOrEqual(1);
    expect(filler.last).toMatchObject({ supported: true, rejected: 0 });
    expect(logs[0]).toMatch(/alert history: \d+ past alerts added/);
    // The same slots give the same alerts: a second pull adds only what is new since the newest.
    filler.connected();
    await filler.settled();
    expect(filler.last!.added).toBe(0);
    // Crowds follow the day: the evening (19:00 WIB) peak beats the small hours.
    const byHour = h.summary(StatsQuery.parse({ from: Date.now() - 3 * 86_400_000, to: Date.now(), groupBy: 'hour', types: ['crowd'] }), labels);
    const peak = (hr: string) => byHour.rows.find((r) => r.key === hr)?.crowd?.avg ?? 0;
    expect(peak('19')).toBeGreaterThan(peak('3') * 1.8);
    // Routed as the rules say.
    const agencies = h.summary(StatsQuery.parse({ from: Date.now() - 3 * 86_400_000, to: Date.now() + 1, groupBy: 'agency' }), labels);
    for (const r of agencies.rows)
      expect(
        Object.entries(r.byType)
          .filter(([, n]) => n > 0)
          .every(([ty]) => routeAlert(DEFAULT_ROUTING, ty as AlertType, '', '') === r.key),
        r.key,
      ).toBe(true);
    expect(agencies.rows.map((r) => r.key)).toEqual(expect.arrayContaining(['polrestabes', 'dishub']));
  });

  it('treats a backend without history (404) as nothing to pull', async () => {
    const s = new AlertSimulator({ cameras: simulatedCameras(catalog.cameras, 5), rate: 0 });
    await s.start();
    cleanup.push(() => s.stop());
    const h = new AlertHistory({ file: ':memory:' });
    cleanup.push(() => h.close());
    const filler = new HistoryFiller({ history: h, source: new PantauSource({ url: new URL(s.url) }), camera: (id) => catalog.get(id), log: () => undefined });
    filler.connected();
    await filler.settled();
    expect(filler.last).toEqual({ added: 0, rejected: 0, supported: false });
  });

  it('simulates a busy evening and a quiet night', () => {
    const at = (h: number) => busyness(Date.parse(`2026-12-01T${String((h + 17) % 24).padStart(2, '0')}:00:00Z`)); // WIB h
    expect(at(19)).toBeGreaterThan(1.2);
    expect(at(3)).toBeLessThan(0.4);
  });
});

describe('routing to agencies', () => {
  const kec = '33.74.01';
  const kel = '33.74.01.1001';
  it('sends each type to its agency by default', () => {
    const want: Record<AlertType, string> = { crime: 'polrestabes', crowd: 'polrestabes', trader_count: 'disperdag', illegal_parking: 'dishub', mask: 'satpolpp', incident: 'bpbd' };
    for (const ty of ALERT_TYPES) expect(routeAlert(DEFAULT_ROUTING, ty, kec, kel)).toBe(want[ty]);
  });

  it('lets a district rule come first, and the first matching rule wins', () => {
    const config = {
      escalateMinutes: 5,
      rules: [
        { types: ['crowd' as const], districts: [`kel:${kel}` as const], agency: 'satpolpp' as const },
        { types: [], districts: [`kec:33.74.02` as const], agency: 'bpbd' as const },
        ...DEFAULT_ROUTING.rules,
      ],
    };
    expect(routeAlert(config, 'crowd', kec, kel)).toBe('satpolpp');
    expect(routeAlert(config, 'crowd', kec, '33.74.01.1002')).toBe('polrestabes');
    expect(routeAlert(config, 'trader_count', '33.74.02', '33.74.02.1001')).toBe('bpbd');
    expect(routeAlert({ escalateMinutes: 5, rules: [] }, 'crime', kec, kel)).toBeNull();
  });

  it('escalates an alert nobody acknowledged in time, once, and not an acknowledged one', () => {
    let now = 1_000_000;
    const changed: AlertView[] = [];
    const svc = new AlertService({
      source: null,
      dataDir: mkdtempSync(join(tmpdir(), 'pantau-esc-')),
      camera: (id) => catalog.get(id),
      onChanged: (a) => changed.push(...a),
      onBackend: () => undefined,
      now: () => now,
      route: (a, cam) => routeAlert(DEFAULT_ROUTING, a.type, cam.kecamatanCode, cam.kelurahanCode ?? ''),
      escalateAfterMs: () => 10 * 60_000,
    });
    cleanup.push(() => svc.dispose());
    const cam = catalog.cameras[0]!.id;
    const alert = (id: string, type: AlertType) => ({ id, cameraId: cam, type, severity: 'warning', time: new Date(now).toISOString(), message: 'x', boxes: [] });
    svc.deliver({ kind: 'alert', raw: alert('a-crime', 'crime'), cursor: '1' });
    svc.deliver({ kind: 'alert', raw: alert('a-trader', 'trader_count'), cursor: '2' });
    expect(svc.get('a-crime')).toMatchObject({ agency: 'polrestabes', escalatedAt: null });
    expect(svc.get('a-trader')!.agency).toBe('disperdag');
    svc.ack('a-trader', 'budi', 'sudah dicek', 'disperdag');
    expect(svc.get('a-trader')!.ack).toMatchObject({ by: 'budi', agency: 'disperdag', note: 'sudah dicek' });
    now += 9 * 60_000;
    expect(svc.escalate()).toBe(0);
    now += 2 * 60_000;
    expect(svc.escalate()).toBe(1);
    expect(svc.get('a-crime')!.escalatedAt).toBe(now);
    expect(svc.get('a-trader')!.escalatedAt).toBeNull();
    expect(svc.escalate()).toBe(0);
    expect(historyRow(svc.get('a-crime')!, 'kel').agency).toBe('polrestabes');
  });
});
