/**
 * What every gateway feed shares (runtime: the media worker, or the page): one stream socket, opened
 * through the gate (a switch opens many sockets at once, and Chromium delays the last ones by
 * seconds); its messages handled so that whatever a handler throws ends this feed with the reason,
 * never the worker that carries every other tile's feed; and one close, after which no event follows.
 * The fMP4 feeds (mse-feed.ts, webcodecs-feed.ts) and the MPEG-1 feed (mpeg1-feed.ts) build on it.
 */
import { reason, type Reason, type ReasonCode } from '../../../preload/contract';
import type { FeedEvent } from './mse-feed';
import type { GatedSocket, SocketGate } from './socket-gate';

export abstract class SocketFeed {
  private socket: GatedSocket | null = null;
  protected closed = false;

  /** `failure`: the reason a feed gives when one of its handlers throws (the error's message goes in its detail). */
  constructor(
    protected readonly emit: (e: FeedEvent) => void,
    private readonly failure: ReasonCode,
    /** The realm's socket gate (the worker's, or the page's media host's). */
    private readonly gate: SocketGate,
  ) {}

  /** A text (control) or binary (media) frame from the socket. */
  protected abstract onMessage(data: ArrayBuffer | string): void;

  /** Frees what the feed holds besides its socket (its MediaSource or decoder). */
  protected abstract release(): void;

  protected connect(url: string): void {
    this.socket = this.gate.open(url, (ws) => {
      ws.binaryType = 'arraybuffer';
      ws.onmessage = (ev: MessageEvent<ArrayBuffer | string>) => this.guard(() => this.onMessage(ev.data));
      ws.onclose = () => this.fail(reason('gateway_closed'));
    });
  }

  /** Closes the socket and frees the rest; no event follows. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket?.close();
    this.release();
  }

  /** Runs a socket or media callback; what it throws ends this feed, with the reason. */
  protected guard(f: () => void): void {
    if (this.closed) return;
    try {
      f();
    } catch (err) {
      this.fail(reason(this.failure, undefined, (err as Error).message));
    }
  }

  /** Ends the feed on its own: closed, and the player told why (it reconnects). */
  protected fail(why: Reason): void {
    if (this.closed) return;
    this.close();
    this.emit({ type: 'closed', reason: why });
  }
}
