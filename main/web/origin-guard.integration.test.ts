/**
 * Raw requests against a real web-mode console: a foreign Origin or Host gets 403 before any upgrade,
 * a client without Origin needs the API token, and the console's own page gets in.
 */
import { readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { WebHost } from './host';
import { startTestHost } from './test-host';

let host: WebHost;
let port: number;
beforeAll(async () => {
  host = await startTestHost();
  port = Number(new URL(host.url).port);
});
afterAll(() => host.close());

/** One raw HTTP request with exactly these headers (no Host is added but the one given). */
function raw(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, setHost: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A WebSocket upgrade with these headers: 'open', or the HTTP status it was refused with. */
function upgrade(path: string, headers: Record<string, string>, origin?: string): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers, ...(origin ? { origin } : {}) });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

const own = () => `http://127.0.0.1:${port}`;
const auth = () => ({ Authorization: `Bearer ${host.apiToken}` });

describe('the web console refuses foreign pages and hosts', () => {
  it('refuses an /api/ws upgrade from a foreign Origin with 403, and takes its own', async () => {
    expect(await upgrade('/api/ws', {}, 'http://evil.example')).toBe(403);
    expect(await upgrade('/api/ws', auth(), 'http://evil.example')).toBe(403);
    expect(await upgrade('/api/ws', {}, own())).toBe('open');
  });

  it('refuses a foreign Host on every path, with or without the token', async () => {
    for (const path of ['/api/health', '/live/' + '0'.repeat(48), '/hls/' + '0'.repeat(48) + '/index.m3u8', '/src/' + '0'.repeat(48) + '/index.m3u8', '/'])
      expect((await raw(path, { Host: `rebind.example:${port}`, ...auth() })).status, path).toBe(403);
    expect(await upgrade('/api/ws', { Host: `rebind.example:${port}` }, `http://rebind.example:${port}`)).toBe(403);
  });

  it('asks a client without Origin for the API token, and compares it', async () => {
    const host127 = { Host: `127.0.0.1:${port}` };
    expect((await raw('/api/health', host127)).status).toBe(401);
    expect((await raw('/api/health', { ...host127, Authorization: 'Bearer wrong' })).status).toBe(401);
    const ok = await raw('/api/health', { ...host127, ...auth() });
    expect(ok.status).toBe(200);
    expect((JSON.parse(ok.body) as { camerasInCatalog: number }).camerasInCatalog).toBeGreaterThan(0);
    expect(await upgrade('/api/ws', {})).toBe(401);
    expect(await upgrade('/api/ws', auth())).toBe('open');
    // Stream paths too: a refused request never reaches the token table.
    expect(await upgrade('/live/' + '0'.repeat(48), {}, 'http://evil.example')).toBe(403);
    expect((await raw('/hls/' + '0'.repeat(48) + '/index.m3u8', host127)).status).toBe(401);
  });

  it('refuses a cross-site browser request that carries no Origin', async () => {
    expect((await raw('/api/health', { Host: `127.0.0.1:${port}`, 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await raw('/api/health', { Host: `127.0.0.1:${port}`, 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
  });

  it("serves the app shell to the console's own Host without a token, and no data path to a foreign one", async () => {
    expect((await raw('/', { Host: `127.0.0.1:${port}` })).status).toBe(200);
    expect((await raw('/wall/2', { Host: `localhost:${port}` })).status).toBe(200);
  });

  it('keeps the token in a file only its user can read', () => {
    expect(readFileSync(host.apiTokenFile, 'utf8').trim()).toBe(host.apiToken);
    expect(statSync(host.apiTokenFile).mode & 0o077).toBe(0);
  });
});
