/**
 * Reference-counted shared things with an idle grace (runtime: Node): the gateway's ingests and
 * transcodes. One item per key however many holders; the last release starts the grace, after which
 * the item is disposed; a holder coming back within the grace gets the same item (a warm start).
 * Items being disposed are counted until their dispose() resolves, so a process count can be checked
 * against `size + stopping.size` at any instant.
 */
export interface Disposable {
  dispose(): Promise<void>;
}

export interface PoolLease<T> {
  readonly item: T;
  /** Safe to pass on unbound, and to call more than once. */
  readonly release: () => void;
}

interface Entry<T> {
  item: T;
  refs: number;
  idleTimer: NodeJS.Timeout | null;
}

export class SharedPool<T extends Disposable> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Items told to stop whose dispose() has not resolved yet. */
  readonly stopping = new Set<T>();
  private closed = false;

  constructor(private readonly idleGraceMs: number) {}

  get size(): number {
    return this.entries.size;
  }
  has(key: string): boolean {
    return this.entries.has(key);
  }
  items(): T[] {
    return [...this.entries.values()].map((e) => e.item);
  }

  /** The item for `key`, made (and started) by `create` when there is none. */
  lease(key: string, create: () => T): PoolLease<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { item: create(), refs: 0, idleTimer: null };
      this.entries.set(key, entry);
    }
    if (entry.idleTimer) {
      clearTimeout(entry.idleTimer);
      entry.idleTimer = null;
    }
    entry.refs++;
    const held = entry;
    let released = false;
    return {
      item: held.item,
      release: () => {
        if (released) return;
        released = true;
        held.refs--;
        if (held.refs > 0 || this.closed) return;
        held.idleTimer = setTimeout(() => {
          if (this.entries.get(key) === held && held.refs === 0) {
            this.entries.delete(key);
            void this.stop(held.item);
          }
        }, this.idleGraceMs);
      },
    };
  }

  /**
   * Stops one item nobody holds (one in its idle grace) now, and says whether there was one: a new
   * holder asking for room has a better claim than a holder who might come back.
   */
  evictIdle(): boolean {
    for (const [key, entry] of this.entries) {
      if (entry.refs > 0 || !entry.idleTimer) continue;
      clearTimeout(entry.idleTimer);
      this.entries.delete(key);
      void this.stop(entry.item);
      return true;
    }
    return false;
  }

  private async stop(item: T): Promise<void> {
    this.stopping.add(item);
    await item.dispose();
    this.stopping.delete(item);
  }

  /** Stops every item now, held or not, and those already stopping; later releases do nothing. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const e of all) if (e.idleTimer) clearTimeout(e.idleTimer);
    await Promise.all(all.map((e) => this.stop(e.item)));
    await Promise.all([...this.stopping].map((item) => item.dispose()));
  }
}
