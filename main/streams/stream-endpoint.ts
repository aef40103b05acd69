/**
 * Hands out camera streams to renderers (runtime: Node): `open()` answers stream.open with a loopback
 * URL behind a one-use token, never the camera's own URL, and the HTTP and upgrade handlers serve
 * what the tokens name. The parts:
 * - the gateway decides how a camera is watched (its fMP4, the MPEG-1 transcode, or an HLS camera's
 *   playlist) and holds a stream's ingest for a viewer on its way (its head start);
 * - ticket-book.ts: the one-use tickets for stream sockets;
 * - live-sockets.ts: the stream sockets (/live/<token>) and their bind/unbind protocol;
 * - replay-files.ts: instant replay's HLS window (/hls/<token>/);
 * - hls-proxy.ts: HLS cameras' playlists and segments, fetched by main (/src/<token>/).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { StreamQuality } from '../../preload/contract.js';
import type { StreamGateway } from './gateway.js';
import { HlsSourceProxy } from './hls-proxy.js';
import { LiveSockets } from './live-sockets.js';
import { ReplayFiles } from './replay-files.js';
import { TicketBook } from './ticket-book.js';

/** What a tile opens: the kind says which player reads the URL. */
export type StreamKind = 'fmp4' | 'hls' | 'mpeg1';

export class StreamEndpoint {
  private readonly tickets = new TicketBook();
  private readonly live: LiveSockets;
  private readonly replays: ReplayFiles;
  /** Cameras whose source is an HLS playlist: fetched by main, played by hls.js in the renderer. */
  readonly hlsSources: HlsSourceProxy;

  constructor(
    private readonly gateway: StreamGateway,
    private readonly origin: () => string,
    log?: (message: string) => void,
  ) {
    this.live = new LiveSockets(gateway, this.tickets);
    this.replays = new ReplayFiles(gateway, origin);
    this.hlsSources = new HlsSourceProxy(origin, log);
  }

  /**
   * What a tile opens for this camera (the gateway's plan): a stream socket for RTSP cameras, its
   * MPEG-1 transcode with `transcode` (if the budget allows one more), a proxied playlist for HLS
   * cameras. `quality` is the one delivered.
   */
  open(cameraId: string, quality: StreamQuality, transcode = false): { url: string; kind: StreamKind; quality: StreamQuality } {
    const plan = this.gateway.plan(cameraId, quality, transcode);
    if (plan.kind === 'hls') return { url: this.hlsSources.issue(cameraId, plan.url), kind: 'hls', quality: plan.quality };
    return { url: this.issue(cameraId, quality, plan.kind === 'mpeg1'), kind: plan.kind, quality: plan.quality };
  }

  /** A stream socket URL a renderer may open once, within 30 s; a live stream's ingest starts now. */
  issue(cameraId: string, quality: StreamQuality, transcode = false): string {
    const release = transcode ? null : this.gateway.holdFor(cameraId, quality);
    const token = this.tickets.issue({ cameraId, quality, transcode, release });
    return `${this.origin().replace(/^http/, 'ws')}/live/${token}`;
  }

  /** A loopback URL for the rolling HLS window of this camera stream (instant replay). */
  issueReplay(cameraId: string, quality: StreamQuality): string {
    return this.replays.issue(cameraId, quality);
  }

  get subscriberCount(): number {
    return this.live.viewerCount;
  }

  /** Serves /hls/<token>/… and /src/<token>/…; returns false for any other path. */
  handleHttp(req: IncomingMessage, res: ServerResponse): boolean {
    return this.hlsSources.handleHttp(req, res) || this.replays.handleHttp(req, res);
  }

  /** Claims an HTTP upgrade if it is for /live/…; returns false to let other handlers try. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    return this.live.handleUpgrade(req, socket, head);
  }

  close(): void {
    this.tickets.close();
    this.hlsSources.close();
    this.replays.close();
    this.live.close();
  }
}
