import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError, type KioskProfile, type KioskProfileInput } from '../../preload/contract.js';
import { loadCatalog } from '../catalog/load.js';
import { Console } from '../console.js';
import { alertSourceFrom } from '../alerts/configure.js';
import { JsonStore } from '../store/json-store.js';
import { KioskService, MAINTENANCE_IDLE_MS } from './kiosk-service.js';
import { KioskProfileBook, KioskProfilesFile } from './profile-book.js';
import { KioskProfileError, parseKioskProfile, readKioskProfile, resolveKioskProfile } from './profile.js';

const resources = join(__dirname, '..', '..', 'resources');
const { catalog } = loadCatalog(resources, { rtspBase: 'rtsp://127.0.0.1:1', demoStreams: 16 });
const demoText = readFileSync(join(resources, 'demo', 'kiosk-rt.json'), 'utf8');
const demo = JSON.parse(demoText) as KioskProfileInput;
const tmp = () => mkdtempSync(join(tmpdir(), 'pantau-kiosk-'));
const problemsOf = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof KioskProfileError) return e.problems;
    throw e;
  }
  return [];
};
const resolve = (p: KioskProfileInput) => resolveKioskProfile(parseKioskProfile(JSON.stringify(p), 'test.json'), catalog, 'test.json');
const code = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: ApiError) => `${e.code}${e.reason ? `:${e.reason.code}` : ''}`,
  );

describe('kiosk profiles', () => {
  it('reads the demo profile: a real RT of the demo catalog, its three cameras', () => {
    const cams = resolve(demo);
    expect(cams.map((c) => [c.slot, c.id, c.name])).toEqual([
      [1, 'rt-3374081001-01-03', 'RT 03/RW 01 Candi'],
      [2, 'prv-059', 'Privat 059 Candi'],
      [3, 'prv-236', 'Privat 236 Candi'],
    ]);
  });

  it('names what is wrong with a malformed file, and refuses it whole', () => {
    expect(problemsOf(() => parseKioskProfile('{"format": "pantau-kiosk",', 'a.json'))[0]).toMatch(/^not valid JSON/);
    expect(problemsOf(() => parseKioskProfile('{"presets": []}', 'a.json'))).toEqual(['format: expected "pantau-kiosk" (is this a kiosk profile?)']);
    expect(problemsOf(() => parseKioskProfile(JSON.stringify({ ...demo, cameras: [] }), 'a.json'))).toEqual(['cameras: a kiosk shows 1 to 4 cameras']);
    const five = Array.from({ length: 5 }, () => ({ catalogId: 'prv-059' }));
    expect(problemsOf(() => parseKioskProfile(JSON.stringify({ ...demo, cameras: five }), 'a.json'))).toEqual(['cameras: a kiosk shows 1 to 4 cameras']);
    expect(problemsOf(() => parseKioskProfile(JSON.stringify({ ...demo, rt: { ...demo.rt, kelurahanCode: 'Candi' } }), 'a.json'))).toEqual([
      'rt.kelurahanCode: a kelurahan code looks like 33.74.01.1001',
    ]);
    expect(problemsOf(() => parseKioskProfile(JSON.stringify({ ...demo, shell: 'bash' }), 'a.json'))[0]).toMatch(/shell/);
    expect(problemsOf(() => readKioskProfile('/nonexistent/kiosk.json'))).toEqual(['cannot read the file (ENOENT)']);
  });

  it('checks the RT and every camera against the catalog, and lists every problem', () => {
    expect(problemsOf(() => resolve({ ...demo, rt: { ...demo.rt, kecamatanCode: '33.74.01' } }))).toEqual(['rt.kelurahanCode: 33.74.08.1001 is not in kecamatan 33.74.01']);
    expect(problemsOf(() => resolve({ ...demo, rt: { ...demo.rt, rw: 40 } }))).toEqual(['rt.rw: no RW 40 in kelurahan 33.74.08.1001']);
    expect(problemsOf(() => resolve({ ...demo, rt: { ...demo.rt, rt: 99 } }))).toEqual(['rt.rt: no RT 99 in RW 1 of kelurahan 33.74.08.1001']);
    const bad = problemsOf(() =>
      resolve({
        ...demo,
        cameras: [{ catalogId: 'no-such-camera' }, { name: 'Gang 3', url: 'file:///etc/passwd' }, { name: 'Gang 4', url: 'http://127.0.0.1/cam.mp4' }, { catalogId: 'prv-059' }],
      }),
    );
    expect(bad).toEqual([
      'cameras.0.catalogId: camera no-such-camera is not in the catalog',
      'cameras.1.url: scheme "file:" is not allowed (only rtsp, rtsps, http, https) (file:///etc/passwd)',
      'cameras.2.url: http(s) sources must be HLS playlists ending in .m3u8 (http://127.0.0.1/cam.mp4)',
    ]);
    expect(problemsOf(() => resolve({ ...demo, cameras: [{ catalogId: 'prv-059' }, { catalogId: 'prv-059' }] }))).toEqual(['cameras.1.catalogId: camera prv-059 is listed twice']);
  });

  it('gives a camera the residents added an id of its slot, found by id but never listed or searched', () => {
    const cams = resolve({ ...demo, cameras: [demo.cameras[0]!, { name: 'Kamera Warga', url: 'rtsp://127.0.0.1:9/gang3', user: 'u', password: 'p' }] });
    expect(cams[1]).toMatchObject({ slot: 2, id: 'kiosk-2', number: null, credentials: { user: 'u', password: 'p' } });
    const local = loadCatalog(resources, { rtspBase: 'rtsp://127.0.0.1:1', demoStreams: 16 }).catalog;
    local.setExtra([cams[1]!.added!]);
    expect(local.get('kiosk-2')?.streams.main).toBe('rtsp://127.0.0.1:9/gang3');
    expect(local.search('Kamera Warga', 10)).toEqual([]);
    expect(local.camerasOf('kel:33.74.08.1001').some((c) => c.id === 'kiosk-2')).toBe(false);
  });
});

describe('a kiosk console', () => {
  const dir = tmp();
  const file = join(dir, 'kiosk.json');
  const withAdded: KioskProfileInput = { ...demo, cameras: [...demo.cameras, { name: 'Kamera Warga', url: 'rtsp://127.0.0.1:9/gang3', user: 'warga', password: 'Rahasia-1' }] };
  writeFileSync(file, JSON.stringify(withAdded));
  let exited = 0;
  const kioskCatalog = loadCatalog(resources, { rtspBase: 'rtsp://127.0.0.1:1', demoStreams: 16 }).catalog;
  const app = new Console({
    shell: 'web',
    catalog: kioskCatalog,
    dataDir: dir,
    streamOrigin: () => 'http://127.0.0.1:9',
    checkResults: true,
    supervisorPin: '2468',
    kiosk: { profile: readKioskProfile(file), file, onExit: () => exited++ },
  });
  afterAll(() => app.dispose());

  it('opens only kiosk sessions, whatever the shell asks for', () => {
    expect(app.sessions.role(app.openSession('operator').id)).toBe('kiosk');
  });

  it("keeps the file's credentials in main and takes them out of the file", () => {
    expect(readFileSync(file, 'utf8')).not.toContain('Rahasia-1');
    expect(readFileSync(file, 'utf8')).toContain('rtsp://127.0.0.1:9/gang3');
    expect(app.gateway.source('kiosk-4', 'main').url).toBe('rtsp://warga:Rahasia-1@127.0.0.1:9/gang3');
  });

  it('opens streams for its own cameras only, and shows no URL or credential', async () => {
    const s = { session: app.openSession().id };
    expect(await code(app.dispatch('stream.open', { cameraId: 'prv-059', quality: 'sub' }, s))).toBe('ok');
    expect(await code(app.dispatch('stream.open', { cameraId: 'kiosk-4', quality: 'main' }, s))).toBe('ok');
    expect(await code(app.dispatch('stream.open', { cameraId: 'atcs-137', quality: 'sub' }, s))).toBe('forbidden:camera_out_of_scope');
    expect(await code(app.dispatch('stream.open', { cameraId: 'no-such', quality: 'sub' }, s))).toBe('forbidden:camera_out_of_scope');
    expect(await code(app.dispatch('catalog.get', { ids: ['prv-059'] }, s))).toBe('forbidden:not_allowed');
    const view = await app.dispatch('kiosk.view', {}, s);
    expect(JSON.stringify(view)).not.toMatch(/rtsp|warga|Rahasia/);
    expect(view).toMatchObject({ name: 'RT 03 / RW 01 Candi', rt: { kelurahanName: 'Candi', kecamatanName: 'Candisari', rw: 1, rt: 3 }, maintenanceUntil: null });
  });

  it('tells a kiosk session only of its own cameras', () => {
    const s = app.openSession().id;
    const health = (cameraId: string) => ({ cameraId, quality: 'sub' as const, state: 'live' as const, reason: null, retryAt: null });
    expect(app.eventFor(s, 'stream.health', health('prv-059'))).not.toBeNull();
    expect(app.eventFor(s, 'stream.health', health('atcs-137'))).toBeNull();
    expect(app.eventFor(s, 'wall.changed', app.wall.get())).toBeNull();
    expect(app.eventFor(s, 'presets.changed', { presets: [] })).toBeNull();
  });

  it('opens maintenance with the supervisor PIN only; maintenance changes are written to the file', async () => {
    const s = { session: app.openSession().id };
    expect(await code(app.dispatch('kiosk.configure', { layout: '1+3' }, s))).toBe('forbidden:kiosk_locked');
    expect(await code(app.dispatch('kiosk.unlock', { pin: '1111' }, s))).toBe('forbidden:pin_wrong');
    expect(await code(app.dispatch('kiosk.unlock', { pin: '2468' }, s))).toBe('ok');
    expect(await code(app.dispatch('kiosk.configure', { layout: '1+3', ticker: null }, s))).toBe('ok');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as KioskProfile;
    expect(saved).toMatchObject({ layout: '1+3', ticker: null });
    // Another session of the kiosk is still locked.
    expect(await code(app.dispatch('kiosk.exit', {}, { session: app.openSession().id }))).toBe('forbidden:kiosk_locked');
    // A broken replacement changes nothing.
    expect(await code(app.dispatch('kiosk.replaceProfile', { json: '{"format":"pantau-kiosk","version":1}' }, s))).toBe('bad_request:kiosk_profile_invalid');
    expect(readFileSync(file, 'utf8')).toContain('"layout": "1+3"');
    expect(await code(app.dispatch('kiosk.relock', {}, s))).toBe('ok');
    expect(await code(app.dispatch('kiosk.exit', {}, s))).toBe('forbidden:kiosk_locked');
    expect(exited).toBe(0);
  });

  it('closes from maintenance only: the shell is told to exit', async () => {
    const s = { session: app.openSession().id };
    expect(await code(app.dispatch('kiosk.unlock', { pin: '2468' }, s))).toBe('ok');
    expect(await app.dispatch('kiosk.exit', {}, s)).toEqual({ exiting: true });
    await expect.poll(() => exited).toBe(1);
  });

  it('works with the analytics backend unreachable: its view and streams as ever, no alerts, and says so', async () => {
    const dir2 = tmp();
    const file2 = join(dir2, 'kiosk.json');
    writeFileSync(file2, demoText);
    const offline = new Console({
      shell: 'web',
      catalog: loadCatalog(resources, { rtspBase: 'rtsp://127.0.0.1:1', demoStreams: 16 }).catalog,
      dataDir: dir2,
      streamOrigin: () => 'http://127.0.0.1:9',
      checkResults: true,
      alertSource: alertSourceFrom({ url: 'http://127.0.0.1:1/' }),
      kiosk: { profile: readKioskProfile(file2), file: file2, onExit: () => undefined },
    });
    try {
      const s = { session: offline.openSession().id };
      await expect.poll(async () => ((await offline.dispatch('kiosk.alerts', {}, s)) as { backend: { state: string } }).backend.state, { timeout: 10_000 }).toBe('unreachable');
      expect(await offline.dispatch('kiosk.alerts', {}, s)).toMatchObject({ alerts: [] });
      expect(await code(offline.dispatch('kiosk.view', {}, s))).toBe('ok');
      expect(await code(offline.dispatch('stream.open', { cameraId: 'prv-059', quality: 'sub' }, s))).toBe('ok');
    } finally {
      await offline.dispose();
    }
  });

  it('relocks maintenance after two minutes without a maintenance action', () => {
    let now = 1_000_000;
    const svc = new KioskService({
      profile: parseKioskProfile(demoText, 'demo'),
      file: null,
      catalog: kioskCatalog,
      credentials: { set: () => undefined, clear: () => undefined },
      retarget: () => undefined,
      onChange: () => undefined,
      onExit: () => undefined,
      log: () => undefined,
      now: () => now,
    });
    svc.unlocked('s1');
    now += MAINTENANCE_IDLE_MS - 1_000;
    expect(svc.touch('s1').maintenanceUntil).toBe(now + MAINTENANCE_IDLE_MS);
    now += MAINTENANCE_IDLE_MS;
    expect(svc.view('s1').maintenanceUntil).toBeNull();
    expect(() => svc.configure('s1', { layout: '1x1' })).toThrow(/locked/);
  });
});

describe("the control room's kiosk profiles", () => {
  const book = new KioskProfileBook(new JsonStore(tmp(), 'kiosk-profiles', KioskProfilesFile, { profiles: [] }), catalog, () => 1_700_000_000_000);
  const profile = parseKioskProfile(demoText, 'demo');

  it('saves, edits, exports and deletes a profile', () => {
    const saved = book.save(undefined, profile, 'desk-1');
    expect(saved.id).toMatch(/^k-/);
    const edited = book.save(saved.id, { ...profile, name: 'RT 03 Candi (baru)' }, 'desk-1');
    expect(book.list()).toEqual([edited]);
    const out = book.export(saved.id);
    expect(out.fileName).toBe('kiosk-33.74.08.1001-rw1-rt3-rt-03-candi-baru.json');
    expect(parseKioskProfile(out.json, out.fileName).name).toBe('RT 03 Candi (baru)');
    book.delete(saved.id);
    expect(book.list()).toEqual([]);
    expect(() => book.export(saved.id)).toThrow(/does not exist/);
  });

  it('never keeps credentials: a password or a URL carrying one is refused, naming the camera', () => {
    const withPassword = { ...profile, cameras: [...profile.cameras, { name: 'Gang 3', url: 'rtsp://127.0.0.1:9/g', user: 'u', password: 'p' }] };
    expect(() => book.save(undefined, withPassword, 'desk-1')).toThrow(/cameras.3: credentials are set on the kiosk machine/);
    const inUrl = { ...profile, cameras: [{ name: 'Gang 3', url: 'rtsp://u:p@127.0.0.1:9/g' }] };
    expect(() => book.save(undefined, inUrl, 'desk-1')).toThrow(/cameras.0.url: a URL with a user name or password/);
    expect(book.list()).toEqual([]);
  });
});
