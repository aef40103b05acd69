/**
 * A loopback HTTP server that carries only /live/<token> stream sockets, /hls/<token>/ replay files
 * and /src/<token>/ proxied playlists (runtime: Node).
 * The Electron shell uses it; the console API there goes over IPC, never over a socket another local
 * process could reach. Only the app's own pages (pantau://app) may use it: a foreign page or host
 * name is refused before any upgrade, and there is no token for other clients.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { checkRequest, loopbackPolicy, newApiToken, refusalResponse, type GuardVerdict } from '../access/request-guard.js';
import type { StreamEndpoint } from './stream-endpoint.js';

/** Lets the page's origin read a response when it is not this server's own (Electron's pantau://app). */
export function allowOrigin(res: ServerResponse, verdict: Extract<GuardVerdict, { ok: true }>, ownOrigin: string): void {
  if (verdict.origin && verdict.origin !== ownOrigin) {
    res.setHeader('Access-Control-Allow-Origin', verdict.origin);
    res.setHeader('Vary', 'Origin');
  }
}

export class StreamServer {
  private readonly http: Server;
  private endpoint: StreamEndpoint | null = null;
  /** Nobody holds it: only the app's pages, by their Origin, get in. */
  private readonly token = newApiToken();

  constructor(private readonly appOrigins: string[]) {
    this.http = createServer((req, res) => {
      const verdict = this.guard(req);
      if (!verdict.ok) return void res.writeHead(verdict.status).end(`${verdict.reason}\n`);
      allowOrigin(res, verdict, this.origin);
      if (!this.endpoint?.handleHttp(req, res)) res.writeHead(404).end();
    });
    this.http.on('upgrade', (req, socket, head) => {
      const verdict = this.guard(req);
      if (!verdict.ok) return void socket.end(refusalResponse(verdict));
      if (!this.endpoint?.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    });
  }

  private guard(req: IncomingMessage): GuardVerdict {
    const a = this.http.address();
    return checkRequest(req.headers, loopbackPolicy(typeof a === 'object' && a ? a.port : 0, this.token, this.appOrigins));
  }

  attach(endpoint: StreamEndpoint): void {
    this.endpoint = endpoint;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(0, '127.0.0.1', () => resolve());
    });
  }

  get origin(): string {
    const a = this.http.address();
    return typeof a === 'object' && a ? `http://127.0.0.1:${a.port}` : 'http://127.0.0.1';
  }

  close(): Promise<void> {
    this.http.closeAllConnections();
    return new Promise((r) => this.http.close(() => r()));
  }
}
