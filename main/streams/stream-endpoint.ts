/**
 * Delivers gateway streams to renderers over WebSocket (runtime: Node).
 *
 * `issue()` returns a loopback URL with a random one-use token; the path is looked up in a table and
 * never built from input. The wire: a text frame {"type":"init","codec":…} announces that the next
 * binary frame is an init segment; every other binary frame is one moof+mdat fragment; text frames
 * {"type":"health",…} carry the ingest's state. A slow viewer skips to the next keyframe rather than
 * buffering without bound.
 *
 * A socket outlives its stream: the renderer may send {"type":"unbind"} (stop feeding me) and later
 * {"type":"bind","token":…} with a token from a new `stream.open`; the reply {"type":"bound","token":…}
 * marks where the new stream starts. A district switch then reuses the tiles' open sockets instead of
 * waiting for 16 new handshakes, which Chromium runs one after another. These are the only messages a
 * renderer may send; anything else closes the socket.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { StreamQuality } from '../../preload/contract.js';
import { ApiError } from '../../preload/contract.js';
import type { Lease, StreamGateway } from './gateway.js';
import { HlsSourceProxy } from './hls-proxy.js';
import type { SessionOutput } from './ingest-session.js';
import type { TranscodeOutput } from './transcode.js';

const TOKEN_TTL_MS = 30_000;
/**
 * How long an issued ticket keeps its ingest running without a viewer (then the idle grace applies).
 * A tile's socket binds within a second even when 16 connect one after another; a ticket that is
 * never used (the operator paged on first) should not keep a camera's ffmpeg much past its grace.
 */
const HEAD_START_MS = 2_000;
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const PATH = /^\/live\/([0-9a-f]{48})$/;
/** Replay files: the playlist, the init segment and numbered segments. Nothing else is served. */
const HLS_PATH = /^\/hls\/([0-9a-f]{48})\/(index\.m3u8|init\.mp4|seg\d{5,9}\.m4s)$/;
/** A replay ticket holds its ingest alive while hls.js keeps fetching, and lets go 15 s after. */
const REPLAY_IDLE_MS = 15_000;

interface Ticket {
  cameraId: string;
  quality: StreamQuality;
  /** MPEG-1 (JSMpeg) instead of the camera's own codec. */
  transcode: boolean;
  expires: number;
  /**
   * The ingest, started when the ticket was issued: a tile's socket connects (or rebinds) some time
   * after `stream.open`, and a district switch's 16 handshakes run one after another, so the last
   * ingest would start up to a second late. Released once a viewer holds the ingest, or after HEAD_START_MS.
   */
  headStart: (() => void) | null;
}

const TOKEN = /^[0-9a-f]{48}$/;

/** The messages a renderer may send on a stream socket, checked field by field; null for anything else. */
export function parseControl(text: string): { type: 'unbind' } | { type: 'bind'; token: string } | null {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return null;
  const o = m as Record<string, unknown>;
  const keys = Object.keys(o).sort().join(',');
  if (o.type === 'unbind' && keys === 'type') return { type: 'unbind' };
  if (o.type === 'bind' && keys === 'token,type' && typeof o.token === 'string' && TOKEN.test(o.token)) return { type: 'bind', token: o.token };
  return null;
}

function sendHealth(ws: WebSocket, health: object): void {
  ws.send(JSON.stringify({ type: 'health', ...health }));
}

/**
 * A viewer's catch-up rule, for either wire: while `waiting` (at its start, or once its socket has
 * fallen more than MAX_BUFFERED_BYTES behind) media goes out again only from a chunk a decoder can
 * start at: a keyframe fragment, a picture-group start.
 */
class CatchUp {
  constructor(
    private readonly ws: WebSocket,
    public waiting: boolean,
  ) {}
  admit(startsRun: boolean): boolean {
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) this.waiting = true;
    if (this.waiting && !startsRun) return false;
    this.waiting = false;
    return true;
  }
}

/** What a tile opens: the kind says which player reads the URL. */
export type StreamKind = 'fmp4' | 'hls' | 'mpeg1';

export class StreamEndpoint {
  private readonly tickets = new Map<string, Ticket>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  private viewers = 0;
  private readonly replays = new Map<string, { lease: Lease; timer: NodeJS.Timeout }>();
  /** Cameras whose source is an HLS playlist: fetched by main, played by hls.js in the renderer. */
  readonly hlsSources: HlsSourceProxy;

  constructor(
    private readonly gateway: StreamGateway,
    private readonly origin: () => string,
    log?: (message: string) => void,
    /** How long an issued ticket keeps its ingest running without a viewer (default HEAD_START_MS). */
    private readonly headStartMs = HEAD_START_MS,
  ) {
    this.hlsSources = new HlsSourceProxy(origin, log);
  }

  /**
   * What a tile opens for this camera: a gateway stream socket (fMP4) for RTSP cameras, a proxied
   * playlist for HLS cameras, and with `transcode` (the tile's browser can't decode the camera's
   * codec) the JSMpeg socket of an MPEG-1 transcode, if the transcode budget allows one more. Either
   * way a loopback URL behind a token, never the camera's own URL.
   */
  open(cameraId: string, quality: StreamQuality, transcode = false): { url: string; kind: StreamKind; quality: StreamQuality } {
    const source = this.gateway.source(cameraId, quality);
    if (source.kind === 'hls') {
      if (transcode) throw new ApiError('bad_request', `camera ${cameraId}: HLS sources are played as they are, not transcoded`);
      return { url: this.hlsSources.issue(cameraId, source.url), kind: 'hls', quality: source.quality };
    }
    if (transcode) this.gateway.checkTranscodeBudget(cameraId, quality);
    // The quality delivered: a camera without a sub stream sends its main one to a small tile too.
    return { url: this.issue(cameraId, quality, transcode), kind: transcode ? 'mpeg1' : 'fmp4', quality: source.quality };
  }

  get subscriberCount(): number {
    return this.viewers;
  }

  /** A URL a renderer may open once, within 30 s. The camera must exist (checked by acquire on connect). */
  issue(cameraId: string, quality: StreamQuality, transcode = false): string {
    const now = Date.now();
    for (const [t, ticket] of this.tickets) if (ticket.expires < now) this.dropTicket(t);
    const token = randomBytes(24).toString('hex');
    this.tickets.set(token, { cameraId, quality, transcode, expires: now + TOKEN_TTL_MS, headStart: transcode ? null : this.startEarly(cameraId, quality) });
    return `${this.origin().replace(/^http/, 'ws')}/live/${token}`;
  }

  /**
   * Starts (or holds) the ingest for a ticket until the returned release is called or headStartMs
   * pass; null when it can't start now (the viewer's own acquire then says why).
   */
  private startEarly(cameraId: string, quality: StreamQuality): Ticket['headStart'] {
    let lease: Lease;
    try {
      lease = this.gateway.acquire(cameraId, quality);
    } catch {
      return null;
    }
    // A lease's release does nothing the second time, so the timer and the caller may both call it.
    const timer = setTimeout(() => lease.release(), this.headStartMs);
    timer.unref();
    return () => {
      clearTimeout(timer);
      lease.release();
    };
  }

  private static endHeadStart(ticket: Ticket): void {
    ticket.headStart?.();
    ticket.headStart = null;
  }

  private dropTicket(token: string): void {
    const ticket = this.tickets.get(token);
    if (ticket) StreamEndpoint.endHeadStart(ticket);
    this.tickets.delete(token);
  }

  /** A loopback URL for the rolling HLS window of this camera stream (instant replay). */
  issueReplay(cameraId: string, quality: StreamQuality): string {
    const lease = this.gateway.acquire(cameraId, quality);
    if (!lease.session.hlsDir) {
      lease.release();
      throw new ApiError('unavailable', `camera ${cameraId} has no replay window`);
    }
    const token = randomBytes(24).toString('hex');
    this.replays.set(token, { lease, timer: setTimeout(() => this.endReplay(token), REPLAY_IDLE_MS) });
    return `${this.origin()}/hls/${token}/index.m3u8`;
  }

  private endReplay(token: string): void {
    const r = this.replays.get(token);
    if (!r) return;
    clearTimeout(r.timer);
    this.replays.delete(token);
    r.lease.release();
  }

  /** Serves /hls/<token>/<file> and /src/<token>/…; returns false for any other path. */
  handleHttp(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.hlsSources.handleHttp(req, res)) return true;
    const match = HLS_PATH.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!match) return false;
    const token = match[1]!;
    const replay = this.replays.get(token);
    // The server in front has checked Host and Origin, and lets Electron's pantau://app read (no wildcard).
    if (!replay || !replay.lease.session.hlsDir) {
      res.writeHead(403).end();
      return true;
    }
    clearTimeout(replay.timer);
    replay.timer = setTimeout(() => this.endReplay(token), REPLAY_IDLE_MS);
    const file = join(replay.lease.session.hlsDir, match[2]!);
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return true;
    }
    const type = file.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp4';
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
    return true;
  }

  /** The ticket for a token, once: a used or expired token gets nothing. */
  private takeTicket(token: string): Ticket | null {
    const ticket = this.tickets.get(token);
    this.tickets.delete(token);
    if (ticket && ticket.expires >= Date.now()) return ticket;
    if (ticket) StreamEndpoint.endHeadStart(ticket);
    return null;
  }

  /** Claims an HTTP upgrade if it is for /live/…; returns false to let other handlers try. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const match = PATH.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!match) return false;
    const ticket = this.takeTicket(match[1]!);
    if (!ticket) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, ticket));
    return true;
  }

  /** A stream socket: serves its first ticket, then whatever `bind` asks for, until it closes. */
  private attach(ws: WebSocket, first: Ticket): void {
    let unbind: (() => void) | null = null;
    const bind = (ticket: Ticket) => {
      unbind = ticket.transcode ? this.serveMpeg1(ws, ticket) : this.serve(ws, ticket);
      // The viewer holds the ingest now (or was refused): the ticket's head start has done its job.
      StreamEndpoint.endHeadStart(ticket);
    };
    const release = () => {
      unbind?.();
      unbind = null;
    };
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const message = isBinary ? null : parseControl(data.toString());
      if (!message) return ws.close(1008, 'unexpected message');
      release();
      if (message.type === 'unbind') return;
      const ticket = this.takeTicket(message.token);
      if (!ticket) {
        sendHealth(ws, { state: 'error', reason: 'stream token unknown, used or expired', retryAt: null });
        return ws.close(1008, 'bad token');
      }
      ws.send(JSON.stringify({ type: 'bound', token: message.token }));
      bind(ticket);
    });
    ws.on('close', release);
    ws.on('error', () => ws.terminate());
    bind(first);
  }

  /**
   * One viewer on a socket: refused with the reason when `acquire` throws (and the socket closed);
   * otherwise counted and fed by `start` (which returns how to stop feeding it). Returns how to end
   * this viewer (stop feeding, release the lease), or null when refused.
   */
  private serveViewer<L extends { release(): void }>(ws: WebSocket, acquire: () => L, start: (lease: L) => () => void): (() => void) | null {
    let lease: L;
    try {
      lease = acquire();
    } catch (err) {
      sendHealth(ws, { state: 'error', reason: (err as Error).message, retryAt: null });
      ws.close(1011, 'unavailable');
      return null;
    }
    this.viewers++;
    const stop = start(lease);
    return () => {
      this.viewers--;
      stop();
      lease.release();
    };
  }

  private serve(ws: WebSocket, ticket: Ticket): (() => void) | null {
    return this.serveViewer(ws, () => this.gateway.acquire(ticket.cameraId, ticket.quality), ({ session }) => {
      const catchUp = new CatchUp(ws, true);
      const sendInit = () => {
        if (!session.initSegment) return;
        ws.send(JSON.stringify({ type: 'init', codec: session.initSegment.codec }));
        ws.send(session.initSegment.data);
        catchUp.waiting = true;
      };
      sendHealth(ws, session.health);
      // The init segment goes out whenever the session has one, live or not yet: a viewer that joins
      // between ffmpeg's init segment and its first fragment would otherwise never get it, and every
      // fragment after would be useless to it (seen: tiles stuck on "connecting" after a district switch).
      if (session.initSegment) {
        sendInit();
        if (session.isLive && session.gop.length && session.gop[0]!.keyframe) {
          for (const f of session.gop) ws.send(f.data);
          catchUp.waiting = false;
        }
      }
      const onOutput = (o: SessionOutput) => {
        if (ws.readyState !== ws.OPEN) return;
        if (o.kind === 'health') sendHealth(ws, o.health);
        else if (o.kind === 'init') sendInit();
        else if (catchUp.admit(o.fragment.keyframe)) ws.send(o.fragment.data);
      };
      session.on('output', onOutput);
      return () => session.off('output', onOutput);
    });
  }

  /**
   * The JSMpeg wire: binary frames are MPEG-TS carrying MPEG-1 video, cut at TS packet boundaries;
   * text frames {"type":"health",…} carry the stream's state as on the fMP4 socket. A viewer first
   * gets the packets since the last picture-group start, so it decodes a frame at once; a slow
   * viewer skips to the next picture group rather than buffering without bound.
   */
  private serveMpeg1(ws: WebSocket, ticket: Ticket): (() => void) | null {
    return this.serveViewer(ws, () => this.gateway.acquireTranscode(ticket.cameraId, ticket.quality), ({ transcode: t }) => {
      sendHealth(ws, t.health);
      const catchUp = new CatchUp(ws, t.cache.length === 0);
      for (const b of t.cache) ws.send(b);
      const onOutput = (o: TranscodeOutput) => {
        if (ws.readyState !== ws.OPEN) return;
        if (o.kind === 'health') sendHealth(ws, o.health);
        else if (catchUp.admit(o.chunk.gopStart)) ws.send(o.chunk.data);
      };
      t.on('output', onOutput);
      return () => t.off('output', onOutput);
    });
  }

  close(): void {
    for (const token of [...this.tickets.keys()]) this.dropTicket(token);
    this.hlsSources.close();
    for (const token of [...this.replays.keys()]) this.endReplay(token);
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }
}
