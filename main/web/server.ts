/**
 * The web shell's HTTP server (runtime: Node), bound to 127.0.0.1 only.
 *
 *   GET  /, /wall/N, /kiosk…  the built renderer (SPA), with a strict CSP
 *   GET  /api/health          JSON health: version, catalog size, sessions, ffmpeg processes, errors
 *   WS   /api/ws              the console API (see api-socket.ts)
 *   WS   /live/<token>        gateway streams (see streams/stream-endpoint.ts)
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { checkHost, checkRequest, loopbackPolicy, refusalResponse, type GuardPolicy, type GuardVerdict } from '../access/request-guard.js';
import type { Console } from '../console.js';
import { allowOrigin } from '../streams/stream-server.js';
import { ApiSocket } from './api-socket.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self' ws://127.0.0.1:* http://127.0.0.1:*",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

export interface WebServerOptions {
  console: Console;
  rendererDir: string;
  port: number;
  /** The API token that clients which are not browsers present (see access/request-guard.ts). */
  apiToken: string;
}

/**
 * Paths that carry data: the API, streams, replay files and proxied playlists. Everything else is the
 * renderer's own files (the app shell and its assets), which hold nothing a foreign page may not see:
 * those need only the right Host, so a person can open the console from the address bar or a link.
 */
const DATA_PATH = /^\/(?:api|live|hls|src)(?:\/|$)/;

export class WebServer {
  readonly http: Server;
  private readonly api: ApiSocket;
  /** Upgraded sockets are no longer the HTTP server's to close: closing the server destroys them. */
  private readonly upgraded = new Set<import('node:stream').Duplex>();

  constructor(private readonly options: WebServerOptions) {
    this.api = new ApiSocket(options.console);
    this.http = createServer((req, res) => this.onRequest(req, res));
    this.http.on('upgrade', (req, socket, head) => {
      this.upgraded.add(socket);
      socket.once('close', () => this.upgraded.delete(socket));
      const verdict = this.guard(req);
      if (!verdict.ok) {
        socket.end(refusalResponse(verdict));
        return;
      }
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/api/ws') {
        this.api.handleUpgrade(req, socket, head, 'operator');
        return;
      }
      if (options.console.endpoint.handleUpgrade(req, socket, head)) return;
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    });
  }

  listen(): Promise<string> {
    return new Promise((resolveUrl, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port, '127.0.0.1', () => resolveUrl(this.origin));
    });
  }

  /** Host, Origin and token rules for this server, once it listens (its port is then known). */
  private get policy(): GuardPolicy {
    const a = this.http.address();
    return loopbackPolicy(typeof a === 'object' && a ? a.port : this.options.port, this.options.apiToken);
  }

  private guard(req: IncomingMessage, path?: string): GuardVerdict {
    return path !== undefined && !DATA_PATH.test(path) ? checkHost(req.headers, this.policy) : checkRequest(req.headers, this.policy);
  }

  get origin(): string {
    const a = this.http.address();
    return typeof a === 'object' && a ? `http://127.0.0.1:${a.port}` : 'http://127.0.0.1';
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const verdict = this.guard(req, url.pathname);
    if (!verdict.ok) {
      res.writeHead(verdict.status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${verdict.reason}\n`);
      return;
    }
    allowOrigin(res, verdict, this.origin);
    if (this.options.console.endpoint.handleHttp(req, res)) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/api/health') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(this.options.console.health()));
      return;
    }
    this.serveStatic(url.pathname, res);
  }

  private serveStatic(pathname: string, res: ServerResponse): void {
    const root = resolve(this.options.rendererDir);
    let file = normalize(join(root, decodeURIComponent(pathname)));
    if (!file.startsWith(root + sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    // Client-side routes (/wall/2, /kiosk) get the app shell.
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(503, { 'Content-Type': 'text/plain' }).end('renderer not built: run npm run build');
      return;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'Content-Type': type, 'Cache-Control': 'no-cache' };
    if (type.startsWith('text/html')) headers['Content-Security-Policy'] = CSP;
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  }

  async close(): Promise<void> {
    this.api.close();
    this.http.closeAllConnections();
    for (const socket of this.upgraded) socket.destroy();
    await new Promise<void>((r) => this.http.close(() => r()));
  }
}
