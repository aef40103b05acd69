/**
 * Headless Chromium driven by Playwright without DevTools network reporting (runtime: Node).
 *
 * Playwright enables the DevTools Network domain on every page and worker it attaches to. Chromium
 * then reports every WebSocket message of the media worker to the benchmark, with its payload in
 * base64: at 64 tiles about 960 messages a second, serialised by Chromium and parsed by this process
 * (which is also the console under test). A wall on a user's machine has no DevTools attached. At 64
 * tiles this reporting cost about 8 % of a core (Chromium about 5, this process about 3; working
 * tree, session 27, bench/README.md wall-capacity), and the machine is at its edge there.
 *
 * So Chromium runs with a DevTools port of its own, and Playwright connects through a relay on
 * 127.0.0.1 that answers `Network.enable` itself (success, not forwarded) and passes everything else
 * through. Pages, workers, evaluate and screenshots work as usual; what Playwright learns from
 * network events (page.on('request'), a response from page.goto, WebSocket frames) does not come.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { spawnTied } from '../../main/streams/child-process';

/**
 * The flags Playwright 1.65's own launch gives Chromium (DEBUG=pw:browser), so that a quiet launch
 * differs from Playwright's only in the relay; the DevTools pipe and profile flags are replaced by a
 * port and a profile of our own.
 */
const PLAYWRIGHT_FLAGS = [
  '--disable-field-trial-config',
  '--disable-background-networking',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-back-forward-cache',
  '--disable-breakpad',
  '--disable-component-extensions-with-background-pages',
  '--disable-component-update',
  '--no-default-browser-check',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-edgeupdater',
  '--disable-extensions',
  '--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,AvoidCorsURLLoaderRestartOnRedirect,TcpPortRandomizationWin,OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,PreconnectToSearch',
  '--enable-features=CDPScreenshotNewSurface',
  '--allow-pre-commit-input',
  '--disable-hang-monitor',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--force-color-profile=srgb',
  '--metrics-recording-only',
  '--no-first-run',
  '--password-store=basic',
  '--use-mock-keychain',
  '--no-service-autorun',
  '--disable-search-engine-choice-screen',
  '--unsafely-disable-devtools-self-xss-warnings',
  '--disable-infobars',
  '--disable-sync',
  '--headless',
  '--hide-scrollbars',
  '--mute-audio',
  '--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4',
];

/** The relay's decision for one message from Playwright: forward it, or answer it here. */
export function answerHere(text: string): string | null {
  let m: { id?: unknown; method?: unknown; sessionId?: unknown };
  try {
    m = JSON.parse(text) as typeof m;
  } catch {
    return null;
  }
  if (m.method !== 'Network.enable' || typeof m.id !== 'number') return null;
  return JSON.stringify({ id: m.id, result: {}, ...(typeof m.sessionId === 'string' ? { sessionId: m.sessionId } : {}) });
}

/** A DevTools message as text (ws hands over a Buffer, or its fragments). */
const asText = (d: RawData): string => (Buffer.isBuffer(d) ? d : Array.isArray(d) ? Buffer.concat(d) : Buffer.from(d)).toString();

/** Chromium (headless, with `args`) and a Playwright Browser connected to it through the relay; close() stops both. */
export async function launchQuiet(executablePath: string, args: string[]): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'pantau-bench-chromium-'));
  // Tied: a benchmark killed mid-run (SIGTERM, Ctrl-C) must not leave its Chromium behind, as a
  // Playwright launch would not (session 30 found five such browsers idling after killed runs).
  const child = spawnTied(executablePath, [...PLAYWRIGHT_FLAGS, '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', `--user-data-dir=${profile}`, ...args, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr = child.stderr!; // piped above
  const giveUp = (e: unknown): never => {
    // No Chromium left behind by a benchmark that could not connect.
    child.kill('SIGKILL');
    rmSync(profile, { recursive: true, force: true });
    throw e;
  };
  const endpoint = await new Promise<string>((resolve, reject) => {
    let said = '';
    const timer = setTimeout(() => reject(new Error(`Chromium gave no DevTools endpoint in 30 s: ${said.slice(-500)}`)), 30_000);
    stderr.on('data', (d: Buffer) => {
      said += d.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(said);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${code}) before its DevTools endpoint: ${said.slice(-500)}`));
    });
  }).catch(giveUp);
  stderr.resume();
  const relay = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => relay.once('listening', () => r()));
  relay.on('connection', (client) => {
    const upstream = new WebSocket(endpoint, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    const early: string[] = [];
    upstream.on('open', () => early.splice(0).forEach((t) => upstream.send(t)));
    client.on('message', (data: RawData) => {
      const text = asText(data);
      const answer = answerHere(text);
      if (answer !== null) return client.send(answer);
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else early.push(text);
    });
    upstream.on('message', (data: RawData) => client.send(asText(data)));
    const end = () => {
      client.close();
      upstream.close();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  const port = (relay.address() as { port: number }).port;
  const path = new URL(endpoint).pathname;
  let browser: Browser;
  try {
    browser = await chromium.connectOverCDP(`ws://127.0.0.1:${port}${path}`);
  } catch (e) {
    relay.close();
    return giveUp(e);
  }
  const disconnect = browser.close.bind(browser);
  browser.close = async () => {
    await disconnect().catch(() => undefined);
    relay.close();
    if (child.exitCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(profile, { recursive: true, force: true });
  };
  return browser;
}
