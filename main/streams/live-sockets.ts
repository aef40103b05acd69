/**
 * The stream sockets, /live/<token> (runtime: Node): each carries one camera stream at a time to a
 * tile. The wire (the contract's StreamServerMessage and StreamClientMessage): a text frame
 * {"type":"init","codec":…} announces that the next binary frame is an init segment; every other
 * binary frame is one moof+mdat fragment (or, on a transcode's socket, MPEG-TS packets for JSMpeg);
 * text frames {"type":"health",…} carry the stream's state with a reason code. A slow viewer skips to
 * the next keyframe rather than buffering without bound.
 *
 * A socket outlives its stream: the renderer may send {"type":"unbind"} (stop feeding me) and later
 * {"type":"bind","token":…} with a token from a new `stream.open`; the reply {"type":"bound","token":…}
 * marks where the new stream starts. A district switch then reuses the tiles' open sockets instead of
 * waiting for 16 new handshakes, which Chromium runs one after another. These are the only messages a
 * renderer may send; anything else closes the socket.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { ApiError, parseJsonFrame, reason, StreamClientMessage, type StreamHealth, type StreamServerMessage } from '../../preload/contract.js';
import type { StreamGateway } from './gateway.js';
import type { SessionOutput } from './ingest-session.js';
import { TicketBook, type Ticket } from './ticket-book.js';
import type { TranscodeOutput } from './transcode.js';

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** A WebSocket message as text (ws hands over a Buffer, an ArrayBuffer, or fragments). */
export function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
const PATH = /^\/live\/([0-9a-f]{48})$/;

/** The messages a renderer may send on a stream socket (the contract's StreamClientMessage); null for anything else. */
export function parseControl(text: string): StreamClientMessage | null {
  return parseJsonFrame(StreamClientMessage, text);
}

/** A text frame to the renderer, of the contract's StreamServerMessage. */
function sendControl(ws: WebSocket, message: StreamServerMessage): void {
  ws.send(JSON.stringify(message));
}

function sendHealth(ws: WebSocket, health: Pick<StreamHealth, 'state' | 'reason' | 'retryAt'>): void {
  sendControl(ws, { type: 'health', state: health.state, reason: health.reason, retryAt: health.retryAt });
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

export class LiveSockets {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  private viewers = 0;

  constructor(
    private readonly gateway: StreamGateway,
    private readonly tickets: TicketBook,
  ) {}

  /** Viewers being fed right now. */
  get viewerCount(): number {
    return this.viewers;
  }

  /** Claims an HTTP upgrade if it is for /live/…; returns false to let other handlers try. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const match = PATH.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!match) return false;
    const ticket = this.tickets.take(match[1]!);
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
      TicketBook.release(ticket);
    };
    const release = () => {
      unbind?.();
      unbind = null;
    };
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const message = isBinary ? null : parseControl(rawText(data));
      if (!message) return ws.close(1008, 'unexpected message');
      release();
      if (message.type === 'unbind') return;
      const ticket = this.tickets.take(message.token);
      if (!ticket) {
        sendHealth(ws, { state: 'error', reason: reason('token_invalid'), retryAt: null });
        return ws.close(1008, 'bad token');
      }
      sendControl(ws, { type: 'bound', token: message.token });
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
      sendHealth(ws, { state: 'error', reason: err instanceof ApiError && err.reason ? err.reason : reason('stream_unavailable', undefined, (err as Error).message), retryAt: null });
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
    return this.serveViewer(
      ws,
      () => this.gateway.acquire(ticket.cameraId, ticket.quality),
      ({ session }) => {
        const catchUp = new CatchUp(ws, true);
        const sendInit = () => {
          if (!session.initSegment) return;
          sendControl(ws, { type: 'init', codec: session.initSegment.codec });
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
      },
    );
  }

  /**
   * The JSMpeg wire: binary frames are MPEG-TS carrying MPEG-1 video, cut at TS packet boundaries;
   * text frames {"type":"health",…} carry the stream's state as on the fMP4 socket. A viewer first
   * gets the packets since the last picture-group start, so it decodes a frame at once; a slow
   * viewer skips to the next picture group rather than buffering without bound.
   */
  private serveMpeg1(ws: WebSocket, ticket: Ticket): (() => void) | null {
    return this.serveViewer(
      ws,
      () => this.gateway.acquireTranscode(ticket.cameraId, ticket.quality),
      ({ transcode: t }) => {
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
      },
    );
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }
}
