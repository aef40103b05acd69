/**
 * A loopback HTTP server that carries only /live/<token> stream sockets and /hls/<token>/ replay
 * files (runtime: Node).
 * The Electron shell uses it; the console API there goes over IPC, never over a socket another local
 * process could reach.
 */
import { createServer, type Server } from 'node:http';
import type { StreamEndpoint } from './stream-endpoint.js';

export class StreamServer {
  private readonly http: Server;
  private endpoint: StreamEndpoint | null = null;

  constructor() {
    this.http = createServer((req, res) => {
      if (!this.endpoint?.handleHttp(req, res)) res.writeHead(404).end();
    });
    this.http.on('upgrade', (req, socket, head) => {
      if (!this.endpoint?.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    });
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
