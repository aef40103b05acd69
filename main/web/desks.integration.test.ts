/**
 * Remote operator desks against a real web-mode console: the desk listener on a second loopback
 * address (127.0.0.2) with a self-signed certificate made here by openssl, HTTPS and WSS only. A desk
 * with a valid token drives the wall and every desk sees it; a revoked or missing token, a foreign
 * Origin, the console's own API token and plain HTTP are all refused.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkServerIdentity } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { API_VERSION } from '../../preload/contract';
import { rawText } from '../streams/live-sockets';
import type { WebHost } from './host';
import { ListenError, remoteListen } from './listen';
import { makeTestCertificate } from './test-certificate';
import { startTestHost } from './test-host';

const PIN = '135790';
let host: WebHost;
let remote: URL;
let dir: string;
let caFile: string;
let supervisor: string;
let dataDir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pantau-desks-'));
  const files = makeTestCertificate(dir);
  caFile = files.cert;
  dataDir = join(dir, 'data');
  host = await startTestHost({ dataDir, supervisorPin: PIN, remote: remoteListen({ listen: '127.0.0.2:0', tlsCert: files.cert, tlsKey: files.key })! });
  remote = new URL(host.remoteUrl!);
  supervisor = host.console.openSession().id;
  await host.console.dispatch('session.elevate', { pin: PIN }, { session: supervisor });
});
afterAll(() => host.close());

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request to the desk listener, trusting only the test's certificate. */
function desk(path: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: remote.hostname,
        port: remote.port,
        path,
        method: o.method ?? 'GET',
        headers: o.headers,
        ca: readFileSync(caFile),
        checkServerIdentity: (_name, cert) => checkServerIdentity('127.0.0.2', cert),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/** Signs a desk in as its browser would (the form's POST) and returns the cookie it is given. */
async function signIn(token: string): Promise<string> {
  const r = await desk('/desk', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: remote.origin }, body: new URLSearchParams({ token }).toString() });
  expect(r.status).toBe(303);
  return String(r.headers['set-cookie']).split(';')[0]!;
}

interface ApiClient {
  ws: WebSocket;
  call(command: string, args: unknown): Promise<{ ok: boolean; result?: unknown; error?: { code: string } }>;
  events: { event: string; payload: unknown }[];
  closed: Promise<number>;
}

/** A desk's API socket (WSS), with its cookie and its page's Origin; rejects with the refusal's status. */
function connect(headers: Record<string, string>, origin: string | undefined = remote.origin): Promise<ApiClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://${remote.host}/api/ws`, { headers, ca: readFileSync(caFile), ...(origin ? { origin } : {}) });
    const events: ApiClient['events'] = [];
    const pending = new Map<number, (r: unknown) => void>();
    let next = 1;
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    ws.on('message', (data) => {
      const m = JSON.parse(rawText(data)) as { id?: number; event?: string; payload?: unknown };
      if (m.event) events.push({ event: m.event, payload: m.payload });
      else if (typeof m.id === 'number') pending.get(m.id)?.(m);
    });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.on('error', (e) => reject(e));
    ws.on('open', () =>
      resolve({
        ws,
        events,
        closed,
        call: (command, args) =>
          new Promise((r) => {
            const id = next++;
            pending.set(id, r as (x: unknown) => void);
            ws.send(JSON.stringify({ v: API_VERSION, id, command, args }));
          }),
      }),
    );
  });
}

const asSupervisor = <T>(command: string, args: unknown) => host.console.dispatch(command, args, { session: supervisor }) as Promise<T>;
const until = async (what: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!what() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  return what();
};

describe('remote desks over HTTPS with per-desk tokens', () => {
  it('serves the room on 127.0.0.2 over HTTPS only, and the local machine on loopback as before', () => {
    expect(remote.protocol).toBe('https:');
    expect(remote.hostname).toBe('127.0.0.2');
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('lets only a supervisor make desks, shows a token once and keeps only its hash, owner-readable', async () => {
    const operator = host.console.openSession().id;
    await expect(host.console.dispatch('desks.add', { name: 'meja-x' }, { session: operator })).rejects.toMatchObject({ code: 'forbidden' });
    const made = await asSupervisor<{ name: string; token: string }>('desks.add', { name: 'Meja 2' });
    expect(made.token).toMatch(/^pantau-desk-[\w-]{43}$/);
    const file = readFileSync(join(dataDir, 'desks.json'), 'utf8');
    expect(file).toContain('Meja 2');
    expect(file).not.toContain(made.token);
    expect(statSync(join(dataDir, 'desks.json')).mode & 0o077).toBe(0);
    const list = await asSupervisor<{ desks: { name: string }[] }>('desks.list', {});
    expect(JSON.stringify(list)).not.toContain(made.token);
    await expect(asSupervisor('desks.add', { name: 'meja 2' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(asSupervisor('desks.add', { name: '<img src=x>' })).rejects.toMatchObject({ code: 'bad_request' });
    await asSupervisor('desks.revoke', { name: 'Meja 2' });
  });

  it('lets two desks with valid tokens drive one wall together; each sees the other, and the audit names them', async () => {
    const a = await asSupervisor<{ token: string }>('desks.add', { name: 'meja-a' });
    const b = await asSupervisor<{ token: string }>('desks.add', { name: 'meja-b' });
    const deskA = await connect({ Cookie: await signIn(a.token) });
    // A script at a desk may present the token as a bearer token instead of the browser's cookie.
    const deskB = await connect({ Authorization: `Bearer ${b.token}` }, undefined);
    const who = await deskA.call('session.whoami', {});
    expect(who.result).toMatchObject({ role: 'operator', desk: 'meja-a' });

    expect((await deskA.call('wall.setLayout', { monitor: 1, layout: '3x3' })).ok).toBe(true);
    expect(await until(() => deskB.events.some((e) => e.event === 'wall.changed' && JSON.stringify(e.payload).includes('"3x3"')))).toBe(true);
    expect((await deskB.call('wall.setLayout', { monitor: 1, layout: '4x4' })).ok).toBe(true);
    expect(await until(() => deskA.events.some((e) => e.event === 'wall.changed' && JSON.stringify(e.payload).includes('"4x4"')))).toBe(true);
    expect(host.console.wall.get().monitors[0]!.layout).toBe('4x4');

    // A stream ticket comes back on the desk's own listener (wss://127.0.0.2), never loopback or RTSP.
    const camera = host.console.catalog.cameras[0]!.id;
    const opened = await deskA.call('stream.open', { cameraId: camera, quality: 'sub' });
    expect((opened.result as { url: string }).url).toMatch(new RegExp(`^wss://127\\.0\\.0\\.2:${remote.port}/live/[0-9a-f]{48}$`));

    const { entries } = await asSupervisor<{ entries: { desk: string; role: string; command: string }[] }>('audit.list', { limit: 50 });
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ desk: 'meja-a', role: 'operator', command: 'wall.setLayout' }),
        expect.objectContaining({ desk: 'meja-b', role: 'operator', command: 'wall.setLayout' }),
      ]),
    );
    deskA.ws.close();
    deskB.ws.close();
  });

  it('shuts a revoked desk out at once: its open socket closes, and its token no longer works', async () => {
    const c = await asSupervisor<{ token: string }>('desks.add', { name: 'meja-c' });
    const cookie = await signIn(c.token);
    const deskC = await connect({ Cookie: cookie });
    await asSupervisor('desks.revoke', { name: 'meja-c' });
    expect(await Promise.race([deskC.closed, new Promise((r) => setTimeout(() => r('still open'), 3_000))])).not.toBe('still open');
    await expect(connect({ Cookie: cookie })).rejects.toThrow('refused 401');
    expect((await desk('/api/health', { headers: { Cookie: cookie } })).status).toBe(401);
    const again = await desk('/desk', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `token=${c.token}` });
    expect(again.status).toBe(401);
    expect(again.body).toContain('not valid');
  });

  it('refuses a missing or wrong token, a foreign Origin, and the console API token', async () => {
    const d = await asSupervisor<{ token: string }>('desks.add', { name: 'meja-d' });
    await expect(connect({})).rejects.toThrow('refused 401');
    await expect(connect({ Cookie: 'pantau_desk=pantau-desk-forged' })).rejects.toThrow('refused 401');
    await expect(connect({ Authorization: `Bearer ${host.apiToken}` }, undefined)).rejects.toThrow('refused 401');
    await expect(connect({ Cookie: `pantau_desk=${d.token}` }, 'https://evil.example')).rejects.toThrow('refused 403');
    expect((await desk('/api/health')).status).toBe(401);
    expect((await desk('/api/health', { headers: { Host: `rebind.example:${remote.port}`, Authorization: `Bearer ${d.token}` } })).status).toBe(403);
    // A person without a token is shown the sign-in page, which is bilingual and runs no script.
    const shell = await desk('/');
    expect(shell).toMatchObject({ status: 303, headers: expect.objectContaining({ location: '/desk' }) });
    const form = await desk('/desk');
    expect(form.body).toContain('Masuk / Sign in');
    expect(String(form.headers['content-security-policy'])).toMatch(/default-src 'none'/);
    expect(String(form.headers['strict-transport-security'])).toContain('max-age=');
    // The sign-in cookie is out of reach of scripts and of other sites.
    const cookie = await desk('/desk', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `token=${d.token}` });
    expect(String(cookie.headers['set-cookie'])).toMatch(/HttpOnly; Secure; SameSite=Strict/);
    // An oversized sign-in form is refused without reading it all.
    const big = await desk('/desk', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'token=' + 'x'.repeat(10_000) }).catch(() => ({ status: 413 }));
    expect(big.status).toBe(413);
  });

  it('refuses plain HTTP on the desk listener: no answer is served', async () => {
    const plain = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: '127.0.0.2', port: remote.port, path: '/api/health' }, (res) => resolve(`answered ${res.statusCode}`));
      req.on('error', (e) => resolve(`refused: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
      req.setTimeout(3_000, () => req.destroy(new Error('timeout')));
      req.end();
    });
    expect(plain).toMatch(/^refused/);
  });
});

describe('--listen flags', () => {
  const pem = { cert: Buffer.from('-----BEGIN CERTIFICATE-----\n'), key: Buffer.from('-----BEGIN PRIVATE KEY-----\n') };
  const read = (f: string) => (f.includes('cert') ? pem.cert : f.includes('key') ? pem.key : Buffer.from('hello'));

  it('refuses another machine over plain HTTP, saying why', () => {
    expect(() => remoteListen({ listen: '10.20.30.40:8443' })).toThrow(ListenError);
    expect(() => remoteListen({ listen: '10.20.30.40:8443' })).toThrow(/plain HTTP.*--tls-cert.*--tls-key/);
    expect(() => remoteListen({ listen: '10.20.30.40', tlsCert: 'c.pem' }, read)).toThrow(/plain HTTP/);
  });

  it('names a bad address, port, certificate or key', () => {
    expect(() => remoteListen({ listen: 'ruang-kendali.local', tlsCert: 'cert', tlsKey: 'key' }, read)).toThrow(/an IP address/);
    expect(() => remoteListen({ listen: '10.0.0.1:99999', tlsCert: 'cert', tlsKey: 'key' }, read)).toThrow(/port must be/);
    expect(() => remoteListen({ listen: '10.0.0.1', tlsCert: 'other', tlsKey: 'key' }, read)).toThrow(/--tls-cert other: not a PEM certificate/);
    expect(() => remoteListen({ listen: '10.0.0.1', tlsCert: '/nonexistent/cert.pem', tlsKey: 'key' })).toThrow(/cannot read it \(ENOENT\)/);
    expect(() => remoteListen({ tlsCert: 'cert', tlsKey: 'key' }, read)).toThrow(/are for --listen/);
    expect(remoteListen({ listen: '[fd00::20]', tlsCert: 'cert', tlsKey: 'key' }, read)).toMatchObject({ host: 'fd00::20', port: 8443 });
  });

  it('makes the command line exit with that message before anything starts', () => {
    const run = spawnSync(process.execPath, ['dist/main/web/cli.js', '--listen', '10.20.30.40:8443'], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Pantau could not start: --listen 10\.20\.30\.40:8443 would serve other machines over plain HTTP/);
  });
});
