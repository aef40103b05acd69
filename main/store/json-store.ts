/**
 * Persistence for settings and the wall (runtime: Node), on `conf` (electron-store's engine).
 *
 * conf writes atomically. On top of it: a copy of the last good file is kept as `.bak`, and a file that
 * no longer parses or fails its schema is moved aside as `<name>.corrupt-<time>.json` and reported,
 * never silently wiped (so conf's clearInvalidConfig stays off). The backup, if good, is restored.
 */
import { copyFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Conf, { type Options as ConfOptions } from 'conf';
import type { z } from 'zod';

/**
 * What a store keeps its file with: `conf` in web mode; in the desktop app, electron-store (conf
 * with Electron's app paths and IPC, the customer's choice), handed in by main/electron since only
 * that folder may import Electron. Both write the same file the same way.
 */
export type StoreBackend = (options: Partial<ConfOptions<Record<string, unknown>>>) => Conf<Record<string, unknown>>;
export const confBackend: StoreBackend = (options) => new Conf<Record<string, unknown>>(options);

export interface StoreProblem {
  file: string;
  movedTo: string;
  message: string;
}

export class JsonStore<T extends Record<string, unknown>> {
  // conf's key-path typing does not fit a generic wrapper; values are checked by `schema` on load.
  private readonly conf: Conf<Record<string, unknown>>;
  readonly problems: StoreProblem[] = [];
  readonly file: string;

  constructor(
    dir: string,
    name: string,
    private readonly schema: z.ZodType<T>,
    private readonly defaults: T,
    backend: StoreBackend = confBackend,
  ) {
    this.file = join(dir, `${name}.json`);
    this.quarantineIfBad(this.file, 'main');
    this.conf = backend({ cwd: dir, configName: name, defaults, clearInvalidConfig: false, projectName: 'pantau' });
    this.backup();
  }

  private check(file: string): string | null {
    try {
      const parsed = this.schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success ? null : parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    } catch (e) {
      return (e as Error).message;
    }
  }

  private quarantineIfBad(file: string, _which: string): void {
    if (!existsSync(file)) return;
    const problem = this.check(file);
    if (!problem) return;
    const movedTo = file.replace(/\.json$/, `.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    renameSync(file, movedTo);
    this.problems.push({ file, movedTo, message: problem });
    const bak = `${file}.bak`;
    if (existsSync(bak) && !this.check(bak)) copyFileSync(bak, file);
  }

  private backup(): void {
    if (existsSync(this.file) && !this.check(this.file)) copyFileSync(this.file, `${this.file}.bak`);
  }

  get<K extends keyof T & string>(key: K): T[K] {
    const value = this.conf.get(key) as T[K] | undefined;
    return value === undefined ? this.defaults[key] : value;
  }

  set<K extends keyof T & string>(key: K, value: T[K]): void {
    this.backup();
    this.conf.set(key, value);
  }

  /** Replaces every key in one atomic write (values that must never be seen apart, like a cursor and its alerts). */
  setAll(value: T): void {
    this.backup();
    this.conf.store = value;
  }
}
