/**
 * Delivers gateway streams to renderers over WebSocket (runtime: Node).
 *
 * `issue()` returns a loopback URL with a random one-use token; the path is looked up in a table and
 * never built from input. The wire: a text frame {"type":"init","codec":…} announces that the next
 * binary frame is an init segment; every other binary frame is one moof+mdat fragment; text frames
 * {"type":"health",…} carry the ingest's state. A slow viewer skips to the next keyframe rather than
 * buffering without bound.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StreamQuality } from '../../preload/contract.js';
import type { StreamGateway } from './gateway.js';
import type { SessionOutput } from './ingest-session.js';

const TOKEN_TTL_MS = 30_000;
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const PATH = /^\/live\/([0-9a-f]{48})$/;

interface Ticket {
  cameraId: string;
  quality: StreamQuality;
  expires: number;
}

export class StreamEndpoint {
  private readonly tickets = new Map<string, Ticket>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  private viewers = 0;

  constructor(
    private readonly gateway: StreamGateway,
    private readonly origin: () => string,
  ) {}

  get subscriberCount(): number {
    return this.viewers;
  }

  /** A URL a renderer may open once, within 30 s. The camera must exist (checked by acquire on connect). */
  issue(cameraId: string, quality: StreamQuality): string {
    const now = Date.now();
    for (const [t, ticket] of this.tickets) if (ticket.expires < now) this.tickets.delete(t);
    const token = randomBytes(24).toString('hex');
    this.tickets.set(token, { cameraId, quality, expires: now + TOKEN_TTL_MS });
    return `${this.origin().replace(/^http/, 'ws')}/live/${token}`;
  }

  /** Claims an HTTP upgrade if it is for /live/…; returns false to let other handlers try. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const match = PATH.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!match) return false;
    const token = match[1]!;
    const ticket = this.tickets.get(token);
    this.tickets.delete(token);
    if (!ticket || ticket.expires < Date.now()) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws, ticket));
    return true;
  }

  private serve(ws: WebSocket, ticket: Ticket): void {
    let lease;
    try {
      lease = this.gateway.acquire(ticket.cameraId, ticket.quality);
    } catch (err) {
      ws.send(JSON.stringify({ type: 'health', state: 'error', reason: (err as Error).message, retryAt: null }));
      ws.close(1011, 'unavailable');
      return;
    }
    this.viewers++;
    const session = lease.session;
    let needKeyframe = true;
    const sendInit = () => {
      if (!session.initSegment) return;
      ws.send(JSON.stringify({ type: 'init', codec: session.initSegment.codec }));
      ws.send(session.initSegment.data);
      needKeyframe = true;
    };
    ws.send(JSON.stringify({ type: 'health', ...session.health }));
    if (session.isLive && session.initSegment) {
      sendInit();
      if (session.gop.length && session.gop[0]!.keyframe) {
        for (const f of session.gop) ws.send(f.data);
        needKeyframe = false;
      }
    }
    const onOutput = (o: SessionOutput) => {
      if (ws.readyState !== ws.OPEN) return;
      if (o.kind === 'health') ws.send(JSON.stringify({ type: 'health', ...o.health }));
      else if (o.kind === 'init') sendInit();
      else {
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) needKeyframe = true;
        if (needKeyframe && !o.fragment.keyframe) return;
        needKeyframe = false;
        ws.send(o.fragment.data);
      }
    };
    session.on('output', onOutput);
    ws.on('message', () => ws.close(1008, 'this socket only sends')); // viewers have nothing to say
    ws.on('close', () => {
      this.viewers--;
      session.off('output', onOutput);
      lease.release();
    });
    ws.on('error', () => ws.terminate());
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }
}
