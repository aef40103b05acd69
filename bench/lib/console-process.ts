/**
 * The web-mode console in a process of its own, as a user starts it (`node dist/main/web/cli.js …`),
 * for soaks that measure its memory apart from the bench's (runtime: Node). Its V8 heap is read over
 * the inspector protocol (`--inspect` on a loopback port the kernel picks): a full GC, then the heap
 * in use, with nothing of the bench's (Playwright's client, the bench's own objects) in it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ConsoleProcess {
  url: string;
  pid: number;
  /** The console's JS heap in use after a full GC, MiB. */
  heapAfterGcMiB(): Promise<number>;
  stop(): Promise<void>;
}

/** A minimal Chrome DevTools Protocol client over Node's WebSocket (Node 22+). */
class Inspector {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private constructor(private readonly ws: WebSocket) {
    ws.addEventListener('message', (e) => {
      const msg = JSON.parse(String(e.data)) as { id?: number; result?: unknown; error?: { message: string } };
      const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id!);
      if (msg.error) p.reject(new Error(`inspector: ${msg.error.message}`));
      else p.resolve(msg.result);
    });
  }
  static open(url: string): Promise<Inspector> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.addEventListener('open', () => resolve(new Inspector(ws)), { once: true });
      ws.addEventListener('error', () => reject(new Error(`inspector: could not connect to ${url}`)), { once: true });
    });
  }
  call<T>(method: string, params: object = {}): Promise<T> {
    const id = this.next++;
    this.ws.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
  }
  close(): void {
    this.ws.close();
  }
}

export async function startConsoleProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ConsoleProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--inspect=127.0.0.1:0', 'dist/main/web/cli.js', '--port', '0', ...args], {
    env: { ...process.env, PANTAU_DATA_DIR: mkdtempSync(join(tmpdir(), 'pantau-bench-console-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const started = new Promise<{ url: string; inspector: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`console did not start within 120 s:\n${out}\n${err}`)), 120_000);
    const check = () => {
      const url = /Pantau (?:web console|kiosk): (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1];
      const inspector = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/.exec(err)?.[1];
      if (url && inspector) {
        clearTimeout(timer);
        resolve({ url, inspector });
      }
    };
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      check();
    });
    child.stderr!.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-64 * 1024);
      check();
    });
    child.on('close', (code) => reject(new Error(`console exited (${code}):\n${out}\n${err}`)));
  });
  const { url, inspector: inspectorUrl } = await started;
  const inspector = await Inspector.open(inspectorUrl);
  return {
    url,
    pid: child.pid!,
    heapAfterGcMiB: async () => {
      await inspector.call('HeapProfiler.collectGarbage');
      const { usedSize } = await inspector.call<{ usedSize: number }>('Runtime.getHeapUsage');
      return +(usedSize / 2 ** 20).toFixed(2);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        inspector.close();
        if (child.exitCode !== null) return resolve();
        const hard = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('close', () => {
          clearTimeout(hard);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
