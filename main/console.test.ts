import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError, API_VERSION, type WallState } from '../preload/contract.js';
import { loadCatalog } from './catalog/load.js';
import { buildServices, Console, type Handler, type ServiceFactory } from './console.js';

const resources = join(__dirname, '..', 'resources');
const { catalog } = loadCatalog(resources, { rtspBase: 'rtsp://127.0.0.1:1', demoStreams: 16 });
const dataDir = mkdtempSync(join(tmpdir(), 'pantau-console-'));
const make = () => new Console({ shell: 'web', catalog, dataDir, streamOrigin: () => 'http://127.0.0.1:9', initialCameras: catalog.cameras.slice(0, 4).map((c) => c.id), checkResults: true });
const app = make();
afterAll(() => app.dispose());

const op = { session: app.openSession().id };
const kiosk = { session: app.openSession('kiosk').id };
/** An operator session on another console. */
const opOn = (c: Console) => ({ session: c.openSession().id });
const code = async (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: ApiError) => e.code,
  );

describe('Console dispatch', () => {
  it('checks the API version', async () => {
    await expect(app.dispatch('console.hello', { apiVersion: API_VERSION }, op)).resolves.toMatchObject({ apiVersion: API_VERSION });
    expect(await code(app.dispatch('console.hello', { apiVersion: 99 }, op))).toBe('version_mismatch');
  });

  it('answers unknown commands and malformed arguments with typed errors', async () => {
    expect(await code(app.dispatch('rm -rf', {}, op))).toBe('unknown_command');
    expect(await code(app.dispatch('wall.assign', { monitor: 'one' }, op))).toBe('bad_request');
    expect(await code(app.dispatch('wall.assign', { monitor: 1, tile: 1, cameraId: 'no-such-camera' }, op))).toBe('not_found');
    expect(await code(app.dispatch('stream.open', { cameraId: 'no-such-camera', quality: 'sub' }, op))).toBe('not_found');
  });

  it('refuses commands a kiosk may not call', async () => {
    expect(await code(app.dispatch('wall.assign', { monitor: 1, tile: 1, cameraId: null }, kiosk))).toBe('forbidden');
    expect(await code(app.dispatch('catalog.search', { query: 'x' }, kiosk))).toBe('forbidden');
    expect(await code(app.dispatch('wall.get', {}, kiosk))).toBe('forbidden');
    expect(await code(app.dispatch('session.whoami', {}, kiosk))).toBe('ok');
  });

  it('hands out loopback stream URLs with a token, never the camera URL', async () => {
    const r = (await app.dispatch('stream.open', { cameraId: catalog.cameras[0]!.id, quality: 'sub' }, op)) as { url: string };
    expect(r.url).toMatch(/^ws:\/\/127\.0\.0\.1:9\/live\/[0-9a-f]{48}$/);
    expect(JSON.stringify(r)).not.toContain('rtsp');
  });

  it('says which quality it delivers: a camera without a sub stream sends its main one', async () => {
    // The demo's H.265 cameras have a main stream only.
    const withHevc = loadCatalog(resources, { rtspBase: 'rtsp://127.0.0.1:1', demoStreams: 16, hevc: { base: 'rtsp://127.0.0.1:1', count: 1 } }).catalog;
    const other = new Console({ shell: 'web', catalog: withHevc, dataDir: mkdtempSync(join(tmpdir(), 'pantau-console-')), streamOrigin: () => 'http://127.0.0.1:9', checkResults: true });
    try {
      const withSub = withHevc.cameras[0]!;
      const mainOnly = withHevc.cameras.find((c) => !c.streams.sub && c.streams.main.startsWith('rtsp'))!;
      expect(await other.dispatch('stream.open', { cameraId: withSub.id, quality: 'sub' }, opOn(other))).toMatchObject({ kind: 'fmp4', quality: 'sub' });
      expect(await other.dispatch('stream.open', { cameraId: mainOnly.id, quality: 'sub' }, opOn(other))).toMatchObject({ kind: 'fmp4', quality: 'main' });
    } finally {
      await other.dispose();
    }
  });

  it('remembers the language and the wall across a restart', async () => {
    await app.dispatch('settings.setLanguage', { language: 'en' }, op);
    await app.dispatch('wall.setLayout', { monitor: 1, layout: '3x3' }, op);
    await app.dispatch('wall.assign', { monitor: 1, tile: 9, cameraId: catalog.cameras[100]!.id }, op);
    const again = make();
    expect(await again.dispatch('settings.get', {}, opOn(again))).toEqual({ language: 'en' });
    const wall = (await again.dispatch('wall.get', {}, opOn(again))) as { monitors: { layout: string; tiles: { cameraId: string | null }[] }[] };
    expect(wall.monitors[0]!.layout).toBe('3x3');
    expect(wall.monitors[0]!.tiles[8]!.cameraId).toBe(catalog.cameras[100]!.id);
    await again.dispose();
  });
});

describe('the command table', () => {
  it('will not compile a handler that returns another command its result', () => {
    // @ts-expect-error wall.touch answers { pausedUntil }, not settings.get's { language }
    const wrong: Handler<'wall.touch'> = () => ({ language: 'en' as const });
    const right: Handler<'wall.touch'> = () => ({ pausedUntil: null });
    expect(typeof wrong).toBe('function');
    expect(right({ monitor: 1 }, { ...op, role: 'operator', desk: 'test' })).toEqual({ pausedUntil: null });
  });

  it('holds results to the contract when asked (tests do): every command the suite runs is checked', async () => {
    // The console here checks results (make() sets checkResults); a good call passes through.
    await expect(app.dispatch('wall.get', {}, op)).resolves.toMatchObject({ monitors: expect.any(Array) });
  });
});

describe('the services a console is built from', () => {
  it('come from a factory a test can replace piece by piece', async () => {
    let planned = 0;
    const counting: ServiceFactory = (options, sink) => {
      const services = buildServices(options, sink);
      const plan = services.gateway.plan.bind(services.gateway);
      services.gateway.plan = (...a) => (planned++, plan(...a));
      return services;
    };
    const c = new Console({ shell: 'web', catalog, dataDir: mkdtempSync(join(tmpdir(), 'pantau-console-')), streamOrigin: () => 'http://127.0.0.1:9', checkResults: true }, counting);
    try {
      await c.dispatch('stream.open', { cameraId: catalog.cameras[0]!.id, quality: 'sub' }, opOn(c));
      expect(planned).toBe(1);
    } finally {
      await c.dispose();
    }
  });
});

describe('sessions, presets and the audit trail', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-presets-'));
  const options = {
    shell: 'web' as const,
    catalog,
    dataDir: dir,
    streamOrigin: () => 'http://127.0.0.1:9',
    initialCameras: catalog.cameras.slice(0, 4).map((c) => c.id),
    checkResults: true,
    supervisorPin: '2468',
  };
  const c = new Console(options);
  afterAll(() => c.dispose());
  const operator = { session: c.openSession().id };
  const supervisor = { session: c.openSession().id };
  const cams = catalog.cameras.slice(10, 14).map((x) => x.id);

  it('refuses preset changes and the audit trail to an operator, even called directly, and records the refusal', async () => {
    for (const [command, args] of [
      ['presets.save', { name: 'Malam' }],
      ['presets.delete', { id: 'p-000000' }],
      ['audit.list', {}],
      ['audit.exportCsv', {}],
    ] as const) {
      const err = await c.dispatch(command, args, operator).catch((e: ApiError) => e);
      expect(err).toMatchObject({ code: 'forbidden', reason: { code: 'not_allowed', params: { command, role: 'operator' } } });
    }
    await c.dispatch('session.elevate', { pin: '2468' }, supervisor);
    const { entries } = (await c.dispatch('audit.list', {}, supervisor)) as { entries: { command: string; ok: boolean; role: string }[] };
    expect(entries.filter((e) => !e.ok).map((e) => e.command)).toEqual(['presets.save', 'presets.delete', 'audit.list', 'audit.exportCsv']);
    // The audit view's filters and CSV export, through the console's own command table.
    const refusals = (await c.dispatch('audit.list', { role: 'operator', command: 'audit' }, supervisor)) as { entries: { command: string }[] };
    expect(refusals.entries.map((e) => e.command)).toEqual(['audit.list', 'audit.exportCsv']);
    const { csv, rows } = (await c.dispatch('audit.exportCsv', { command: 'presets' }, supervisor)) as { csv: string; rows: number };
    expect(rows).toBe(2);
    expect(csv.split('\n')[0]).toBe('seq,time,desk,role,session,command,result,summary');
    expect(entries.at(-1)).toMatchObject({ command: 'session.elevate', ok: true, role: 'operator' });
    expect(JSON.stringify(entries)).not.toContain('2468');
  });

  it('saves the wall as a grouped preset; loading it is one revision, and a removed camera keeps its tile', async () => {
    await c.dispatch('wall.showCameras', { monitor: 1, cameraIds: cams, layout: '2x2' }, supervisor);
    const saved = (await c.dispatch('presets.save', { name: 'Banjir', group: 'Malam' }, supervisor)) as { id: string; number: number; monitors: { cameraIds: (string | null)[] }[] };
    expect(saved.monitors[0]!.cameraIds).toEqual(cams);
    await c.dispatch('wall.showCameras', { monitor: 1, cameraIds: [cams[0]!], layout: '3x3' }, operator);
    const before = (await c.dispatch('wall.get', {}, operator)) as { revision: number };
    const after = (await c.dispatch('presets.load', { number: saved.number }, operator)) as { revision: number; monitors: { layout: string; tiles: { cameraId: string | null }[] }[] };
    expect(after.revision).toBe(before.revision + 1);
    expect(after.monitors[0]!.layout).toBe('2x2');
    expect(after.monitors[0]!.tiles.map((t) => t.cameraId)).toEqual(cams);
    // A preset naming a camera the catalog no longer has still loads; the tile keeps the id.
    const json = (await c.dispatch('presets.export', {}, supervisor)) as { json: string };
    expect(json.json).not.toMatch(/rtsp|password|http/);
    const edited = json.json.replace('"Banjir"', '"Banjir lama"').replace(cams[2]!, 'rt-gone-camera');
    const report = (await c.dispatch('presets.import', { json: edited }, supervisor)) as { imported: { id: string }[] };
    const loaded = (await c.dispatch('presets.load', { id: report.imported[0]!.id }, operator)) as { monitors: { tiles: { cameraId: string | null }[] }[] };
    expect(loaded.monitors[0]!.tiles[2]!.cameraId).toBe('rt-gone-camera');
  });

  it('imports valid presets, names the preset and field of each invalid one, and asks before replacing a name', async () => {
    const good = { name: 'Pasar', group: 'Semarang Tengah', monitors: [{ monitor: 1, layout: '1x1', cameraIds: [cams[0]], enlarged: null, view: null }], alarmTile: null };
    const bad = { ...good, name: 'Rusak', monitors: [{ ...good.monitors[0], layout: '9x9' }] };
    const file = JSON.stringify({ format: 'pantau-presets', version: 1, presets: [good, bad, { ...good, name: 'Banjir' }] });
    const report = (await c.dispatch('presets.import', { json: file }, supervisor)) as { imported: { name: string }[]; conflicts: string[]; errors: string[] };
    expect(report.imported.map((p) => p.name)).toEqual(['Pasar']);
    expect(report.conflicts).toEqual(['Banjir']);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatch(/^preset "Rusak": monitors\.0\.layout: /);
    const err = await c.dispatch('presets.import', { json: '{"format":"other"}' }, supervisor).catch((e: ApiError) => e);
    expect(err).toMatchObject({ code: 'bad_request' });
    expect((err as ApiError).message).toMatch(/format/);
    const overwrite = (await c.dispatch('presets.import', { json: file, overwrite: true }, supervisor)) as { imported: { name: string }[] };
    expect(overwrite.imported.map((p) => p.name)).toEqual(['Pasar', 'Banjir']);
  });

  it('keeps camera credentials for supervisors in main: the stream URL gets them, no answer or audit line shows them', async () => {
    const cam = catalog.cameras.find((x) => !/@/.test(x.streams.main))!;
    const args = { cameraId: cam.id, user: 'nvr-admin', password: 'Rahasia#2026' };
    expect(await c.dispatch('cameras.setCredentials', args, operator).catch((e: ApiError) => e.code)).toBe('forbidden');
    expect(await c.dispatch('cameras.setCredentials', { ...args, cameraId: 'no-such-camera' }, supervisor).catch((e: ApiError) => e.code)).toBe('not_found');
    expect(await c.dispatch('cameras.setCredentials', args, supervisor)).toEqual({ cameraId: cam.id, protection: 'owner-only-file' });
    expect(await c.dispatch('cameras.credentials', {}, supervisor)).toEqual({ cameraIds: [cam.id], protection: 'owner-only-file' });
    expect(c.gateway.source(cam.id, 'main').url).toContain('nvr-admin:Rahasia%232026@');
    expect(c.health().credentialProtection).toBe('owner-only-file');
    const { entries } = (await c.dispatch('audit.list', { command: 'cameras' }, supervisor)) as { entries: { summary: string; ok: boolean }[] };
    expect(entries.map((e) => e.ok)).toEqual([false, true]); // the operator's refusal, the supervisor's change
    expect(JSON.stringify(entries)).not.toMatch(/nvr-admin|Rahasia/);
    await c.dispatch('cameras.clearCredentials', { cameraId: cam.id }, supervisor);
    expect(c.gateway.source(cam.id, 'main').url).not.toContain('nvr-admin');
  });

  it('renames, reorders and deletes; a restart keeps every preset, the PIN and the audit trail', async () => {
    const { presets } = (await c.dispatch('presets.list', {}, operator)) as { presets: { id: string; name: string }[] };
    await c.dispatch('presets.rename', { id: presets[0]!.id, name: 'Banjir Kali Garang' }, supervisor);
    await c.dispatch('presets.reorder', { ids: [presets.at(-1)!.id] }, supervisor);
    await c.dispatch('presets.delete', { id: presets[1]!.id }, supervisor);
    const now = ((await c.dispatch('presets.list', {}, operator)) as { presets: { name: string }[] }).presets.map((p) => p.name);
    const again = new Console({ ...options, supervisorPin: undefined });
    try {
      const s = { session: again.openSession().id };
      expect(((await again.dispatch('presets.list', {}, s)) as { presets: { name: string }[] }).presets.map((p) => p.name)).toEqual(now);
      await again.dispatch('session.elevate', { pin: '2468' }, s);
      const { entries, intact } = (await again.dispatch('audit.list', { limit: 1000 }, s)) as { entries: { command: string }[]; intact: boolean };
      expect(intact).toBe(true);
      expect(entries.map((e) => e.command)).toContain('presets.delete');
    } finally {
      await again.dispose();
    }
    // A hand-broken presets file: moved aside (kept), reported in health, and the backup restored.
    writeFileSync(join(dir, 'presets.json'), '{"schemaVersion":1,"presets":[{"name":');
    const third = new Console({ ...options, supervisorPin: undefined });
    try {
      const s = { session: third.openSession().id };
      expect(((await third.dispatch('presets.list', {}, s)) as { presets: { name: string }[] }).presets.map((p) => p.name)).toEqual(now);
      const problems = third.health().storeProblems;
      expect(problems).toEqual([expect.objectContaining({ file: join(dir, 'presets.json'), restored: true, movedTo: expect.stringMatching(/presets\.corrupt-.+\.json$/) })]);
      expect(readFileSync(problems[0]!.movedTo, 'utf8')).toBe('{"schemaVersion":1,"presets":[{"name":');
    } finally {
      await third.dispose();
    }
  });
});

describe('stores from earlier versions', () => {
  it('reads a first-release settings file (no version): language and wall kept, the newer fields filled in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-v0-'));
    const ids = catalog.cameras.slice(0, 2).map((x) => x.id);
    const v0 = {
      language: 'en',
      ffmpegPath: null,
      displays: {},
      wall: { revision: 9, monitors: [{ monitor: 1, name: 'Monitor 1', layout: '1+5', tiles: Array.from({ length: 6 }, (_, i) => ({ tile: i + 1, cameraId: ids[i] ?? null })) }] },
    };
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(v0));
    const c = new Console({ shell: 'web', catalog, dataDir: dir, streamOrigin: () => 'http://127.0.0.1:9', checkResults: true });
    try {
      const s = { session: c.openSession().id };
      expect(await c.dispatch('settings.get', {}, s)).toEqual({ language: 'en' });
      const wall = (await c.dispatch('wall.get', {}, s)) as WallState;
      expect(wall.monitors[0]!.layout).toBe('1+5');
      expect(wall.monitors[0]!.tiles.slice(0, 2).map((t) => t.cameraId)).toEqual(ids);
      const file = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
      expect(file).toMatchObject({ schemaVersion: 1, transcodeBudget: expect.any(Number), deskName: expect.any(String) });
      expect(c.health().errors).toEqual([]);
    } finally {
      await c.dispose();
    }
  });
});

describe('a flood of commands from one session', () => {
  it('is refused past its burst without stopping main, leaves other desks alone, and is audited once a second', async () => {
    const c = new Console({ shell: 'web', catalog, dataDir: mkdtempSync(join(tmpdir(), 'pantau-flood-')), streamOrigin: () => 'http://127.0.0.1:9', checkResults: true, supervisorPin: '2468' });
    try {
      const flooder = { session: c.openSession().id };
      const other = { session: c.openSession().id };
      // 10,000 commands at once (one tick), as a script or a compromised page would send them.
      const outcomes = await Promise.all(
        Array.from({ length: 10_000 }, () =>
          c.dispatch('session.whoami', {}, flooder).then(
            () => 'ok',
            (e: ApiError) => `${e.code}:${e.reason?.code ?? '-'}`,
          ),
        ),
      );
      const ok = outcomes.filter((o) => o === 'ok').length;
      // The burst (1,000), plus what 500 a second refilled while the calls were made.
      expect(ok).toBeGreaterThanOrEqual(1_000);
      expect(ok).toBeLessThan(2_000);
      expect(outcomes.filter((o) => o === 'unavailable:rate_limited')).toHaveLength(10_000 - ok);
      // Main answers everyone else at once.
      await expect(c.dispatch('session.whoami', {}, other)).resolves.toMatchObject({ role: 'operator' });
      // The audit trail says who flooded and how much, in a line a second, not a line a call.
      const supervisor = { session: c.openSession().id };
      await c.dispatch('session.elevate', { pin: '2468' }, supervisor);
      const { entries } = (await c.dispatch('audit.list', { command: 'rate_limited' }, supervisor)) as { entries: { command: string; ok: boolean; session: string; summary: string }[] };
      expect(entries.length).toBeGreaterThanOrEqual(1);
      expect(entries.length).toBeLessThanOrEqual(3);
      expect(entries[0]).toMatchObject({ command: 'rate_limited', ok: false, session: flooder.session });
      expect(entries[0]!.summary).toContain('session.whoami');
      // A closed session takes its bucket with it.
      c.closeSession(flooder.session);
      expect((c as unknown as { rates: { size: number } }).rates.size).toBe(2);
    } finally {
      await c.dispose();
    }
  });
});
