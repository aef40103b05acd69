/**
 * The alert history's plumbing (runtime: Node): opening the database (a damaged one is moved aside,
 * never deleted, and a new one started), turning alerts into rows, and pulling the backend's past
 * alerts into it when the console connects.
 */
import { existsSync, renameSync } from 'node:fs';
import { Alert, type AlertView } from '../../preload/contract.js';
import type { Camera } from '../catalog/camera.js';
import type { StoreProblem } from '../store/json-store.js';
import { AlertHistory, type HistoryRow } from './history.js';
import type { AlertSource } from './source.js';

export function historyRow(a: Pick<AlertView, 'id' | 'time' | 'type' | 'severity' | 'cameraId' | 'kecamatanCode' | 'count'> & { agency?: string | null }, kelurahan: string): HistoryRow {
  return {
    id: a.id,
    t: Date.parse(a.time),
    type: a.type,
    severity: a.severity,
    camera: a.cameraId,
    kecamatan: a.kecamatanCode,
    kelurahan,
    count: a.count ?? null,
    agency: a.agency ?? null,
  };
}

/** Opens the history; a file SQLite can't read is moved aside (reported as a store problem) and a new one begun. */
export function openHistory(file: string, retentionDays?: number, now?: () => number): { history: AlertHistory; problems: StoreProblem[] } {
  try {
    return { history: new AlertHistory({ file, retentionDays, now }), problems: [] };
  } catch (err) {
    if (file === ':memory:' || !existsSync(file)) throw err;
    const movedTo = `${file}.damaged-${Date.now()}`;
    renameSync(file, movedTo);
    for (const side of ['-wal', '-shm']) if (existsSync(file + side)) renameSync(file + side, movedTo + side);
    return { history: new AlertHistory({ file, retentionDays, now }), problems: [{ file, movedTo, message: (err as Error).message, restored: false }] };
  }
}

/**
 * On each connection, asks the backend for what the history lacks: from the newest stored alert (or
 * the retention's start) to now. Alerts already stored are skipped by id. One pull at a time.
 */
export class HistoryFiller {
  private running: Promise<void> | null = null;
  private readonly abort = new AbortController();
  /** Alerts added by the last pull, and whether the backend has a history at all. */
  last: { added: number; rejected: number; supported: boolean } | null = null;

  constructor(
    private readonly o: {
      history: AlertHistory;
      source: AlertSource | null;
      camera: (id: string) => Camera | undefined;
      log: (m: string) => void;
      now?: () => number;
      route?: (a: Alert, camera: Camera) => string | null;
    },
  ) {}

  connected(): void {
    const source = this.o.source;
    if (!source?.history || this.running) return;
    this.running = this.pull(source).finally(() => (this.running = null));
  }

  /** Resolves when the pull in progress (if any) is done. */
  async settled(): Promise<void> {
    await this.running;
  }

  private async pull(source: AlertSource): Promise<void> {
    const now = (this.o.now ?? Date.now)();
    const stored = this.o.history.stored();
    const from = Math.max(now - this.o.history.retentionDays * 86_400_000, stored.newest === null ? 0 : stored.newest - 60_000);
    let added = 0;
    let rejected = 0;
    try {
      const supported = await source.history!(
        from,
        now,
        (page) => {
          const rows: HistoryRow[] = [];
          for (const raw of page) {
            const parsed = Alert.safeParse(raw);
            const cam = parsed.success ? this.o.camera(parsed.data.cameraId) : undefined;
            if (!parsed.success || !cam) {
              rejected++;
              continue;
            }
            const a = parsed.data;
            rows.push(historyRow({ ...a, kecamatanCode: cam.kecamatanCode, agency: this.o.route?.(a, cam) ?? null }, cam.kelurahanCode));
          }
          added += this.o.history.recordMany(rows);
        },
        this.abort.signal,
      );
      this.last = { added, rejected, supported };
      if (supported) this.o.log(`alert history: ${added} past alerts added${rejected ? `, ${rejected} refused (invalid or unknown camera)` : ''}`);
    } catch (err) {
      if (!this.abort.signal.aborted) this.o.log(`alert history: pull stopped after ${added} alerts: ${(err as Error).message}`);
    }
  }

  stop(): void {
    this.abort.abort();
  }
}
