/**
 * Keeps a demo mount streaming while nobody watches it, as a camera's encoder always is (runtime: Node).
 *
 * gst-rtsp-server blocks a shared mount's stream while no client plays it. The next client then gets,
 * first, a keyframe the server held since the block (seconds old) and a burst of queued
 * frames, then a jump to the live stream. The console drops those (ingest-session.ts), but they still
 * tell it nothing about when the camera's next keyframe comes, and a keyframe in that backlog is up
 * to a few hundred ms old: a "cold" start on an idle mount is not what a camera gives (a camera sends
 * its current frames, and a new client waits for the next keyframe).
 *
 * It costs CPU (most of it in the server; bench/README.md, district-switch, has the figure), so the
 * farm keeps mounts streaming only when asked (CameraFarm.keepStreaming): the benchmarks that
 * time cold starts do.
 *
 * The keeper is one RTSP client per mount: DESCRIBE, SETUP over TCP (interleaved), PLAY, then it
 * discards whatever arrives and says OPTIONS every 20 s so the session does not time out. When the
 * server goes away (a test's outage, the watchdog's restart) it connects again every second.
 */
import { connect, type Socket } from 'node:net';

const RETRY_MS = 1_000;
const KEEPALIVE_MS = 20_000;

export class MountKeeper {
  private socket: Socket | null = null;
  private retry: NodeJS.Timeout | null = null;
  private keepalive: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Times the keeper reached PLAY (for tests). */
  plays = 0;

  constructor(
    private readonly port: number,
    readonly path: string,
    private readonly auth?: { user: string; password: string },
  ) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.keepalive) clearInterval(this.keepalive);
    this.retry = this.keepalive = null;
    this.socket?.destroy();
    this.socket = null;
  }

  private open(): void {
    if (this.stopped) return;
    const url = `rtsp://127.0.0.1:${this.port}${this.path}`;
    const authHeader = this.auth ? `Authorization: Basic ${Buffer.from(`${this.auth.user}:${this.auth.password}`).toString('base64')}\r\n` : '';
    const sock = connect(this.port, '127.0.0.1');
    this.socket = sock;
    let cseq = 0;
    let session = '';
    let step: 'describe' | 'setup' | 'play' | 'playing' = 'describe';
    let pending = Buffer.alloc(0);
    const send = (method: string, target: string, headers = '') =>
      sock.write(`${method} ${target} RTSP/1.0\r\nCSeq: ${++cseq}\r\n${authHeader}${session ? `Session: ${session}\r\n` : ''}${headers}\r\n`);
    sock.on('connect', () => send('DESCRIBE', url, 'Accept: application/sdp\r\n'));
    sock.on('data', (chunk: Buffer) => {
      if (step === 'playing') return; // media and OPTIONS answers: discarded
      pending = Buffer.concat([pending, chunk]);
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = pending.subarray(0, end).toString('latin1');
      const length = Number(/\r\nContent-Length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (pending.length < end + 4 + length) return;
      const body = pending.subarray(end + 4, end + 4 + length).toString('latin1');
      pending = pending.subarray(end + 4 + length);
      if (!/^RTSP\/1\.0 200/.test(head)) return sock.destroy();
      session ||= /\r\nSession:\s*([^;\r\n]+)/i.exec(head)?.[1] ?? '';
      if (step === 'describe') {
        const control = /a=control:(\S+)\s*$/m.exec(body.split(/^m=/m)[1] ?? '')?.[1] ?? '';
        const target = /^rtsp:/i.test(control) ? control : `${url}/${control}`;
        step = 'setup';
        send('SETUP', target, 'Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n');
      } else if (step === 'setup') {
        step = 'play';
        send('PLAY', url, 'Range: npt=0.000-\r\n');
      } else if (step === 'play') {
        step = 'playing';
        this.plays++;
        this.keepalive = setInterval(() => send('OPTIONS', url), KEEPALIVE_MS);
        this.keepalive.unref();
      }
    });
    sock.on('error', () => sock.destroy());
    sock.on('close', () => {
      if (this.keepalive) clearInterval(this.keepalive);
      this.keepalive = null;
      if (this.socket === sock) this.socket = null;
      if (this.stopped) return;
      this.retry = setTimeout(() => this.open(), RETRY_MS);
      this.retry.unref();
    });
  }
}
