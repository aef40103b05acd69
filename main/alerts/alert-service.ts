/**
 * The alert client in main (runtime: Node). Drives one AlertSource with backoff, validates every
 * alert with zod at the border, drops duplicates, persists the cursor together with the alerts it
 * covers, queues acknowledgements while the backend is down, and reports the backend's state.
 *
 * No loss, no duplicates: the cursor and the alerts it covers are written in one file, so after a
 * restart the source resumes right after the last alert the console kept; within a run, alert ids
 * seen recently are remembered, so a replay that overlaps (a backend that resends) shows nothing twice.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { Alert, AlertView, describeZodError, type AgencyId, type AlertAck, type BackendState } from '../../preload/contract.js';
import { JsonStore, type StoreBackend } from '../store/json-store.js';
import type { AlertSource, Delivery } from './source.js';

/** Alerts kept in memory (and offered to the panel); the oldest go first. */
export const KEEP_ALERTS = 1000;
/** Alerts written to disk with the cursor. */
export const PERSIST_ALERTS = 300;
/** Alert ids remembered for duplicate detection. */
const RECENT_IDS = 20_000;
export const BACKOFF = { firstMs: 500, capMs: 15_000 } as const;
/** Changed alerts are sent to windows in batches at most this often. */
export const BATCH_MS = 50;

const QueuedAck = z.object({ id: z.string(), by: z.string(), note: z.string(), at: z.number(), agency: z.string().optional() });
type QueuedAck = z.infer<typeof QueuedAck>;
const Saved = z.object({
  source: z.string(),
  cursor: z.string().nullable(),
  alerts: z.array(AlertView),
  acks: z.array(QueuedAck),
});
type Saved = z.infer<typeof Saved>;

export interface CameraInfo {
  number: number;
  name: string;
  kecamatanCode: string;
  kecamatanName: string;
  kelurahanCode?: string;
  lat?: number | null;
  lon?: number | null;
}

export interface AlertServiceOptions {
  source: AlertSource | null;
  dataDir: string;
  camera: (id: string) => CameraInfo | undefined;
  onChanged: (alerts: AlertView[]) => void;
  onBackend: (state: BackendState) => void;
  log?: (message: string) => void;
  now?: () => number;
  random?: () => number;
  persistMs?: number;
  /** Where the alerts file is kept (conf by default; electron-store in the desktop app). */
  storeBackend?: StoreBackend;
  /** The agency an alert goes to (routing rules); absent: none. */
  route?: (alert: Alert, camera: CameraInfo) => AgencyId | null;
  /** How long an alert may wait for an acknowledgement before it escalates; absent: never. */
  escalateAfterMs?: () => number;
  /** How often escalation is checked (default 5 s). */
  escalateCheckMs?: number;
}

export class AlertService {
  private readonly alerts = new Map<string, AlertView>();
  private readonly recent = new Set<string>();
  private readonly recentOrder: string[] = [];
  private cursor: string | null;
  private acks: QueuedAck[];
  private readonly store: JsonStore<Saved>;
  private readonly abort = new AbortController();
  private backend: BackendState;
  private failures = 0;
  private batch = new Map<string, AlertView>();
  private batchTimer: NodeJS.Timeout | null = null;
  private persistTimer: NodeJS.Timeout | null = null;
  private flushing = false;
  private loop: Promise<void> | null = null;
  private readonly listeners = new Set<(a: AlertView) => void>();
  private readonly now: () => number;

  constructor(private readonly o: AlertServiceOptions) {
    this.now = o.now ?? Date.now;
    const source = o.source?.description ?? 'none';
    this.store = new JsonStore(o.dataDir, 'alerts', Saved, { source, cursor: null, alerts: [], acks: [] }, o.storeBackend);
    for (const p of this.store.problems) this.log(`${p.file} was unreadable (${p.message}); moved to ${p.movedTo}`);
    // A cursor belongs to the backend that issued it: a console pointed elsewhere starts afresh.
    const sameSource = this.store.get('source') === source;
    this.cursor = sameSource ? this.store.get('cursor') : null;
    this.acks = sameSource ? this.store.get('acks') : [];
    for (const a of sameSource ? this.store.get('alerts') : []) {
      this.alerts.set(a.id, a);
      this.remember(a.id);
    }
    this.backend = {
      state: o.source ? 'connecting' : 'off',
      since: this.now(),
      source,
      kind: o.source?.kind ?? 'none',
      lastError: null,
      received: 0,
      invalid: 0,
      duplicates: 0,
      acksQueued: this.acks.length,
    };
  }

  private escalateTimer: NodeJS.Timeout | null = null;

  start(): void {
    if (this.o.source && !this.loop) this.loop = this.run(this.o.source);
    if (this.o.escalateAfterMs && !this.escalateTimer) {
      this.escalateTimer = setInterval(() => this.escalate(), this.o.escalateCheckMs ?? 5_000);
      this.escalateTimer.unref();
    }
  }

  /**
   * Marks alerts nobody acknowledged within the escalation time (counted from when this console
   * received them) as escalated, and announces them. Returns how many escalated now.
   */
  escalate(): number {
    const after = this.o.escalateAfterMs?.();
    if (after === undefined) return 0;
    const now = this.now();
    let n = 0;
    for (const a of this.alerts.values()) {
      if (a.ack || a.escalatedAt || now - a.receivedAt < after) continue;
      const view = { ...a, escalatedAt: now };
      this.alerts.set(a.id, view);
      this.announce(view);
      n++;
    }
    if (n) this.schedulePersist();
    return n;
  }

  get state(): BackendState {
    return { ...this.backend, acksQueued: this.acks.length };
  }
  get currentCursor(): string | null {
    return this.cursor;
  }
  /** Newest first. */
  list(limit = KEEP_ALERTS): AlertView[] {
    return [...this.alerts.values()].reverse().slice(0, limit);
  }
  get(id: string): AlertView | undefined {
    return this.alerts.get(id);
  }
  /** Called for every new valid alert, after it is stored. */
  onAlert(listener: (a: AlertView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private log(message: string): void {
    this.o.log?.(message);
  }

  private setBackend(patch: Partial<BackendState>): void {
    const next = { ...this.backend, ...patch };
    if (next.state !== this.backend.state) next.since = this.now();
    const changed = next.state !== this.backend.state || next.lastError !== this.backend.lastError;
    this.backend = next;
    if (changed) this.o.onBackend(this.state);
  }

  private async run(source: AlertSource): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        await source.run(
          this.cursor,
          (d) => this.deliver(d),
          () => this.connected(),
          signal,
        );
      } catch (err) {
        if (signal.aborted) break;
        this.failures++;
        const message = (err as Error).message.slice(0, 300);
        if (this.backend.state !== 'unreachable' || this.backend.lastError !== message) this.log(`alert backend: ${message}`);
        this.setBackend({ state: 'unreachable', lastError: message });
      }
      if (signal.aborted) break;
      const base = Math.min(BACKOFF.capMs, BACKOFF.firstMs * 2 ** Math.max(0, this.failures - 1));
      const wait = Math.round(base * (0.8 + 0.4 * (this.o.random ?? Math.random)()));
      await delay(wait, undefined, { signal }).catch(() => undefined); // aborted: the loop ends
    }
  }

  private connected(): void {
    this.failures = 0;
    if (this.backend.state !== 'connected') this.setBackend({ state: 'connected', lastError: null });
    void this.flushAcks();
  }

  private remember(id: string): void {
    this.recent.add(id);
    this.recentOrder.push(id);
    if (this.recentOrder.length > RECENT_IDS) this.recent.delete(this.recentOrder.shift()!);
  }

  /** One delivery from the source: validate, de-duplicate, store, announce. Synchronous. */
  deliver(d: Delivery): void {
    if (d.cursor !== null) this.cursor = d.cursor;
    if (d.kind === 'cursor') return this.schedulePersist();
    if (d.kind === 'invalid') return this.rejected(d.error);
    const parsed = Alert.safeParse(d.raw);
    if (!parsed.success) {
      const rawId = (d.raw as { id?: unknown } | null)?.id;
      const id = typeof rawId === 'string' ? ` ${rawId.slice(0, 60)}` : '';
      return this.rejected(`alert${id} is invalid: ${describeZodError(parsed.error)}`);
    }
    const alert = parsed.data;
    const cam = this.o.camera(alert.cameraId);
    if (!cam) return this.rejected(`alert ${alert.id} is for camera ${alert.cameraId}, which is not in the catalog`);
    if (this.recent.has(alert.id)) {
      this.backend.duplicates++;
      return this.schedulePersist();
    }
    this.remember(alert.id);
    const view: AlertView = {
      ...alert,
      receivedAt: this.now(),
      cameraNumber: cam.number,
      cameraName: cam.name,
      kecamatanCode: cam.kecamatanCode,
      kecamatanName: cam.kecamatanName,
      ...(cam.kelurahanCode ? { kelurahanCode: cam.kelurahanCode } : {}),
      ...(typeof cam.lat === 'number' && typeof cam.lon === 'number' ? { lat: cam.lat, lon: cam.lon } : {}),
      agency: this.o.route?.(alert, cam) ?? null,
      escalatedAt: null,
      ack: null,
    };
    this.backend.received++;
    this.alerts.set(view.id, view);
    if (this.alerts.size > KEEP_ALERTS) this.alerts.delete(this.alerts.keys().next().value!);
    this.announce(view);
    for (const l of this.listeners) l(view);
    this.schedulePersist();
  }

  private rejected(why: string): void {
    this.backend.invalid++;
    // Logged, counted, never drawn. A flood of bad alerts logs the first ones and then every 100th.
    if (this.backend.invalid <= 20 || this.backend.invalid % 100 === 0) this.log(`rejected (${this.backend.invalid} so far): ${why}`);
    this.schedulePersist();
  }

  private announce(view: AlertView): void {
    this.batch.set(view.id, view);
    this.batchTimer ??= setTimeout(() => {
      this.batchTimer = null;
      const out = [...this.batch.values()];
      this.batch.clear();
      this.o.onChanged(out);
    }, BATCH_MS);
  }

  /** Acknowledges locally at once; the backend hears of it now, or when it is reachable again. */
  ack(id: string, by: string, note: string, agency: AgencyId | null = null): AlertView {
    const alert = this.alerts.get(id);
    if (!alert) throw new Error(`alert ${id} is not held by this console`);
    if (alert.ack && !alert.ack.pending) return alert;
    const at = this.now();
    const ack: AlertAck = { by, agency, note, at, pending: this.o.source !== null };
    const view = { ...alert, ack };
    this.alerts.set(id, view);
    if (this.o.source && !this.acks.some((a) => a.id === id)) this.acks.push({ id, by, note, at, ...(agency ? { agency } : {}) });
    this.announce(view);
    this.persistNow();
    void this.flushAcks();
    return view;
  }

  private async flushAcks(): Promise<void> {
    const source = this.o.source;
    if (!source || this.flushing || this.backend.state !== 'connected') return;
    this.flushing = true;
    try {
      while (this.acks.length && !this.abort.signal.aborted) {
        const a = this.acks[0]!;
        let result: 'ok' | 'gone';
        try {
          result = await source.ack(a.id, a.by, a.note, this.abort.signal, a.agency);
        } catch (err) {
          this.log(`acknowledgement of ${a.id} kept for later: ${(err as Error).message}`);
          // Try again soon; the stream's own reconnect also flushes.
          setTimeout(() => void this.flushAcks(), 5_000).unref();
          return;
        }
        this.acks.shift();
        if (result === 'gone') this.log(`the backend no longer knows alert ${a.id}; acknowledged here only`);
        const held = this.alerts.get(a.id);
        if (held?.ack) {
          const view = { ...held, ack: { ...held.ack, pending: false } };
          this.alerts.set(a.id, view);
          this.announce(view);
        }
        this.persistNow();
      }
    } finally {
      this.flushing = false;
    }
    this.o.onBackend(this.state);
  }

  private schedulePersist(): void {
    this.persistTimer ??= setTimeout(() => {
      this.persistTimer = null;
      this.persistNow();
    }, this.o.persistMs ?? 1_000);
  }

  private persistNow(): void {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = null;
    const alerts = [...this.alerts.values()].slice(-PERSIST_ALERTS);
    this.store.setAll({ source: this.backend.source, cursor: this.cursor, alerts, acks: this.acks });
  }

  async dispose(): Promise<void> {
    if (this.escalateTimer) clearInterval(this.escalateTimer);
    this.abort.abort();
    await this.loop;
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    if (this.batch.size) this.o.onChanged([...this.batch.values()]);
    this.batch.clear();
    this.persistNow();
  }
}
