/**
 * The web shell's HTTP server (runtime: Node), bound to 127.0.0.1; and, with `remote`, a second
 * listener for remote operator desks on the room's network, HTTPS and WSS only, where every request
 * but the sign-in page needs a desk token (see access/desks.ts).
 *
 *   GET  /, /wall/N, /kiosk…  the built renderer (SPA), with a strict CSP
 *   GET  /api/health          JSON health: version, catalog size, sessions, ffmpeg processes, errors
 *   WS   /api/ws              the console API (see api-socket.ts)
 *   WS   /live/<token>        gateway streams (see streams/stream-endpoint.ts)
 *   GET/POST /desk             (desk listener only) the desk sign-in page: a token in, a cookie out
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { CSP, signInCsp } from '../access/csp.js';
import {
  checkDeskOrigin,
  checkDeskRequest,
  checkHost,
  checkRequest,
  DESK_COOKIE,
  loopbackPolicy,
  refusalResponse,
  type DeskPolicy,
  type GuardPolicy,
  type GuardVerdict,
} from '../access/request-guard.js';
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

export interface WebServerOptions {
  console: Console;
  rendererDir: string;
  port: number;
  /** The API token that clients which are not browsers present (see access/request-guard.ts). */
  apiToken: string;
  /** A listener for remote desks: HTTPS on this address (see listen.ts, which checks it). */
  remote?: RemoteListen;
}

export interface RemoteListen {
  host: string;
  port: number;
  tls: { cert: Buffer; key: Buffer };
}

/** Who a request is: the local machine (loopback listener), or a desk (desk listener, token checked). */
type Caller = { side: 'local'; verdict: Extract<GuardVerdict, { ok: true }> } | { side: 'desk'; desk: string; origin: string };

const MAX_SIGN_IN_BYTES = 1024;

/**
 * Paths that carry data: the API, streams, replay files and proxied playlists. Everything else is the
 * renderer's own files (the app shell and its assets), which hold nothing a foreign page may not see:
 * those need only the right Host, so a person can open the console from the address bar or a link.
 */
const DATA_PATH = /^\/(?:api|live|hls|src)(?:\/|$)/;

export class WebServer {
  readonly http: Server;
  /** The desk listener (HTTPS), when remote desks are served. */
  readonly remote: TlsServer | null = null;
  private readonly api: ApiSocket;
  /**
   * Upgraded sockets are no longer the HTTP server's to close: closing the server destroys them. Each
   * with the desk it serves (null: the local machine), so a revoked desk's sockets can be closed.
   */
  private readonly upgraded = new Map<Duplex, string | null>();
  private readonly unwatch: () => void = () => undefined;

  constructor(private readonly options: WebServerOptions) {
    this.api = new ApiSocket(options.console);
    this.http = createServer((req, res) => this.onRequest(req, res, 'local'));
    this.http.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head, 'local'));
    if (options.remote) {
      this.remote = createTlsServer({ ...options.remote.tls, minVersion: 'TLSv1.2' }, (req, res) => this.onRequest(req, res, 'desk'));
      this.remote.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head, 'desk'));
      // A revoked desk is out now: its sockets (API and streams) close; its next request gets 401.
      this.unwatch = options.console.desks.onRevoked((name) => {
        for (const [socket, desk] of this.upgraded) if (desk === name) socket.destroy();
      });
    }
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, side: 'local' | 'desk'): void {
    const caller = this.admit(req, side);
    this.upgraded.set(socket, caller.ok && caller.caller.side === 'desk' ? caller.caller.desk : null);
    socket.once('close', () => this.upgraded.delete(socket));
    if (!caller.ok) {
      socket.end(refusalResponse(caller));
      return;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/api/ws') {
      const c = caller.caller;
      this.api.handleUpgrade(req, socket, head, 'operator', c.side === 'desk' ? { desk: c.desk, origin: c.origin } : undefined);
      return;
    }
    if (this.options.console.endpoint.handleUpgrade(req, socket, head)) return;
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  }

  /** Both listeners, the desk one first (if any): resolves to the loopback URL. */
  async listen(): Promise<string> {
    const r = this.options.remote;
    if (r && this.remote) {
      const remote = this.remote;
      await new Promise<void>((resolveListen, reject) => {
        remote.once('error', reject);
        remote.listen(r.port, r.host, () => resolveListen());
      });
    }
    return new Promise((resolveUrl, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port, '127.0.0.1', () => resolveUrl(this.origin));
    });
  }

  /** The desk listener's URL (https://host:port), once it listens; null without one. */
  get remoteUrl(): string | null {
    const a = this.remote?.address();
    if (!this.options.remote || !a || typeof a !== 'object') return null;
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return `https://${host}:${a.port}`;
  }

  private get deskPolicy(): DeskPolicy {
    const a = this.remote?.address();
    const port = typeof a === 'object' && a ? a.port : (this.options.remote?.port ?? 0);
    const host = this.options.remote?.host ?? '';
    const any = host === '0.0.0.0' || host === '::';
    const name = host.includes(':') ? `[${host}]` : host;
    return { hosts: any ? null : new Set([`${name.toLowerCase()}:${port}`]), verify: (t) => this.options.console.desks.verify(t) };
  }

  /** Who this request is, by its listener's rules; the renderer's own files need only the Host (loopback) or a desk. */
  private admit(req: IncomingMessage, side: 'local' | 'desk', path?: string): { ok: true; caller: Caller } | Extract<GuardVerdict, { ok: false }> {
    if (side === 'desk') {
      const v = checkDeskRequest(req.headers, this.deskPolicy);
      return v.ok ? { ok: true, caller: { side: 'desk', desk: v.desk, origin: v.origin } } : v;
    }
    const v = path !== undefined && !DATA_PATH.test(path) ? checkHost(req.headers, this.policy) : checkRequest(req.headers, this.policy);
    return v.ok ? { ok: true, caller: { side: 'local', verdict: v } } : v;
  }

  /** Host, Origin and token rules for this server, once it listens (its port is then known). */
  private get policy(): GuardPolicy {
    const a = this.http.address();
    return loopbackPolicy(typeof a === 'object' && a ? a.port : this.options.port, this.options.apiToken);
  }

  get origin(): string {
    const a = this.http.address();
    return typeof a === 'object' && a ? `http://127.0.0.1:${a.port}` : 'http://127.0.0.1';
  }

  private onRequest(req: IncomingMessage, res: ServerResponse, side: 'local' | 'desk'): void {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (side === 'desk') {
      res.setHeader('Strict-Transport-Security', 'max-age=31536000');
      if (url.pathname === '/desk') return this.signIn(req, res);
    }
    const caller = this.admit(req, side, url.pathname);
    if (!caller.ok) {
      if (side === 'desk' && caller.status === 401 && req.method === 'GET' && !DATA_PATH.test(url.pathname)) {
        // A person at a desk that has not signed in (or was revoked) is shown the way in.
        res.writeHead(303, { Location: '/desk' }).end();
        return;
      }
      res.writeHead(caller.status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${caller.reason}\n`);
      return;
    }
    if (caller.caller.side === 'local') allowOrigin(res, caller.caller.verdict, this.origin);
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

  /**
   * The desk sign-in page. GET: a form for the desk's token. POST: the token, checked; a valid one is
   * kept by the desk's browser as an HttpOnly, Secure, SameSite=Strict cookie, and the desk goes to the
   * console. The form's text is in Bahasa Indonesia first, English second, like the console's.
   */
  private signIn(req: IncomingMessage, res: ServerResponse): void {
    const site = checkDeskOrigin(req.headers, this.deskPolicy);
    if (!site.ok) {
      res.writeHead(site.status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${site.reason}\n`);
      return;
    }
    // no-referrer would make the form's POST say `Origin: null`; same-origin lets it name the console.
    res.setHeader('Referrer-Policy', 'same-origin');
    const page = (status: number, problem: string | null) =>
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': SIGN_IN_CSP }).end(signInPage(problem));
    if (req.method === 'GET' || req.method === 'HEAD') return void page(200, null);
    if (req.method !== 'POST') return void res.writeHead(405, { Allow: 'GET, HEAD, POST' }).end();
    let body = '';
    let tooBig = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_SIGN_IN_BYTES && !tooBig) {
        tooBig = true;
        res.writeHead(413, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end('sign-in form too large\n');
        req.destroy();
      }
    });
    req.on('end', () => {
      if (tooBig) return;
      const token = new URLSearchParams(body).get('token')?.trim() ?? null;
      const desk = this.options.console.desks.verify(token);
      if (!desk) return void page(401, 'Token tidak berlaku (dicabut, atau tidak dibuat di sini). / This token is not valid (revoked, or not made here).');
      res.writeHead(303, {
        Location: '/',
        'Set-Cookie': `${DESK_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Strict`,
        'Cache-Control': 'no-store',
      });
      res.end();
    });
  }

  async close(): Promise<void> {
    this.unwatch();
    this.api.close();
    for (const server of [this.http, this.remote]) server?.closeAllConnections();
    for (const socket of this.upgraded.keys()) socket.destroy();
    const closing = [this.http, this.remote].flatMap((server) => (server?.listening ? [new Promise<void>((r) => server.close(() => r()))] : []));
    await Promise.all(closing);
  }
}

const SIGN_IN_STYLE =
  'body{font:16px system-ui,sans-serif;background:#0f172a;color:#e2e8f0;display:grid;place-items:center;min-height:100vh;margin:0}form{display:grid;gap:.75rem;width:min(32rem,90vw)}input,button{font:inherit;padding:.5rem}p.e{color:#fca5a5}';
const SIGN_IN_CSP = signInCsp(SIGN_IN_STYLE);

/** The sign-in form (no script: its CSP allows none). `problem` is plain text, escaped here. */
function signInPage(problem: string | null): string {
  const escaped = problem?.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`) ?? '';
  return `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Pantau: masuk meja / desk sign-in</title>
<style>${SIGN_IN_STYLE}</style></head>
<body><form method="post" action="/desk">
<h1>Pantau</h1>
<label for="token">Token meja dari supervisor / Desk token from your supervisor</label>
<input id="token" name="token" type="password" autocomplete="off" required maxlength="200">
${escaped ? `<p class="e" role="alert">${escaped}</p>` : ''}
<button type="submit">Masuk / Sign in</button>
</form></body></html>
`;
}
