/**
 * Security policy for every Pantau window (runtime: Electron main). Every BrowserWindow is created
 * with these webPreferences and passes through `harden()`, which denies navigation, new windows,
 * permission requests and webviews. Kept free of side effects at import so it can be unit-tested with
 * Electron mocked at the boundary.
 */
import { join, normalize, sep } from 'node:path';
import type { BrowserWindowConstructorOptions, WebContents } from 'electron';

export function secureWebPreferences(preload: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload,
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
    // A middle click on a link would ask for a new window (denied by harden() anyway): not even that.
    disableBlinkFeatures: 'Auxclick',
    spellcheck: false,
    devTools: process.env.PANTAU_DEVTOOLS === '1',
  };
}

/** True when `url` is the app's own page (same file or the same loopback origin). */
export function isAppUrl(url: string, appOrigin: string): boolean {
  try {
    const u = new URL(url);
    const a = new URL(appOrigin);
    if (a.protocol === 'file:') return u.protocol === 'file:' && u.pathname === a.pathname;
    // Not URL.origin: for custom schemes such as pantau:// it is the string "null" for every URL.
    return u.protocol === a.protocol && u.host === a.host && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

export function harden(contents: WebContents, appOrigin: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appOrigin)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}

/**
 * What the pantau:// handler serves for a request (SECURITY.md item 18): a file of the built renderer,
 * or a refusal. Only the host `app`; nothing outside the renderer's folder (however the path is
 * encoded); client routes without a file extension (/wall/2, /kiosk) get the app shell.
 */
export function rendererFile(rendererDir: string, requestUrl: string): { file: string } | { status: 403 | 404 } {
  const root = normalize(rendererDir);
  let url: URL;
  let path: string;
  try {
    url = new URL(requestUrl);
    path = decodeURIComponent(url.pathname);
  } catch {
    return { status: 404 };
  }
  if (url.protocol !== 'pantau:' || url.host !== 'app') return { status: 404 };
  const file = normalize(join(root, path));
  if (!file.startsWith(root + sep)) return { status: 403 };
  return { file: /\.[a-z0-9]+$/i.test(file) ? file : join(root, 'index.html') };
}
