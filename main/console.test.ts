import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError, API_VERSION } from '../preload/contract.js';
import { loadCatalog } from './catalog/load.js';
import { buildServices, Console, type Handler, type ServiceFactory } from './console.js';

const resources = join(__dirname, '..', 'resources');
const { catalog } = loadCatalog(resources, { rtspBase: 'rtsp://127.0.0.1:1', demoStreams: 16 });
const dataDir = mkdtempSync(join(tmpdir(), 'pantau-console-'));
const make = () => new Console({ shell: 'web', catalog, dataDir, streamOrigin: () => 'http://127.0.0.1:9', initialCameras: catalog.cameras.slice(0, 4).map((c) => c.id), checkResults: true });
const app = make();
afterAll(() => app.dispose());

const op = { role: 'operator' as const };
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
    expect(await code(app.dispatch('wall.assign', { monitor: 1, tile: 1, cameraId: null }, { role: 'kiosk' }))).toBe('forbidden');
    expect(await code(app.dispatch('catalog.search', { query: 'x' }, { role: 'kiosk' }))).toBe('forbidden');
    expect(await code(app.dispatch('wall.get', {}, { role: 'kiosk' }))).toBe('ok');
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
      expect(await other.dispatch('stream.open', { cameraId: withSub.id, quality: 'sub' }, op)).toMatchObject({ kind: 'fmp4', quality: 'sub' });
      expect(await other.dispatch('stream.open', { cameraId: mainOnly.id, quality: 'sub' }, op)).toMatchObject({ kind: 'fmp4', quality: 'main' });
    } finally {
      await other.dispose();
    }
  });

  it('remembers the language and the wall across a restart', async () => {
    await app.dispatch('settings.setLanguage', { language: 'en' }, op);
    await app.dispatch('wall.setLayout', { monitor: 1, layout: '3x3' }, op);
    await app.dispatch('wall.assign', { monitor: 1, tile: 9, cameraId: catalog.cameras[100]!.id }, op);
    const again = make();
    expect(await again.dispatch('settings.get', {}, op)).toEqual({ language: 'en' });
    const wall = (await again.dispatch('wall.get', {}, op)) as { monitors: { layout: string; tiles: { cameraId: string | null }[] }[] };
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
    expect(right({ monitor: 1 }, op)).toEqual({ pausedUntil: null });
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
      await c.dispatch('stream.open', { cameraId: catalog.cameras[0]!.id, quality: 'sub' }, op);
      expect(planned).toBe(1);
    } finally {
      await c.dispose();
    }
  });
});
