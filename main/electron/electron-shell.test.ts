/**
 * The Electron layer with Electron mocked at the boundary (no Electron binary can be downloaded here).
 * What is checked is our policy: preferences, navigation and window denial, IPC sender checks, display
 * placement. The objects below stand in for WebContents, IpcMain and Display.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { API_VERSION, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../preload/contract.js';
import { loadCatalog } from '../catalog/load.js';
import { Console } from '../console.js';
import { handleInvoke, setupIpc, type WindowRegistry } from './ipc.js';
import { orderDisplays, placeDisplays, wallWindowOptions, WallWindows, type DisplayLike } from './wall-windows.js';
import { harden, isAppUrl, rendererFile, secureWebPreferences } from './window-policy.js';

vi.mock('electron', () => ({}));

class FakeContents extends EventEmitter {
  id = 1;
  openHandler: ((d: { url: string }) => { action: string }) | null = null;
  permissionHandler: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
  permissionCheck: ((wc: unknown, p: string) => boolean) | null = null;
  sent: unknown[] = [];
  session = {
    setPermissionRequestHandler: (h: FakeContents['permissionHandler']) => (this.permissionHandler = h),
    setPermissionCheckHandler: (h: FakeContents['permissionCheck']) => (this.permissionCheck = h),
  };
  setWindowOpenHandler(h: FakeContents['openHandler']) {
    this.openHandler = h;
  }
  isDestroyed() {
    return false;
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
}

describe('window security policy', () => {
  it('turns on every Electron security default', () => {
    expect(secureWebPreferences('/x/preload.cjs')).toMatchObject({
      preload: '/x/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
    // Nothing that would turn a Blink feature or Node on is set at all.
    expect(Object.keys(secureWebPreferences('/x/preload.cjs'))).not.toContain('enableBlinkFeatures');
  });

  it('denies navigation away from the app, new windows, webviews and permission requests', () => {
    const wc = new FakeContents();
    harden(wc as never, 'pantau://app');
    /** Whether the window would follow `url` on this navigation event (nothing prevented it). */
    const follows = (event: 'will-navigate' | 'will-redirect', url: string) => {
      const e = { preventDefault: vi.fn() };
      wc.emit(event, e, url);
      return e.preventDefault.mock.calls.length === 0;
    };
    for (const event of ['will-navigate', 'will-redirect'] as const) {
      expect(follows(event, 'pantau://app/wall/2')).toBe(true);
      expect(follows(event, 'https://evil.example/')).toBe(false);
      expect(follows(event, 'file:///etc/passwd')).toBe(false);
    }
    expect(wc.openHandler!({ url: 'https://evil.example' })).toEqual({ action: 'deny' });
    const webview = { preventDefault: vi.fn() };
    wc.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    const cb = vi.fn();
    wc.permissionHandler!(wc, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read']) expect(wc.permissionCheck!(wc, p)).toBe(false);
  });

  it('recognises only its own origin', () => {
    expect(isAppUrl('pantau://app/index.html', 'pantau://app')).toBe(true);
    expect(isAppUrl('pantau://other/', 'pantau://app')).toBe(false);
    expect(isAppUrl('not a url', 'pantau://app')).toBe(false);
    expect(isAppUrl('https://evil.example/', 'pantau://app')).toBe(false);
    expect(isAppUrl('pantau://user@app/', 'pantau://app')).toBe(false);
  });
});

describe('wall windows', () => {
  const d = (id: number, x: number, y = 0) => ({ id, bounds: { x, y, width: 1920, height: 1080 } }) as never;
  it('numbers displays primary first, then left to right', () => {
    expect(orderDisplays([d(3, 3840), d(1, 0), d(2, 1920)], 2).map((x: { id: number }) => x.id)).toEqual([2, 1, 3]);
  });
  it('places each window fullscreen on its display', () => {
    expect(wallWindowOptions(d(2, 1920), 2, {})).toMatchObject({ x: 1920, y: 0, width: 1920, height: 1080, fullscreen: true, title: 'Pantau · Monitor 2' });
  });
});

describe('IPC wiring', () => {
  const { catalog } = loadCatalog(join(__dirname, '..', '..', 'resources'), { rtspBase: 'rtsp://127.0.0.1:1', demoStreams: 16 });
  const app = new Console({ shell: 'electron', catalog, dataDir: mkdtempSync(join(tmpdir(), 'pantau-ipc-')), streamOrigin: () => 'http://127.0.0.1:9' });
  afterAll(() => app.dispose());
  const operator = new FakeContents();
  const kiosk = new FakeContents();
  kiosk.id = 2;
  const operatorSession = app.openSession().id;
  const kioskSession = app.openSession('kiosk').id;
  const registry: WindowRegistry = {
    sessionOf: (wc) => (wc === (operator as never) ? operatorSession : wc === (kiosk as never) ? kioskSession : null),
    all: () => [operator as never],
  };
  const top = { parent: null };
  const call = (sender: FakeContents, raw: unknown, frame: unknown = top) => handleInvoke(app, registry, { sender: sender as never, senderFrame: frame as never }, raw);

  it('answers a valid command from a known window', async () => {
    await expect(call(operator, { v: API_VERSION, command: 'settings.get', args: {} })).resolves.toEqual({ ok: true, result: { language: 'id' } });
  });

  it('drops unknown senders and sub-frames', async () => {
    const stranger = new FakeContents();
    expect(await call(stranger, { v: API_VERSION, command: 'wall.get', args: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call(operator, { v: API_VERSION, command: 'wall.get', args: {} }, { parent: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses by role, and rejects malformed frames and versions without throwing', async () => {
    expect(await call(kiosk, { v: API_VERSION, command: 'wall.assign', args: { monitor: 1, tile: 1, cameraId: null } })).toMatchObject({ error: { code: 'forbidden' } });
    expect(await call(operator, 'garbage')).toMatchObject({ error: { code: 'bad_request' } });
    expect(await call(operator, { v: 2, command: 'wall.get', args: {} })).toMatchObject({ error: { code: 'version_mismatch' } });
    expect(await call(operator, { v: API_VERSION, command: '__proto__', args: {} })).toMatchObject({ error: { code: 'unknown_command' } });
  });

  it('refuses oversized and deeply nested IPC payloads, and cyclic ones, without throwing, and goes on answering', async () => {
    const big = await call(operator, { v: API_VERSION, command: 'catalog.search', args: { query: 'x'.repeat(1_000_000), limit: 5 } });
    expect(big).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/larger than 64 KiB/) } });
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(await call(operator, { v: API_VERSION, command: 'wall.get', args: deep })).toMatchObject({ error: { code: 'bad_request', message: expect.stringMatching(/nested deeper/) } });
    const cyclic: Record<string, unknown> = { v: API_VERSION, command: 'wall.get' };
    cyclic.args = cyclic;
    expect(await call(operator, cyclic)).toMatchObject({ error: { code: 'bad_request' } });
    const wide = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]));
    expect(await call(operator, { v: API_VERSION, command: 'wall.get', args: wide })).toMatchObject({ error: { code: 'bad_request' } });
    expect(await call(operator, { v: API_VERSION, command: 'wall.get', args: {} })).toMatchObject({ ok: true });
  });

  it('registers one invoke handler and pushes events to windows', async () => {
    const ipcMain = { handle: vi.fn(), removeHandler: vi.fn() };
    const off = setupIpc(ipcMain as never, app, registry);
    expect(ipcMain.handle).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, expect.any(Function));
    await app.dispatch('settings.setLanguage', { language: 'en' }, { session: operatorSession });
    expect(operator.sent).toContainEqual([IPC_EVENT_CHANNEL, { event: 'settings.changed', payload: { language: 'en' } }]);
    off();
    expect(ipcMain.removeHandler).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL);
  });
});

describe('display hot-plug placement', () => {
  const disp = (id: number, x: number, width = 1920): DisplayLike => ({ id, bounds: { x, y: 0, width, height: 1080 } });

  it('puts the control window on the primary display and numbers the others left to right', () => {
    const p = placeDisplays([disp(30, 3840), disp(10, 0), disp(20, 1920)], 10, {});
    expect(p.control.id).toBe(10);
    expect(p.walls.map((w) => [w.display.id, w.monitor])).toEqual([
      [20, 1],
      [30, 2],
    ]);
    expect(p.remembered).toEqual({ '20': 1, '30': 2 });
    expect(placeDisplays([disp(10, 0)], 10, {}).walls).toEqual([]); // one display: the control window shows the wall
    expect(() => placeDisplays([], 1, {})).toThrow(/no display/);
  });

  it('gives a display its number back after a replug or restart, whatever order they come in', () => {
    const remembered = { '20': 2, '30': 1 };
    const p = placeDisplays([disp(10, 0), disp(20, 1920), disp(30, 3840)], 10, remembered);
    expect(p.walls.map((w) => [w.display.id, w.monitor])).toEqual([
      [20, 2],
      [30, 1],
    ]);
  });

  it('an unplugged monitor waits; the next new display takes it; the old display gets a new number when it returns', () => {
    let p = placeDisplays([disp(10, 0), disp(20, 1920), disp(30, 3840)], 10, {});
    p = placeDisplays([disp(10, 0), disp(30, 3840)], 10, p.remembered); // 20 (monitor 1) unplugged
    expect(p.walls.map((w) => [w.display.id, w.monitor])).toEqual([[30, 2]]);
    expect(p.remembered['20']).toBe(1); // still remembered
    p = placeDisplays([disp(10, 0), disp(30, 3840), disp(40, 5760)], 10, p.remembered); // a new display
    expect(p.walls.map((w) => [w.display.id, w.monitor])).toEqual([
      [30, 2],
      [40, 1],
    ]);
    expect(p.remembered['20']).toBeUndefined(); // monitor 1 now belongs to display 40
    p = placeDisplays([disp(10, 0), disp(20, 1920), disp(30, 3840), disp(40, 5760)], 10, p.remembered);
    expect(p.walls.map((w) => [w.display.id, w.monitor])).toEqual([
      [20, 3],
      [30, 2],
      [40, 1],
    ]);
  });

  it('reconciles windows: creates, closes and moves them as displays come, go and change', () => {
    const made: { monitor: number; bounds: unknown; closed: boolean }[] = [];
    const ww = new WallWindows((monitor, display) => {
      const w = { monitor, bounds: display.bounds as unknown, closed: false, setBounds: (b: unknown) => (w.bounds = b), close: () => (w.closed = true), isDestroyed: () => w.closed };
      made.push(w);
      return w;
    });
    let p = placeDisplays([disp(10, 0), disp(20, 1920), disp(30, 3840)], 10, {});
    expect(ww.reconcile(p)).toEqual({ created: [1, 2], closed: [], moved: [] });
    p = placeDisplays([disp(10, 0), disp(30, 3840, 2560)], 10, p.remembered); // 20 unplugged, 30 resized
    expect(ww.reconcile(p)).toEqual({ created: [], closed: [1], moved: [2] });
    expect(made[0]!.closed).toBe(true);
    expect(made[1]!.bounds).toMatchObject({ width: 2560 });
    p = placeDisplays([disp(10, 0), disp(20, 1920), disp(30, 3840)], 10, p.remembered); // 20 back
    expect(ww.reconcile(p)).toEqual({ created: [1], closed: [], moved: [2] });
    expect(ww.windows.get(1)!.displayId).toBe(20);
  });
});

describe('the shell around the windows', () => {
  const source = readFileSync(join(process.cwd(), 'main/electron/main.ts'), 'utf8');

  it('sandboxes every renderer process before the app is ready (SECURITY.md item 4)', () => {
    // Top level of the entry module, so it runs before 'ready'; and the only place windows are made.
    expect(source).toMatch(/^app\.enableSandbox\(\);$/m);
    expect(source.indexOf('app.enableSandbox()')).toBeLessThan(source.indexOf('app.whenReady()'));
  });

  it('serves pantau://app from the renderer folder only (SECURITY.md item 18)', () => {
    const root = join(tmpdir(), 'renderer');
    expect(rendererFile(root, 'pantau://app/index.html')).toEqual({ file: join(root, 'index.html') });
    expect(rendererFile(root, 'pantau://app/assets/app-1.js')).toEqual({ file: join(root, 'assets', 'app-1.js') });
    expect(rendererFile(root, 'pantau://app/wall/2')).toEqual({ file: join(root, 'index.html') });
    // The URL parser resolves a dot segment itself (%2e%2e too): what is left stays inside the folder.
    expect(rendererFile(root, 'pantau://app/%2e%2e/%2e%2e/etc/passwd')).toEqual({ file: join(root, 'index.html') });
    // An encoded slash is not a segment to the parser, but is one once decoded: refused.
    expect(rendererFile(root, 'pantau://app/..%2f..%2fetc%2fpasswd')).toEqual({ status: 403 });
    expect(rendererFile(root, 'pantau://app/%E0%A4%A')).toEqual({ status: 404 });
    expect(rendererFile(root, 'pantau://evil/index.html')).toEqual({ status: 404 });
    expect(rendererFile(root, 'file:///etc/passwd')).toEqual({ status: 404 });
  });

  it('exposes one object to the page, window.pantau, and no Electron or Node API (SECURITY.md item 20)', () => {
    // The built preload, run as the sandboxed preload runs it, with Electron's two modules stood in for.
    const exposed: Record<string, unknown> = {};
    const required: string[] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
      ipcRenderer: { on: vi.fn(), invoke: vi.fn(() => Promise.resolve({ ok: true, result: {} })) },
    };
    const code = readFileSync(join(process.cwd(), 'dist/preload/index.cjs'), 'utf8');
    const module = { exports: {} };
    runInNewContext(code, { require: (id: string) => (required.push(id), id === 'electron' ? electron : undefined), module, exports: module.exports, console });
    expect(required).toEqual(['electron']);
    expect(Object.keys(exposed)).toEqual(['pantau']);
    const api = exposed.pantau as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['apiVersion', 'call', 'on']);
    expect(Object.values(api).some((v) => v === electron.ipcRenderer || v === electron.contextBridge)).toBe(false);
    void (api.call as (c: string, a: unknown) => Promise<unknown>)('console.health', {}).catch(() => undefined);
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, { v: API_VERSION, command: 'console.health', args: {} });
  });

  it('uses a current Electron: the locked version is the one package.json asks for, at least the major SECURITY.md names (item 16)', () => {
    const wanted = (JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.electron!;
    const locked = (JSON.parse(readFileSync(join(process.cwd(), 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> }).packages['node_modules/electron']!.version;
    const minimum = Number(/Electron (\d+) or newer/.exec(readFileSync(join(process.cwd(), 'SECURITY.md'), 'utf8'))![1]);
    expect(wanted).toMatch(/^\^\d+\./);
    expect(locked.split('.')[0]).toBe(wanted.slice(1).split('.')[0]);
    expect(Number(locked.split('.')[0])).toBeGreaterThanOrEqual(minimum);
  });
});
