/**
 * The RT kiosk's window (runtime: Electron main): fullscreen kiosk mode, no menu, devtools off, keys
 * filtered by kioskKeyVerdict, closing refused, and a renderer that crashes or hangs brought back by
 * recoveryAction (both pure, in main/kiosk/lockdown.ts, with their tests). Navigation, new windows and
 * permissions are denied by harden() like every Pantau window.
 */
import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { FRESH_RECOVERY, kioskKeyVerdict, recoveryAction, type RecoveryState, type RendererEvent } from '../kiosk/lockdown.js';

export interface KioskWindowDeps {
  BrowserWindow: new (o: BrowserWindowConstructorOptions) => BrowserWindowType;
  webPreferences: NonNullable<BrowserWindowConstructorOptions['webPreferences']>;
  bounds: Rectangle;
  url: string;
  /** Whether the page's session is in maintenance (Ctrl+A/C/V/X/Z/Y allowed then). */
  maintenance: () => boolean;
  /** A new window was made: register it (IPC sender checks, session). */
  onWindow: (win: BrowserWindowType) => void;
  /** Crashing again and again: restart the app. */
  relaunch: () => void;
  log: (message: string) => void;
}

export function kioskWindowOptions(bounds: Rectangle, webPreferences: KioskWindowDeps['webPreferences']): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    show: false,
    kiosk: true,
    fullscreen: true,
    frame: false,
    autoHideMenuBar: true,
    minimizable: false,
    maximizable: false,
    resizable: false,
    movable: false,
    closable: false,
    skipTaskbar: true,
    backgroundColor: '#000000',
    title: 'Pantau',
    webPreferences: { ...webPreferences, devTools: false },
  };
}

/** Opens the kiosk window and keeps one open; returns a function that lets it close (maintenance exit). */
export function openKioskWindow(d: KioskWindowDeps): { allowClose(): void; current(): BrowserWindowType } {
  let recovery: RecoveryState = FRESH_RECOVERY;
  let closing = false;
  let win: BrowserWindowType;
  let timer: NodeJS.Timeout | null = null;

  const handle = (event: RendererEvent) => {
    const r = recoveryAction(recovery, event, Date.now());
    recovery = r.state;
    const next = r.next;
    if (next.action !== 'none') d.log(`kiosk renderer: ${event.kind}${'reason' in event ? ` (${event.reason})` : ''}; ${next.action}`);
    if (timer) clearTimeout(timer);
    timer = null;
    switch (next.action) {
      case 'none':
        return;
      case 'wait':
        timer = setTimeout(() => handle({ kind: 'hang-check' }), next.delayMs);
        return;
      case 'reload':
        timer = setTimeout(() => !win.isDestroyed() && void win.loadURL(d.url), next.delayMs);
        return;
      case 'kill-and-reload':
        if (!win.isDestroyed()) {
          win.webContents.forcefullyCrashRenderer();
          void win.loadURL(d.url);
        }
        return;
      case 'recreate':
        timer = setTimeout(() => {
          const old = win;
          create();
          closing = true;
          if (!old.isDestroyed()) old.destroy();
          closing = false;
        }, next.delayMs);
        return;
      case 'relaunch':
        d.relaunch();
        return;
    }
  };

  const create = () => {
    win = new d.BrowserWindow(kioskWindowOptions(d.bounds, d.webPreferences));
    const w = win;
    w.setMenu(null);
    w.once('ready-to-show', () => {
      w.show();
      w.setKiosk(true);
    });
    w.on('close', (e) => {
      if (!closing) e.preventDefault();
    });
    w.webContents.on('before-input-event', (e, input) => {
      if (kioskKeyVerdict(input, { maintenance: d.maintenance() }) === 'block') e.preventDefault();
    });
    w.webContents.on('devtools-opened', () => w.webContents.closeDevTools());
    w.webContents.on('render-process-gone', (_e, details) => handle({ kind: 'gone', reason: details.reason }));
    w.on('unresponsive', () => handle({ kind: 'unresponsive' }));
    w.on('responsive', () => handle({ kind: 'responsive' }));
    w.webContents.on('did-fail-load', (_e, _code, _desc, _url, isMainFrame) => isMainFrame && handle({ kind: 'load-failed' }));
    // Pinch and ctrl-wheel zoom off: the kiosk's size is its layout's.
    void w.webContents.setVisualZoomLevelLimits(1, 1);
    d.onWindow(w);
    void w.loadURL(d.url);
  };
  create();
  return {
    allowClose: () => {
      closing = true;
      if (timer) clearTimeout(timer);
    },
    current: () => win,
  };
}
