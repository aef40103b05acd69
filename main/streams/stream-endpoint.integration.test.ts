/**
 * The stream socket's wire against real parts (GStreamer RTSP server, real ffmpeg, a real WebSocket):
 * a socket outlives its stream, unbinds and binds to another camera with a fresh token, and refuses
 * anything else a renderer might send.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Catalog } from '../catalog/catalog.js';
import { loadWilayah } from '../catalog/wilayah.js';
import { CameraFarm } from '../demo/camera-farm.js';
import { cacheDir } from '../paths.js';
import { testCamera as camera } from './camera.test-support.js';
import { findFfmpeg } from './ffmpeg.js';
import { StreamGateway } from './gateway.js';
import { runningFfmpeg } from './ingest-session.js';
import { parseControl } from './live-sockets.js';
import { StreamEndpoint } from './stream-endpoint.js';

const resources = join(__dirname, '..', '..', 'resources');
const ffmpeg = findFfmpeg();

let farm: CameraFarm;
let gateway: StreamGateway;
let endpoint: StreamEndpoint;
let server: Server;

beforeAll(async () => {
  farm = new CameraFarm({ ffmpegPath: ffmpeg, resources, cacheDir: cacheDir(), cameras: 2 });
  await farm.start();
  const cams = [camera('cam-a', 1, `${farm.rtspBase}/demo01/sub`), camera('cam-b', 2, `${farm.rtspBase}/demo02/sub`)];
  gateway = new StreamGateway({ catalog: new Catalog(cams, loadWilayah(join(resources, 'data', 'semarang-wilayah.json'))), ffmpegPath: () => ffmpeg, idleGraceMs: 300, headStartMs: 3_000 });
  server = createServer((_req, res) => res.writeHead(404).end());
  endpoint = new StreamEndpoint(gateway, () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  server.on('upgrade', (req, socket, head) => endpoint.handleUpgrade(req, socket, head) || socket.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});

afterAll(async () => {
  endpoint?.close();
  server?.close();
  await gateway?.dispose();
  await farm?.stop();
  expect(runningFfmpeg.size).toBe(0);
});

/** Everything a socket receives, in order: text frames parsed, binary frames as their length. */
function record(ws: WebSocket): { log: (Record<string, unknown> | number)[]; closed: Promise<number> } {
  const log: (Record<string, unknown> | number)[] = [];
  ws.on('message', (data: Buffer, isBinary: boolean) => log.push(isBinary ? data.length : (JSON.parse(data.toString()) as Record<string, unknown>)));
  return { log, closed: new Promise((r) => ws.on('close', (code) => r(code))) };
}
const until = async (check: () => boolean, ms = 10_000) => {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};
const tokenOf = (url: string) => url.split('/').pop()!;

describe('stream sockets', () => {
  it('unbind stops the stream and frees its viewer; bind with a new token starts another camera after "bound"', async () => {
    const ws = new WebSocket(endpoint.issue('cam-a', 'main'));
    const { log } = record(ws);
    const binaries = () => log.filter((x) => typeof x === 'number').length;
    await until(() => binaries() > 5);
    expect(log.find((x) => typeof x === 'object' && x.type === 'init')).toMatchObject({ codec: expect.stringMatching(/^avc1\./) });
    expect(endpoint.subscriberCount).toBe(1);

    ws.send('{"type":"unbind"}');
    await until(() => endpoint.subscriberCount === 0);
    await new Promise((r) => setTimeout(r, 200)); // what was in flight
    const after = binaries();
    await new Promise((r) => setTimeout(r, 500)); // 7 frames' time at 15 fps
    expect(binaries()).toBe(after);

    const next = endpoint.issue('cam-b', 'main');
    const from = log.length;
    ws.send(JSON.stringify({ type: 'bind', token: tokenOf(next) }));
    await until(() => log.slice(from).filter((x) => typeof x === 'number').length > 5);
    const rebound = log.slice(from);
    expect(rebound[0]).toEqual({ type: 'bound', token: tokenOf(next) });
    // The new stream starts as a new socket's would: health, init announcement, init segment, media.
    expect(rebound.findIndex((x) => typeof x === 'object' && x.type === 'init')).toBeGreaterThan(0);
    expect(endpoint.subscriberCount).toBe(1);
    expect(gateway.sessions().map((x) => x.health.cameraId)).toContain('cam-b');

    // A token is good once: binding with it again closes the socket, saying why.
    const closing = record(ws);
    ws.send(JSON.stringify({ type: 'bind', token: tokenOf(next) }));
    expect(await closing.closed).toBe(1008);
    expect(closing.log.find((x) => typeof x === 'object' && x.type === 'health')).toMatchObject({ state: 'error', reason: { code: 'token_invalid' } });
    await until(() => endpoint.subscriberCount === 0);
  });

  it('starts the ingest when the ticket is issued, before any socket, and lets it go when no viewer comes', async () => {
    await until(() => gateway.stats().sessions === 0);
    const url = endpoint.issue('cam-b', 'main');
    // A district switch's sockets connect one after another; the ingests must not wait for them.
    expect(gateway.stats().sessions).toBe(1);
    // The ticket holds the ingest for its head start (3 s here: a fresh machine busy with the whole
    // suite once took over 1.3 s to go live, and the session had been let go by then).
    await until(() => gateway.sessions()[0]?.isLive ?? false);
    // A viewer that comes now starts at the cached keyframe: init and media at once.
    const ws = new WebSocket(url);
    const { log } = record(ws);
    await until(() => log.filter((x) => typeof x === 'number').length > 2, 2_000);
    ws.close();
    // Nobody else: the ticket's hold ends after its head start, then the idle grace.
    endpoint.issue('cam-a', 'main');
    expect(gateway.stats().sessions).toBe(2);
    await until(() => gateway.stats().sessions === 0, 8_000);
  });

  it('closes a socket that sends anything else', async () => {
    for (const bad of ['hello', '{"type":"bind","token":"../../etc"}', '{"type":"unbind","x":1}', '["unbind"]', Buffer.from([1, 2, 3])]) {
      const ws = new WebSocket(endpoint.issue('cam-a', 'main'));
      const { closed } = record(ws);
      await new Promise((r) => ws.on('open', r));
      ws.send(bad);
      expect(await closed, String(bad)).toBe(1008);
    }
    await until(() => endpoint.subscriberCount === 0);
  });

  it('parses only the two control messages, field by field', () => {
    const t = 'a'.repeat(48);
    expect(parseControl('{"type":"unbind"}')).toEqual({ type: 'unbind' });
    expect(parseControl(JSON.stringify({ type: 'bind', token: t }))).toEqual({ type: 'bind', token: t });
    for (const bad of [
      '',
      'null',
      '1',
      '{}',
      '{"type":"bind"}',
      JSON.stringify({ type: 'bind', token: t.toUpperCase() }),
      JSON.stringify({ type: 'bind', token: t, extra: 1 }),
      JSON.stringify({ type: 'BIND', token: t }),
    ])
      expect(parseControl(bad), bad).toBeNull();
  });
});
