/**
 * Persistence for settings, the wall, presets and access (runtime: Node), on `conf` (electron-store's engine).
 *
 * conf writes atomically. On top of it: a copy of the last good file is kept as `.bak`, and a file that
 * no longer parses or fails its schema is moved aside as `<name>.corrupt-<time>.json` and reported,
 * never silently wiped (so conf's clearInvalidConfig stays off). The backup, if good, is restored.
 *
 * Each file carries `schemaVersion`. A file of an earlier version is kept as `<name>.json.v<n>.bak` and
 * brought up to date by the store's migrations, one version at a time (a file from before versions
 * existed is version 0). A file of a later version (a newer Pantau wrote it) is moved aside and
 * reported, not read wrongly or overwritten.
 */
import { chmodSync, copyFileSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
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
  /** Whether the last good backup took its place (otherwise the store starts from its defaults). */
  restored: boolean;
}

/** A step from version n-1 to version n, keyed by n: takes the older file's JSON, returns the newer. */
export type Migrations = Record<number, (older: Record<string, unknown>) => Record<string, unknown>>;

export interface StoreVersioning {
  /** The schema version this build writes (default 1). */
  version: number;
  migrations?: Migrations;
}

export interface StoreFileOptions {
  /**
   * The file's permission bits, for the file and its backups (default 0o666 less the umask). A file
   * found looser than this is tightened at start and reported (`loosened`).
   */
  mode?: number;
}

export class JsonStore<T extends Record<string, unknown>> {
  // conf's key-path typing does not fit a generic wrapper; values are checked by `schema` on load.
  private readonly conf: Conf<Record<string, unknown>>;
  readonly problems: StoreProblem[] = [];
  /** Files of this store with permissions looser than asked for (another user could read them), made strict. */
  readonly loosened: string[] = [];
  readonly file: string;
  readonly version: number;

  constructor(
    dir: string,
    name: string,
    private readonly schema: z.ZodType<T>,
    private readonly defaults: T,
    backend: StoreBackend = confBackend,
    versioning: StoreVersioning = { version: 1 },
    private readonly fileOptions: StoreFileOptions = {},
  ) {
    this.file = join(dir, `${name}.json`);
    this.version = versioning.version;
    this.tighten();
    this.migrate(versioning.migrations ?? {});
    this.quarantineIfBad(this.file, 'main');
    this.conf = backend({
      cwd: dir,
      configName: name,
      defaults: { ...defaults, schemaVersion: this.version },
      clearInvalidConfig: false,
      projectName: 'pantau',
      ...(fileOptions.mode !== undefined ? { configFileMode: fileOptions.mode } : {}),
    });
    this.tighten();
    if (this.conf.get('schemaVersion') !== this.version) this.conf.set('schemaVersion', this.version);
    this.backup();
  }

  private migrate(migrations: Migrations): void {
    if (!existsSync(this.file)) return;
    let doc: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return; // quarantineIfBad reports it
      doc = parsed as Record<string, unknown>;
    } catch {
      return;
    }
    const from = typeof doc.schemaVersion === 'number' ? doc.schemaVersion : 0;
    if (from === this.version) return;
    if (from > this.version) {
      this.moveAside(this.file, `written by a newer Pantau (schema version ${from}; this one reads up to ${this.version})`);
      return;
    }
    copyFileSync(this.file, `${this.file}.v${from}.bak`);
    for (let v = from + 1; v <= this.version; v++) doc = migrations[v]?.(doc) ?? doc;
    const tmp = `${this.file}.migrating`;
    writeFileSync(tmp, JSON.stringify({ ...doc, schemaVersion: this.version }, null, '\t'));
    renameSync(tmp, this.file);
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
    this.moveAside(file, problem);
  }

  /** Moves a file that can't be used aside, reports it, and restores the last good backup if any. */
  private moveAside(file: string, problem: string): void {
    const movedTo = file.replace(/\.json$/, `.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    renameSync(file, movedTo);
    const bak = `${file}.bak`;
    const restored = existsSync(bak) && !this.check(bak) && this.versionOf(bak) <= this.version;
    if (restored) copyFileSync(bak, file);
    this.problems.push({ file, movedTo, message: problem, restored });
  }

  private versionOf(file: string): number {
    try {
      const v = (JSON.parse(readFileSync(file, 'utf8')) as { schemaVersion?: unknown }).schemaVersion;
      return typeof v === 'number' ? v : 0;
    } catch {
      return 0;
    }
  }

  private backup(): void {
    if (!existsSync(this.file) || this.check(this.file)) return;
    copyFileSync(this.file, `${this.file}.bak`);
    if (this.fileOptions.mode !== undefined) chmodSync(`${this.file}.bak`, this.fileOptions.mode);
  }

  private tighten(): void {
    const mode = this.fileOptions.mode;
    if (mode === undefined) return;
    for (const f of [this.file, `${this.file}.bak`]) {
      if (!existsSync(f) || (statSync(f).mode & 0o777 & ~mode) === 0) continue;
      chmodSync(f, mode);
      this.loosened.push(f);
    }
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
    this.conf.store = { ...value, schemaVersion: this.version };
  }
}
