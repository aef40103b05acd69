/**
 * The HLS source proxy against real parts: the demo farm's HLS camera (real ffmpeg writing a live
 * HLS window, served over HTTP behind Basic authentication), fetched through a real loopback server.
 */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraFarm } from '../demo/camera-farm.js';
import { DEMO_HLS_AUTH } from '../demo/hls-cameras.js';
import { cacheDir } from '../paths.js';
import { findFfmpeg } from './ffmpeg.js';
import { HlsSourceProxy } from './hls-proxy.js';

const resources = join(__dirname, '..', '..', 'resources');
let farm: CameraFarm;
let server: Server;
let origin = '';
let proxy: HlsSourceProxy;
const logs: string[] = [];
/** A stand-in camera for hostile answers: a playlist that points elsewhere, or garbage. */
let hostile: Server;
let hostileBase = '';

function listen(s: Server): Promise<string> {
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as { port: number }).port}`)));
}

beforeAll(async () => {
  farm = new CameraFarm({ ffmpegPath: findFfmpeg(), resources, cacheDir: cacheDir(), cameras: 1, hlsCameras: 1, watchdogMs: 0 });
  await farm.start();
  proxy = new HlsSourceProxy(
    () => origin,
    (m) => logs.push(m),
  );
  server = createServer((req, res) => {
    if (!proxy.handleHttp(req, res)) res.writeHead(404).end();
  });
  origin = await listen(server);
  hostile = createServer((req, res) => {
    if (req.url === '/elsewhere.m3u8') res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' }).end('#EXTM3U\n#EXTINF:1,\nhttp://192.0.2.1/secret.ts\n');
    else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>not a camera</html>');
  });
  hostileBase = await listen(hostile);
  // The writer needs a few segments before the playlist exists.
  const t0 = Date.now();
  for (;;) {
    const r = await fetch(`${farm.hlsCameras!.base.replace(/\/\/.*@/, '//')}/cam01/index.m3u8`, {
      headers: { Authorization: `Basic ${Buffer.from(`${DEMO_HLS_AUTH.user}:${DEMO_HLS_AUTH.password}`).toString('base64')}` },
    });
    if (r.ok && (await r.text()).split('#EXTINF').length > 3) break;
    if (Date.now() - t0 > 15_000) throw new Error('the demo HLS camera wrote no playlist');
    await new Promise((res) => setTimeout(res, 250));
  }
}, 60_000);

afterAll(async () => {
  proxy?.close();
  server?.close();
  hostile?.close();
  await farm?.stop();
});

describe('HLS source proxy', () => {
  it('serves the camera playlist without its credentials or host, and its segments, one upstream fetch for many viewers', async () => {
    const source = `${farm.hlsCameras!.base}/cam01/index.m3u8`;
    expect(source).toContain(`${DEMO_HLS_AUTH.user}:${DEMO_HLS_AUTH.password}@`);
    const urls = [proxy.issue('prv-001', source), proxy.issue('prv-001', source), proxy.issue('prv-001', source)];
    for (const u of urls) expect(u).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/src\/[0-9a-f]{48}\/index\.m3u8$/);
    const before = proxy.upstreamRequests;
    const playlists = await Promise.all(urls.map(async (u) => (await fetch(u)).text()));
    for (const text of playlists) {
      expect(text.startsWith('#EXTM3U')).toBe(true);
      expect(text).not.toContain(DEMO_HLS_AUTH.password);
      expect(text).not.toContain(new URL(source).host);
      const media = text.split('\n').filter((l) => l && !l.startsWith('#'));
      expect(media.length).toBeGreaterThanOrEqual(2);
      for (const m of media) expect(m).toMatch(/^r\d+$/);
    }
    // Three viewers, one upstream playlist fetch (shared for half a second).
    expect(proxy.upstreamRequests - before).toBe(1);
    const segs = await Promise.all(
      urls.map(async (u, i) => {
        const ref = playlists[i]!.split('\n')
          .filter((l) => l && !l.startsWith('#'))
          .at(-1)!;
        const res = await fetch(new URL(ref, u));
        return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
      }),
    );
    for (const s of segs) {
      expect(s.status).toBe(200);
      expect(s.type).toBe('video/mp2t');
      expect(s.body.length).toBeGreaterThan(1000);
      expect(s.body[0]).toBe(0x47); // MPEG-TS sync byte
    }
    expect(proxy.upstreamRequests - before).toBe(2); // the same segment, fetched once
  });

  it('says what is wrong: wrong password, nothing listening, not a playlist, a playlist pointing elsewhere', async () => {
    const get = async (url: string) => {
      const res = await fetch(url);
      return { status: res.status, why: res.statusText, body: await res.text() };
    };
    const wrong = `${farm.hlsCameras!.base.replace(DEMO_HLS_AUTH.password, 'wrong')}/cam01/index.m3u8`;
    expect(await get(proxy.issue('prv-001', wrong))).toEqual({
      status: 502,
      why: 'hls_auth_failed: the camera refused the user name or password (HTTP 401)',
      body: 'the camera refused the user name or password (HTTP 401)',
    });
    const closed = createServer();
    const closedBase = await listen(closed);
    await new Promise((r) => closed.close(r));
    const dead = await get(proxy.issue('prv-002', `${closedBase}/cam/index.m3u8`));
    expect(dead.status).toBe(502);
    expect(dead.why).toBe('hls_unreachable: cannot reach the camera (ECONNREFUSED)');
    expect(await get(proxy.issue('prv-003', `${hostileBase}/garbage.m3u8`))).toMatchObject({ status: 502, why: 'hls_not_playlist: the source is not an HLS playlist (no #EXTM3U)' });
    expect(await get(proxy.issue('prv-004', `${hostileBase}/elsewhere.m3u8`))).toMatchObject({
      status: 502,
      why: "hls_foreign_uri: the playlist points outside the camera's host: http://192.0.2.1/secret.ts",
    });
    // Each logged with the camera, never with a password.
    expect(logs.some((l) => l.startsWith('camera prv-001: HLS source http://127.0.0.1'))).toBe(true);
    expect(logs.join('\n')).not.toContain('wrong');
  });

  it('answers only its own tokens and refs', async () => {
    const url = proxy.issue('prv-001', `${farm.hlsCameras!.base}/cam01/index.m3u8`);
    expect((await fetch(url.replace(/[0-9a-f]{48}/, 'f'.repeat(48)))).status).toBe(403);
    expect((await fetch(url.replace('index.m3u8', 'r999999'))).status).toBe(404);
    expect((await fetch(url.replace('index.m3u8', '..%2F..%2Fetc%2Fpasswd'))).status).toBe(404); // not a proxy path at all
    expect((await fetch(url, { method: 'POST' })).status).toBe(405);
  });
});
