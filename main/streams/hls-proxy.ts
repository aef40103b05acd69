/**
 * Cameras whose source is an http(s)://….m3u8 playlist (runtime: Node): main fetches the playlist and
 * its segments for the renderer, which plays them with hls.js from a loopback URL behind a token.
 *
 * Why a proxy and not the camera's URL in the page: the renderer never sees credentials (they go
 * upstream as an Authorization header, never into a playlist), and it can only reach what main lets
 * it. Every URI in a playlist is resolved against the camera's URL and must stay on the camera's own
 * origin (a hostile playlist can't make Pantau fetch from elsewhere on the network); it is replaced by
 * `r<n>`, a number in the ticket's table, so no path the renderer asks for is built from its input.
 * Fetched bodies are shared for a moment between every tile showing the camera: ten tiles on one
 * camera cost one upstream request per segment, as one ingest per camera stream does for RTSP.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { redactUrl } from './source-url.js';
import type { ReasonCode } from '../../preload/contract.js';

const TOKEN_IDLE_MS = 30_000;
const PATH = /^\/src\/([0-9a-f]{48})\/(index\.m3u8|r(\d{1,9}))$/;
const MAX_PLAYLIST_BYTES = 1024 * 1024;
const MAX_SEGMENT_BYTES = 32 * 1024 * 1024;
const UPSTREAM_TIMEOUT_MS = 10_000;
/** URIs remembered per ticket (a live playlist adds a few per second; older ones are long gone). */
const MAX_REFS = 512;
/** A playlist is shared for this long (hls.js reloads it about once per target duration). */
const PLAYLIST_TTL_MS = 500;
const SEGMENT_TTL_MS = 30_000;
const MAX_CACHED = 64;
const SEGMENT_TYPES = ['video/mp2t', 'video/mp4', 'video/iso.segment', 'audio/mp4', 'audio/aac', 'application/octet-stream'];
const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';

/** What is wrong with an HLS camera: a reason code for the operator, and the words for the log. */
export class HlsSourceError extends Error {
  constructor(
    readonly code: Extract<ReasonCode, `hls_${string}`>,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Rewrites a playlist's URIs (media lines and URI="…" attributes) with `ref`, after resolving each
 * against `base` and checking it with `allow`. Throws HlsSourceError naming what is wrong.
 */
export function rewritePlaylist(text: string, base: URL, allow: (u: URL) => boolean, ref: (u: URL) => string): string {
  if (!text.startsWith('#EXTM3U') && !text.startsWith('\ufeff#EXTM3U')) throw new HlsSourceError('hls_not_playlist', 'the source is not an HLS playlist (no #EXTM3U)');
  const resolve = (raw: string): string => {
    let u: URL;
    try {
      u = new URL(raw, base);
    } catch {
      throw new HlsSourceError('hls_failed', `the playlist has an invalid URI: ${JSON.stringify(raw.slice(0, 80))}`);
    }
    if (!allow(u)) throw new HlsSourceError('hls_foreign_uri', `the playlist points outside the camera's host: ${redactUrl(u.toString())}`);
    return ref(u);
  };
  return text
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)
    .map((line) => {
      const t = line.trim();
      if (!t) return '';
      if (t.startsWith('#')) return t.replace(/URI="([^"]*)"/g, (_m, uri: string) => `URI="${resolve(uri)}"`);
      return resolve(t);
    })
    .join('\n');
}

interface Ticket {
  cameraId: string;
  /** The camera's playlist URL without credentials; they are in `auth`. */
  source: URL;
  auth: string | null;
  refs: Map<number, URL>;
  /** The same table the other way round (URI → number), so a playlist's URIs are looked up, not scanned. */
  refOf: Map<string, number>;
  nextRef: number;
  lastUsed: number;
}

interface Cached {
  at: number;
  ttl: number;
  body: Promise<{ type: string; data: Buffer }>;
}

export class HlsSourceProxy {
  private readonly tickets = new Map<string, Ticket>();
  private readonly cache = new Map<string, Cached>();
  upstreamRequests = 0;

  constructor(
    private readonly origin: () => string,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** A loopback playlist URL for this camera's HLS source (already checked by checkSourceUrl). */
  issue(cameraId: string, sourceUrl: string): string {
    const now = Date.now();
    for (const [t, ticket] of this.tickets) if (now - ticket.lastUsed > TOKEN_IDLE_MS) this.tickets.delete(t);
    const source = new URL(sourceUrl);
    const auth = source.username || source.password ? `Basic ${Buffer.from(`${decodeURIComponent(source.username)}:${decodeURIComponent(source.password)}`).toString('base64')}` : null;
    source.username = '';
    source.password = '';
    const token = randomBytes(24).toString('hex');
    this.tickets.set(token, { cameraId, source, auth, refs: new Map(), refOf: new Map(), nextRef: 1, lastUsed: now });
    return `${this.origin()}/src/${token}/index.m3u8`;
  }

  get openTickets(): number {
    return this.tickets.size;
  }

  /** Serves /src/<token>/…; returns false for any other path. */
  handleHttp(req: IncomingMessage, res: ServerResponse): boolean {
    const match = PATH.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!match) return false;
    // The server in front has checked Host and Origin, and lets Electron's pantau://app read (no wildcard).
    const ticket = this.tickets.get(match[1]!);
    if (!ticket || req.method !== 'GET') {
      res.writeHead(ticket ? 405 : 403).end();
      return true;
    }
    ticket.lastUsed = Date.now();
    const target = match[3] === undefined ? ticket.source : ticket.refs.get(Number(match[3]));
    if (!target) {
      res.writeHead(404).end();
      return true;
    }
    void this.serve(ticket, target, res);
    return true;
  }

  private async serve(ticket: Ticket, target: URL, res: ServerResponse): Promise<void> {
    const playlist = /\.m3u8?$/i.test(target.pathname);
    try {
      const { type, data } = await this.fetchShared(ticket, target, playlist);
      if (playlist || type === PLAYLIST_TYPE) {
        // Refs are relative: /src/<token>/index.m3u8 and /src/<token>/r<n> resolve them alike.
        const sameOrigin = (u: URL) => u.origin === ticket.source.origin && (u.protocol === 'http:' || u.protocol === 'https:');
        const text = rewritePlaylist(data.toString('utf8'), target, sameOrigin, (u) => this.refFor(ticket, u));
        res.writeHead(200, { 'Content-Type': PLAYLIST_TYPE, 'Cache-Control': 'no-cache' });
        res.end(text);
      } else {
        res.writeHead(200, { 'Content-Type': SEGMENT_TYPES.includes(type) ? type : 'application/octet-stream', 'Cache-Control': 'no-cache' });
        res.end(data);
      }
    } catch (err) {
      const why = (err as Error).message;
      this.log(`camera ${ticket.cameraId}: HLS source ${redactUrl(target.toString())}: ${why}`);
      const code = err instanceof HlsSourceError ? err.code : 'hls_failed';
      // The status line, which hls.js reports, starts with the reason code the tile translates.
      if (!res.headersSent) res.writeHead(502, `${code}: ${why}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 150), { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(why);
    }
  }

  /** The ticket's number for an upstream URI: the same URI keeps its number, so hls.js sees stable URLs. */
  private refFor(ticket: Ticket, u: URL): string {
    const key = u.toString();
    const known = ticket.refOf.get(key);
    if (known !== undefined) return `r${known}`;
    const n = ticket.nextRef++;
    ticket.refs.set(n, u);
    ticket.refOf.set(key, n);
    if (ticket.refs.size > MAX_REFS) {
      const [oldest, url] = ticket.refs.entries().next().value!;
      ticket.refs.delete(oldest);
      ticket.refOf.delete(url.toString());
    }
    return `r${n}`;
  }

  private fetchShared(ticket: Ticket, target: URL, playlist: boolean): Promise<{ type: string; data: Buffer }> {
    const key = `${ticket.auth ?? ''} ${target.toString()}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < hit.ttl) return hit.body;
    const body = this.fetchUpstream(ticket, target, playlist ? MAX_PLAYLIST_BYTES : MAX_SEGMENT_BYTES);
    this.cache.set(key, { at: now, ttl: playlist ? PLAYLIST_TTL_MS : SEGMENT_TTL_MS, body });
    body.catch(() => this.cache.delete(key));
    for (const [k, c] of this.cache) if (this.cache.size > MAX_CACHED || now - c.at > c.ttl) this.cache.delete(k);
    return body;
  }

  private async fetchUpstream(ticket: Ticket, target: URL, maxBytes: number): Promise<{ type: string; data: Buffer }> {
    this.upstreamRequests++;
    let res: Response;
    try {
      res = await fetch(target, {
        headers: ticket.auth ? { Authorization: ticket.auth } : {},
        redirect: 'error', // a redirect could leave the camera's host
        signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new HlsSourceError('hls_unreachable', (err as Error).name === 'TimeoutError' ? `no answer within ${UPSTREAM_TIMEOUT_MS / 1000} s` : `cannot reach the camera${cause ? ` (${cause})` : ''}`);
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new HlsSourceError('hls_auth_failed', `the camera refused the user name or password (HTTP ${res.status})`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new HlsSourceError('hls_failed', `the camera answered HTTP ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > maxBytes) {
      await res.body?.cancel();
      throw new HlsSourceError('hls_failed', `the camera sent ${declared} bytes, more than the ${maxBytes} allowed`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const reader = (res.body as ReadableStream<Uint8Array> | null)?.getReader();
    for (;;) {
      const part = await reader?.read();
      if (!part || part.done) break;
      size += part.value.length;
      if (size > maxBytes) {
        await reader!.cancel();
        throw new HlsSourceError('hls_failed', `the camera sent more than the ${maxBytes} bytes allowed`);
      }
      chunks.push(Buffer.from(part.value));
    }
    return { type: (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase(), data: Buffer.concat(chunks) };
  }

  close(): void {
    this.tickets.clear();
    this.cache.clear();
  }
}
