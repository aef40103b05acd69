/**
 * Cameras that misbehave, for fault-injection tests, all on 127.0.0.1: a real demo farm run as its
 * own process (so it can be killed and restarted), a locked farm, a port nothing listens on, a server
 * that accepts and never answers, and one that answers RTSP with garbage.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

export class FarmProcess {
  private child: ChildProcess | null = null;
  constructor(
    readonly port: number,
    private readonly extra: string[] = [],
  ) {}
  async start(): Promise<void> {
    const child = spawn(process.execPath, ['dist/main/demo/cli.js', '--port', String(this.port), '--cameras', '4', ...this.extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ctrl+C')) resolve();
      });
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', (code) => reject(new Error(`demo farm exited (${code}): ${out}`)));
    });
  }
  async kill(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((r) => {
      c.once('close', () => r());
      c.kill('SIGTERM');
    });
  }
}

/** Accepts TCP connections and never says a word. */
export async function silentServer(): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => socket.on('error', () => undefined));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, server };
}

/** Answers every request with random bytes, like a broken camera or the wrong service on the port. */
export async function garbageServer(): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('data', () => socket.write(randomBytes(2048)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, server };
}
