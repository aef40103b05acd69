/**
 * The web-mode console in a process of its own, started as the e2e tests start it (startConsoleHost:
 * `node dist/main/web/cli.js …`), for soaks that measure its memory apart from the bench's (runtime:
 * Node). Its V8 heap is read over the inspector protocol (`--inspect` on a loopback port the kernel
 * picks): a full GC, then the heap in use, with nothing of the bench's (Playwright's client, the
 * bench's own objects) in it.
 */
import { startConsoleHost } from '../../e2e/support/console-host';

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

/**
 * `args` as for startConsoleHost (it adds `--demo` unless a catalog is given, and no simulated alerts
 * or backfill unless asked). Results are not checked against their schemas (PANTAU_CHECK_RESULTS),
 * as on a kiosk machine.
 */
export async function startConsoleProcess(args: string[]): Promise<ConsoleProcess> {
  const host = await startConsoleHost(args, { PANTAU_CHECK_RESULTS: '0' }, ['--inspect=127.0.0.1:0']);
  // Node prints the inspector's address on stderr before the console starts.
  const inspectorUrl = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/.exec(host.log())?.[1];
  if (!inspectorUrl) {
    await host.stop();
    throw new Error(`the console did not say where its inspector listens:\n${host.log()}`);
  }
  const inspector = await Inspector.open(inspectorUrl);
  return {
    url: host.url,
    pid: host.pid,
    heapAfterGcMiB: async () => {
      await inspector.call('HeapProfiler.collectGarbage');
      const { usedSize } = await inspector.call<{ usedSize: number }>('Runtime.getHeapUsage');
      return +(usedSize / 2 ** 20).toFixed(2);
    },
    stop: async () => {
      inspector.close();
      await host.stop();
    },
  };
}
