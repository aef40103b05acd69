/**
 * ConsoleApi over WebSocket, for web mode (runtime: browser). The same interface as the Electron
 * preload's window.pantau: the renderer never knows which shell it runs in.
 * Results and events are parsed with the contract's schemas; malformed ones are errors, not crashes.
 */
import {
  API_VERSION,
  ApiError,
  ApiErrorShape,
  EventFrame,
  ResponseFrame,
  isEventName,
  parseEvent,
  parseResult,
  type CommandArgs,
  type CommandName,
  type CommandResult,
  type ConsoleApi,
  type EventName,
  type EventPayload,
} from '../../../preload/contract';

interface Pending {
  command: CommandName;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: number;
}

const CALL_TIMEOUT_MS = 10_000;

export class WsConsoleClient implements ConsoleApi {
  readonly apiVersion = API_VERSION;
  private ws: WebSocket | null = null;
  private opened: Promise<WebSocket> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<EventName, Set<(p: unknown) => void>>();
  private readonly connectionListeners = new Set<(up: boolean) => void>();
  private retryMs = 250;

  constructor(private readonly url: string) {}

  onConnection(listener: (up: boolean) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  private connect(): Promise<WebSocket> {
    if (this.opened) return this.opened;
    this.opened = new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      ws.onopen = () => {
        this.ws = ws;
        this.retryMs = 250;
        for (const l of this.connectionListeners) l(true);
        resolve(ws);
      };
      ws.onmessage = (ev: MessageEvent<string>) => this.onMessage(ev.data);
      ws.onclose = () => {
        const wasOpen = this.ws === ws;
        this.ws = null;
        this.opened = null;
        for (const p of this.pending.values()) p.reject(new ApiError('unavailable', 'connection to Pantau main closed'));
        this.pending.clear();
        if (wasOpen) for (const l of this.connectionListeners) l(false);
        else reject(new ApiError('unavailable', 'cannot reach Pantau main'));
        // Keep event subscriptions alive: reconnect with backoff.
        window.setTimeout(() => void this.connect().catch(() => undefined), this.retryMs);
        this.retryMs = Math.min(5_000, this.retryMs * 2);
      };
    });
    return this.opened;
  }

  private onMessage(data: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      return;
    }
    const ev = EventFrame.safeParse(raw);
    if (ev.success && isEventName(ev.data.event)) {
      const payload = parseEvent(ev.data.event, ev.data.payload);
      if (payload !== null) for (const l of this.listeners.get(ev.data.event) ?? []) l(payload);
      return;
    }
    const res = ResponseFrame.safeParse(raw);
    if (!res.success || res.data.id === null) return;
    const p = this.pending.get(res.data.id);
    if (!p) return;
    this.pending.delete(res.data.id);
    window.clearTimeout(p.timer);
    if (res.data.ok) {
      try {
        p.resolve(parseResult(p.command, res.data.result));
      } catch (err) {
        p.reject(err as Error);
      }
    } else {
      p.reject(ApiError.from(ApiErrorShape.parse(res.data.error)));
    }
  }

  async call<K extends CommandName>(command: K, args: CommandArgs<K>): Promise<CommandResult<K>> {
    const ws = await this.connect();
    const id = this.nextId++;
    return new Promise<CommandResult<K>>((resolve, reject) => {
      const timer = window.setTimeout(() => {
        this.pending.delete(id);
        reject(new ApiError('unavailable', `${command} timed out`));
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, { command, resolve: resolve as (v: unknown) => void, reject, timer });
      ws.send(JSON.stringify({ v: API_VERSION, id, command, args }));
    });
  }

  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const l = listener as (p: unknown) => void;
    set.add(l);
    void this.connect().catch(() => undefined);
    return () => set.delete(l);
  }
}
