import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError, API_VERSION } from '../preload/contract.js';
import { loadCatalog } from './catalog/load.js';
import { Console } from './console.js';

const resources = join(__dirname, '..', 'resources');
const { catalog } = loadCatalog(resources, { rtspBase: 'rtsp://127.0.0.1:1', demoStreams: 16 });
const dataDir = mkdtempSync(join(tmpdir(), 'pantau-console-'));
const make = () => new Console({ shell: 'web', catalog, dataDir, streamOrigin: () => 'http://127.0.0.1:9', initialCameras: catalog.cameras.slice(0, 4).map((c) => c.id) });
const app = make();
afterAll(() => app.dispose());

const op = { role: 'operator' as const };
const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: ApiError) => e.code);

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
