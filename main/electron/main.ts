/**
 * Pantau's Electron shell (runtime: Electron main). The only module tree allowed to import 'electron'.
 * It hosts the same Console as the web shell; the renderer is served from the pantau:// scheme (not
 * file://), the console API runs over IPC with sender checks, and streams come from a loopback server.
 */
import { app, BrowserWindow, ipcMain, Menu, net, powerSaveBlocker, protocol, safeStorage, screen, type WebContents } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Console } from '../console.js';
import { ownerOnlyFile, type SecretBox } from '../access/credentials.js';
import { CSP } from '../access/csp.js';
import { setUpAlerts, setUpCatalog } from '../demo/demo-setup.js';
import { cacheDir, resourcesDir } from '../paths.js';
import ElectronStore from 'electron-store';
import { StreamServer } from '../streams/stream-server.js';
import { setupIpc } from './ipc.js';
import { controlWindowOptions, placeDisplays, WallWindows, wallWindowOptions, type DisplayLike } from './wall-windows.js';
import { harden, rendererFile, secureWebPreferences } from './window-policy.js';
import { openKioskWindow } from './kiosk-window.js';
import { readKioskProfile } from '../kiosk/profile.js';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const APP_ORIGIN = 'pantau://app';

protocol.registerSchemesAsPrivileged([{ scheme: 'pantau', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

const log = (scope: string, message: string) => process.stderr.write(`[${scope}] ${message}\n`);
/** What each of our windows is without elevation, by webContents id; and the session main opened for it. */
const baseRoles = new Map<number, 'operator' | 'kiosk'>();
const sessions = new Map<number, string>();
/** Set once the console exists, so a closing window can end its session. */
let consoleSessions: { closeSession(id: string): void } | null = null;
/** Every window that may talk to main: the control window and the wall windows. */
const windows = new Set<BrowserWindow>();

function serveRenderer(rendererDir: string): void {
  protocol.handle('pantau', async (request) => {
    const target = rendererFile(rendererDir, request.url);
    if ('status' in target) return new Response(target.status === 403 ? 'forbidden' : 'not found', { status: target.status });
    const res = await net.fetch(pathToFileURL(target.file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CSP);
    return new Response(res.body, { status: res.status, headers });
  });
}

/** `npm start -- --kiosk <profile.json>`: this machine is an RT kiosk. */
function kioskFile(): string | undefined {
  const { values } = parseArgs({ args: process.argv.slice(app.isPackaged ? 1 : 2), options: { kiosk: { type: 'string' } }, strict: false, allowPositionals: true });
  return typeof values.kiosk === 'string' ? values.kiosk : undefined;
}

/** Every window of ours is registered: IPC answers only these, each with its own session. */
function register(win: BrowserWindow, base: 'operator' | 'kiosk'): void {
  const contentsId = win.webContents.id;
  baseRoles.set(contentsId, base);
  windows.add(win);
  win.on('closed', () => {
    windows.delete(win);
    baseRoles.delete(contentsId);
    const session = sessions.get(contentsId);
    if (session) consoleSessions?.closeSession(session);
    sessions.delete(contentsId);
  });
}

/** A crashed renderer comes back to the same wall: the wall lives in main. */
function supervise(win: BrowserWindow, what: string): void {
  register(win, 'operator');
  win.setMenu(null);
  win.once('ready-to-show', () => win.show());
  win.webContents.on('render-process-gone', (_e, details) => {
    log('electron', `${what} renderer gone (${details.reason}); reloading`);
    if (!win.isDestroyed()) win.reload();
  });
}

function createWallWindow(monitor: number, display: DisplayLike, preload: string): BrowserWindow {
  const win = new BrowserWindow(wallWindowOptions(display, monitor, secureWebPreferences(preload)));
  supervise(win, `monitor ${monitor}`);
  void win.loadURL(`${APP_ORIGIN}/wall/${monitor}`);
  return win;
}

function createControlWindow(display: DisplayLike, preload: string): BrowserWindow {
  const win = new BrowserWindow(controlWindowOptions(display, secureWebPreferences(preload)));
  supervise(win, 'control window');
  win.once('ready-to-show', () => win.maximize());
  void win.loadURL(`${APP_ORIGIN}/`);
  return win;
}

/**
 * Camera credentials at rest, sealed by safeStorage (the OS keyring). On Linux without a keyring its
 * `basic_text` backend only obscures them, and the console says so (health, the credentials view).
 * Without safeStorage at all, they are kept as in web mode: a file only its owner can read.
 */
function keyringBox(): SecretBox {
  if (!safeStorage.isEncryptionAvailable()) return ownerOnlyFile;
  const basic = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  return {
    protection: basic ? 'basic-text' : 'os-keyring',
    seal: (plain) => safeStorage.encryptString(plain).toString('base64'),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const resources = app.isPackaged ? join(process.resourcesPath, 'resources') : resourcesDir(app.getAppPath(), here);
  const rendererDir = join(here, '..', '..', 'renderer');
  const preload = join(here, '..', '..', 'preload', 'index.cjs');
  const secretBox = keyringBox();
  if (secretBox.protection !== 'os-keyring') log('security', `WARNING: no OS keyring (${secretBox.protection}); camera credentials Pantau keeps are NOT protected by encryption`);
  app.on('web-contents-created', (_e, contents) => harden(contents, APP_ORIGIN));
  serveRenderer(rendererDir);

  const kiosk = kioskFile();
  // A bad profile stops the start with every problem named (and systemd's log keeps the message).
  const kioskProfile = kiosk ? readKioskProfile(kiosk) : null;
  if (kioskProfile) Menu.setApplicationMenu(null);
  let exitKiosk = () => undefined as void;
  const { farm, loaded } = await setUpCatalog({ resources, cacheDir: cacheDir(), demo: !process.env.PANTAU_CATALOG, catalogFile: process.env.PANTAU_CATALOG, log });
  const streams = new StreamServer([APP_ORIGIN]);
  await streams.listen();
  // Alerts: PANTAU_ALERTS_URL (Pantau protocol) or PANTAU_FRIGATE_URL, token in PANTAU_ALERTS_TOKEN;
  // otherwise the demo runs its simulated analytics backend.
  const env = process.env;
  const { simulator, source: alertSource } = await setUpAlerts({
    demo: farm !== null,
    backend: { url: env.PANTAU_ALERTS_URL, frigate: env.PANTAU_FRIGATE_URL, frigateCameras: env.PANTAU_FRIGATE_CAMERAS, token: env.PANTAU_ALERTS_TOKEN },
    simRate: 1,
    cameras: loaded.catalog.cameras,
    log,
  });
  const consoleApp = new Console({
    shell: 'electron',
    alertSource,
    catalog: loaded.catalog,
    dataDir: app.getPath('userData'),
    // electron-store (conf with Electron's paths): the same files, atomic writes and quarantine.
    storeBackend: (options) => new ElectronStore(options),
    supervisorPin: process.env.PANTAU_SUPERVISOR_PIN,
    secretBox,
    streamOrigin: () => streams.origin,
    initialCameras: loaded.catalog.cameras.slice(0, 4).map((c) => c.id),
    kiosk: kioskProfile && kiosk ? { profile: kioskProfile, file: kiosk, onExit: () => exitKiosk() } : undefined,
    log,
  });
  consoleSessions = consoleApp;
  streams.attach(consoleApp.endpoint);
  setupIpc(ipcMain, consoleApp, {
    sessionOf: (wc: WebContents) => {
      const base = baseRoles.get(wc.id);
      if (!base) return null;
      let session = sessions.get(wc.id);
      if (!session) sessions.set(wc.id, (session = consoleApp.openSession(base).id));
      return session;
    },
    all: () => [...windows].filter((w) => !w.isDestroyed()).map((w) => w.webContents),
  });

  const blocker = powerSaveBlocker.start('prevent-display-sleep');
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    powerSaveBlocker.stop(blocker);
    // Stop every ffmpeg before exiting: no orphans.
    void Promise.all([consoleApp.dispose(), streams.close(), farm?.stop(), simulator?.stop()]).finally(() => app.exit(0));
  });

  if (consoleApp.kiosk) {
    // One locked, fullscreen window on the primary display; the display never sleeps (above).
    const kioskWindow = openKioskWindow({
      BrowserWindow,
      webPreferences: secureWebPreferences(preload),
      bounds: screen.getPrimaryDisplay().bounds,
      url: `${APP_ORIGIN}/`,
      maintenance: () => {
        const session = sessions.get(kioskWindow.current().webContents.id);
        return session !== undefined && consoleApp.kiosk!.view(session).maintenanceUntil !== null;
      },
      onWindow: (win) => register(win, 'kiosk'),
      relaunch: () => {
        app.relaunch();
        app.exit(1);
      },
      log: (m) => log('kiosk', m),
    });
    exitKiosk = () => {
      kioskWindow.allowClose();
      app.quit();
    };
    log('kiosk', `Pantau kiosk: ${kioskProfile!.name} (${kiosk})`);
    return;
  }

  // The control window on the primary display; one fullscreen wall window per other display, rebuilt
  // whenever displays come, go or change (hot-plug). Monitor content never depends on a window.
  const walls = new WallWindows<BrowserWindow>((monitor, display) => {
    const win = createWallWindow(monitor, display, preload);
    win.on('closed', () => walls.windows.get(monitor)?.window === win && walls.forget(monitor));
    return win;
  });
  let control: BrowserWindow | null = null;
  const place = () => {
    const placement = placeDisplays(screen.getAllDisplays(), screen.getPrimaryDisplay().id, consoleApp.rememberedDisplays());
    consoleApp.rememberDisplays(placement.remembered);
    consoleApp.wall.ensureMonitors(Math.max(1, ...placement.walls.map((w) => w.monitor)));
    const changes = walls.reconcile(placement);
    if (!control || control.isDestroyed()) {
      control = createControlWindow(placement.control, preload);
      control.on('closed', () => app.quit()); // the operator closed the console
    } else {
      control.setBounds(placement.control.bounds);
    }
    log('electron', `displays: control on ${placement.control.id}; walls ${JSON.stringify(placement.walls.map((w) => [w.display.id, w.monitor]))}; ${JSON.stringify(changes)}`);
  };
  place();
  for (const event of ['display-added', 'display-removed', 'display-metrics-changed'] as const) screen.on(event as 'display-added', () => place());
  app.on('window-all-closed', () => app.quit());
}

void main().catch((err: Error) => {
  log('electron', `Pantau could not start: ${err.message}`);
  app.exit(1);
});
