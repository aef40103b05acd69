/**
 * The alert client against the real simulator over HTTP (and Frigate sample responses over HTTP):
 * catch-up and stream, an outage mid-stream and a restart without loss or duplicates, malformed,
 * oversized and out-of-range alerts, acknowledgements queued while the backend is down, tokens.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, get as httpGet, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertView, BackendState } from '../../preload/contract.js';
import { loadCatalog } from '../catalog/load.js';
import { simulatedCameras } from '../demo/demo-setup.js';
import { AlertService } from './alert-service.js';
import { frigateToAlert, FrigateEvent, FrigateSource } from './frigate-source.js';
import { PantauSource } from './pantau-source.js';
import { AlertSimulator } from './simulator.js';
import { parseBackendUrl } from './source.js';

const resources = join(__dirname, '..', '..', 'resources');
const { catalog } = loadCatalog(resources, { rtspBase: 'rtsp://127.0.0.1:8554', demoStreams: 16 });
const cams = simulatedCameras(catalog.cameras, 50);
const CAM = cams[0]!.id;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function until(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function sim(o: Partial<ConstructorParameters<typeof AlertSimulator>[0]> = {}): Promise<AlertSimulator> {
  const s = new AlertSimulator({ cameras: cams, rate: 0, heartbeatMs: 500, ...o });
  await s.start();
  cleanup.push(() => s.stop());
  return s;
}

function service(source: ConstructorParameters<typeof PantauSource>[0] | FrigateSource, dataDir = mkdtempSync(join(tmpdir(), 'pantau-alerts-'))) {
  const changed: AlertView[] = [];
  const states: BackendState[] = [];
  const logs: string[] = [];
  const svc = new AlertService({
    source: source instanceof FrigateSource ? source : new PantauSource({ idleMs: 3_000, ...source }),
    dataDir,
    camera: (id) => catalog.get(id),
    onChanged: (a) => changed.push(...a),
    onBackend: (s) => states.push(s),
    log: (m) => logs.push(m),
    persistMs: 50,
  });
  svc.start();
  cleanup.push(() => svc.dispose());
  return { svc, changed, states, logs, dataDir };
}

/**
 * A GET on a connection of its own. fetch would reuse a keep-alive socket from the pool it shares
 * with the console's client, and one the backend cut while it was away fails at once ("other side
 * closed"), which says nothing about the backend.
 */
function getFresh(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpGet(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`GET ${url}: HTTP ${res.statusCode}`))));
    }).on('error', reject);
  });
}

/** Everything the backend published, read back over its own protocol. */
async function published(s: AlertSimulator): Promise<string[]> {
  const ids: string[] = [];
  let after = '';
  for (;;) {
    const page = JSON.parse(await getFresh(`${s.url}alerts?limit=500${after ? `&after=${after}` : ''}`)) as { alerts: { id: string }[]; cursor: string; more: boolean };
    ids.push(...page.alerts.map((a) => a.id));
    after = page.cursor;
    if (!page.more) return ids;
  }
}

const good = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  cameraId: CAM,
  type: 'crowd',
  severity: 'warning',
  time: new Date().toISOString(),
  message: 'Kerumunan 30 orang / Crowd of 30 people',
  count: 30,
  boxes: [{ box: [0.1, 0.2, 0.3, 0.4], label: 'person', score: 0.9 }],
  ...extra,
});

describe('Pantau protocol against the simulator', () => {
  it('catches up by cursor, then streams; every alert once, in order', async () => {
    const s = await sim();
    s.publish([1, 2, 3, 4, 5].map((n) => good(`a-${n}`)));
    const { svc, changed } = service({ url: parseBackendUrl(s.url) });
    await until('catch-up', () => svc.list().length === 5);
    expect(svc.state.state).toBe('connected');
    s.publish([6, 7, 8].map((n) => good(`a-${n}`)));
    await until('streamed', () => svc.list().length === 8);
    expect(svc.list().map((a) => a.id)).toEqual(['a-8', 'a-7', 'a-6', 'a-5', 'a-4', 'a-3', 'a-2', 'a-1']);
    await until('announced', () => changed.length === 8);
    expect(changed[0]).toMatchObject({ id: 'a-1', cameraNumber: catalog.get(CAM)!.number, kecamatanName: catalog.get(CAM)!.kecamatanName, ack: null });
  });

  it('loses nothing and duplicates nothing across an outage mid-stream and a console restart', async () => {
    const s = await sim({ rate: 150 });
    const first = service({ url: parseBackendUrl(s.url) });
    await until('some alerts', () => first.svc.list().length > 50);
    await s.suspend(); // the backend goes away mid-stream; the analytics keep producing
    await until('unreachable shown', () => first.svc.state.state === 'unreachable');
    const down = first.svc.state;
    expect(down.lastError).toMatch(/cannot reach|ended|broke|silent/);
    expect(down.since).toBeLessThanOrEqual(Date.now());
    await new Promise((r) => setTimeout(r, 1_500));
    await s.resume();
    await until('reconnected', () => first.svc.state.state === 'connected', 20_000);
    // The console restarts (persisted cursor), while alerts keep coming.
    const seenByFirst = first.svc.state.received;
    await first.svc.dispose();
    await new Promise((r) => setTimeout(r, 500));
    const second = service({ url: parseBackendUrl(s.url) }, first.dataDir);
    await until('second connected', () => second.svc.state.state === 'connected');
    await new Promise((r) => setTimeout(r, 500));
    await s.stop(); // stop producing; then let the console drain
    await s.resume();
    const all = await published(s);
    await until('caught up with every alert', () => second.svc.currentCursor === s.lastCursor, 20_000);
    await until('announced', () => second.changed.length === second.svc.state.received);
    const got = [...first.changed.map((a) => a.id), ...second.changed.map((a) => a.id)];
    expect(all.length).toBeGreaterThan(300);
    expect(new Set(got).size, 'no duplicates across the outage and the restart').toBe(got.length);
    expect(got.sort()).toEqual([...all].sort());
    expect(seenByFirst + second.svc.state.received).toBe(all.length);
    expect(second.svc.state.duplicates).toBe(0);
  }, 90_000);

  it('counts and logs malformed, oversized and out-of-range alerts, and never passes them on', async () => {
    const s = await sim();
    const { svc, logs } = service({ url: parseBackendUrl(s.url) });
    await until('connected', () => svc.state.state === 'connected');
    const bad = [
      { id: 'no-type', cameraId: CAM, severity: 'info', time: new Date().toISOString(), message: 'x', boxes: [] },
      good('bad-severity', { severity: 'apocalyptic' }),
      good('bad-time', { time: 'yesterday' }),
      good('x-out', { boxes: [{ box: [1.2, 0.1, 0.1, 0.1], label: 'person', score: 0.5 }] }),
      good('past-edge', { boxes: [{ box: [0.8, 0.1, 0.5, 0.1], label: 'person', score: 0.5 }] }),
      good('negative', { boxes: [{ box: [0.1, -0.2, 0.1, 0.1], label: 'person', score: 0.5 }] }),
      good('zero-size', { boxes: [{ box: [0.1, 0.1, 0, 0.1], label: 'person', score: 0.5 }] }),
      good('score', { boxes: [{ box: [0.1, 0.1, 0.1, 0.1], label: 'person', score: 7 }] }),
      good('unknown-camera', { cameraId: 'not-a-camera' }),
      good('bad id with spaces'),
      good('huge', { message: 'y'.repeat(300 * 1024) }), // larger than an SSE event may be
      'not even an object',
      null,
    ];
    s.publish(bad);
    s.publish([
      good('html', { message: '<img src=x onerror="window.pwned=1"><script>alert(1)</script>' }),
      good('edge-ok', { boxes: [{ box: [0.7, 0.7, 0.3, 0.3], label: 'person', score: 1 }] }),
      // Too long a message is cut to 500 characters, not refused (preload/names.ts).
      good('long-message', { message: 'x'.repeat(10_000) }),
    ]);
    await until('the good ones arrive', () => svc.list().length === 3);
    expect(svc.state.invalid).toBe(bad.length);
    expect(
      svc
        .list()
        .map((a) => a.id)
        .sort(),
    ).toEqual(['edge-ok', 'html', 'long-message']);
    expect(svc.get('long-message')!.message).toBe(`${'x'.repeat(499)}…`);
    // An HTML payload is kept as the text it is; the renderer shows it as text (e2e checks that).
    expect(svc.get('html')!.message).toBe('<img src=x onerror="window.pwned=1"><script>alert(1)</script>');
    expect(logs.join('\n')).toMatch(/alert x-out is invalid: boxes\.0\.box\.0/);
    expect(logs.join('\n')).toMatch(/past-edge is invalid: .*past the picture/);
    expect(logs.join('\n')).toMatch(/not-a-camera, which is not in the catalog/);
    expect(logs.join('\n')).toMatch(/larger than the 262144 allowed/);
    const other = service({ url: parseBackendUrl(s.url) });
    // The same bad alerts on the catch-up path: a new console reads them by page. There the 300 KiB
    // message is no transport problem (a page may hold 8 MiB, an SSE event 256 KiB): it arrives, cut
    // to 500 characters like any long message; the rest are refused as before.
    await until('caught up', () => other.svc.list().length === 4);
    expect(other.svc.get('huge')!.message).toBe(`${'y'.repeat(499)}…`);
    expect(other.svc.state.invalid).toBe(bad.length - 1);
  });

  it('queues an acknowledgement made while the backend is down and sends it when it returns', async () => {
    const s = await sim();
    s.publish([good('to-ack'), good('other')]);
    const { svc, changed } = service({ url: parseBackendUrl(s.url) });
    await until('alerts', () => svc.list().length === 2);
    await s.suspend();
    await until('unreachable', () => svc.state.state === 'unreachable');
    const view = svc.ack('to-ack', 'budi', 'petugas dikirim / officer sent');
    expect(view.ack).toMatchObject({ by: 'budi', note: 'petugas dikirim / officer sent', pending: true });
    expect(svc.state.acksQueued).toBe(1);
    await s.resume();
    await until('ack delivered', () => svc.state.acksQueued === 0, 20_000);
    const stats = (await (await fetch(`${s.url}sim/stats`)).json()) as { acked: { id: string; by: string; note: string }[] };
    expect(stats.acked).toEqual([expect.objectContaining({ id: 'to-ack', by: 'budi', note: 'petugas dikirim / officer sent' })]);
    await until('confirmed', () => changed.some((a) => a.id === 'to-ack' && a.ack?.pending === false));
  });

  it('says the backend refused the token, and connects with the right one', async () => {
    const s = await sim({ token: 'rahasia' });
    const wrong = service({ url: parseBackendUrl(s.url), token: 'salah' });
    await until('refused', () => wrong.svc.state.state === 'unreachable');
    expect(wrong.svc.state.lastError).toMatch(/answered 401: the backend refused the token/);
    const right = service({ url: parseBackendUrl(s.url), token: 'rahasia' });
    await until('connected', () => right.svc.state.state === 'connected');
  });

  it('refuses an oversized or malformed catch-up page with a clear error', async () => {
    let body = '';
    const server: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    body = JSON.stringify({ alerts: [], cursor: 'x'.repeat(9 * 1024 * 1024), more: false });
    const big = service({ url: parseBackendUrl(url) });
    await until('refused', () => big.svc.state.lastError !== null);
    expect(big.svc.state.lastError).toMatch(/an alert page is .*more than the 8388608/);
    await big.svc.dispose();
    body = '<html>gateway error</html>';
    const html = service({ url: parseBackendUrl(url) });
    await until('refused', () => html.svc.state.lastError !== null);
    expect(html.svc.state.lastError).toMatch(/sent a page that is not the protocol's/);
  });

  it('stops a long-lived stream when disposed, even after garbage collection', async () => {
    // A console once hung on shutdown with its stream open: the service's signal was aborted, but
    // the composite signals (AbortSignal.any) that carried it to fetch had been collected. This test
    // does not force that collection reliably; it holds the contract: the stream ends on dispose and
    // the backend sees it closed. (The fix cancels the body's reader from a listener on the signal.)
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const s = await sim({ heartbeatMs: 100 });
    const { svc } = service({ url: parseBackendUrl(s.url) });
    await until('streaming', () => svc.state.state === 'connected' && s.openStreams === 1);
    for (let i = 0; i < 5; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 150)); // heartbeats keep arriving on the stream
    }
    const stopped = await Promise.race([svc.dispose().then(() => 'stopped'), new Promise((r) => setTimeout(() => r('still running after 3 s'), 3_000))]);
    expect(stopped).toBe('stopped');
    await until('the backend sees the stream closed', () => s.openStreams === 0, 3_000);
  });

  it('rejects backend URLs that are not http(s) or carry credentials', () => {
    expect(() => parseBackendUrl('file:///etc/passwd')).toThrow(/http or https/);
    expect(() => parseBackendUrl('http://user:pw@127.0.0.1:1/')).toThrow(/bearer token instead/);
    expect(() => parseBackendUrl('not a url')).toThrow(/is not a URL/);
  });
});

describe('Frigate adapter against sample responses', () => {
  const sample = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'frigate-events.json'), 'utf8')) as { page: unknown[] };
  const cameras = { simpang_lima_utara: cams.at(-1)!.id, pasar_johar_timur: CAM };

  it('maps label, score, box, camera and start/end time to Pantau alerts', () => {
    const [car, person, , legacy] = sample.page.map((e) => frigateToAlert(FrigateEvent.parse(e), { cameras }));
    expect(car).toEqual({
      id: 'frigate-1764290001.52-k3v9qa',
      cameraId: cameras.simpang_lima_utara,
      type: 'illegal_parking',
      severity: 'warning',
      time: '2025-11-28T00:33:21.520Z',
      message: 'Frigate: car · simpang_lima_utara · zona/zones: no_parking_kiri',
      count: null,
      boxes: [{ box: [0.61, 0.52, 0.2, 0.18], label: 'car', score: 0.81 }],
    });
    expect(person).toMatchObject({ type: 'crowd', severity: 'info', cameraId: CAM, message: 'Frigate: person (kepala pasar) · pasar_johar_timur · selesai/ended' });
    // Frigate 0.12's pixel box can't be normalised without the frame size: the alert has no box.
    expect(legacy).toMatchObject({ type: 'incident', severity: 'critical', boxes: [] });
  });

  it('polls a Frigate events API over HTTP, skips false positives, and resumes by start time', async () => {
    const queries: URLSearchParams[] = [];
    const server: Server = createServer((req, res) => {
      const u = new URL(req.url!, 'http://x');
      queries.push(u.searchParams);
      if (u.pathname !== '/api/events') return void res.writeHead(404).end();
      const after = Number(u.searchParams.get('after'));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(sample.page.filter((e) => (e as { start_time: number }).start_time > after)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    const url = parseBackendUrl(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    const dataDir = mkdtempSync(join(tmpdir(), 'pantau-frigate-'));
    // The sample is from the past: read far enough back on a first start.
    const src = new FrigateSource({ url, cameras, pollMs: 100, lookbackSeconds: Date.now() / 1000 - 1764289900 });
    const first = service(src, dataDir);
    await until('three alerts', () => first.svc.list().length === 3, 10_000);
    expect(first.svc.list().map((a) => a.id)).toEqual(['frigate-1764290001.52-k3v9qa', 'frigate-1764289990.10-p0x2mm', 'frigate-1764289970.00-legacy']);
    expect(first.svc.state).toMatchObject({ kind: 'frigate', state: 'connected', invalid: 0 });
    await new Promise((r) => setTimeout(r, 400)); // several more polls: nothing twice
    expect(first.svc.list()).toHaveLength(3);
    expect(queries.at(-1)!.get('after')).toBe(String(1764290001.52 - 0.001));
    expect(queries.at(-1)!.get('include_thumbnails')).toBe('0');
    // Acknowledging a Frigate alert stays in Pantau and is confirmed at once.
    first.svc.ack('frigate-1764290001.52-k3v9qa', 'sari', 'ok');
    await until('confirmed', () => first.svc.state.acksQueued === 0);
  });
});
