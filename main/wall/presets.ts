/**
 * Layout presets (runtime: Node): a whole wall, named and grouped, saved by supervisors and loaded by
 * operators. A preset holds camera ids only, never a URL or a credential, so an export can be shared.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ApiError, ImportReport, Preset, PRESET_EXPORT_FORMAT, PresetImportItem, reason, type PresetMonitor, type WallState } from '../../preload/contract.js';
import type { JsonStore } from '../store/json-store.js';

export const PresetsFile = z.object({ presets: z.array(Preset) });
export type PresetsFile = z.infer<typeof PresetsFile>;

/** What a preset is made from: the wall as it is, and where alarms pop. */
export interface WallSnapshot {
  wall: WallState;
  alarmTile: Preset['alarmTile'];
}

export function monitorsOf(wall: WallState): PresetMonitor[] {
  return wall.monitors.map((m) => ({
    monitor: m.monitor,
    layout: m.layout,
    cameraIds: m.tiles.map((t) => t.cameraId),
    enlarged: m.enlarged,
    // A running sequence is kept as its dwell; its timers start again when the preset loads.
    view: m.view ? { ...m.view, sequence: m.view.sequence ? { dwellSeconds: m.view.sequence.dwellSeconds, nextAt: null, pausedUntil: null } : null } : null,
  }));
}

const newId = (): string => `p-${randomBytes(6).toString('hex')}`;
/** Preset names are unique regardless of case. */
const sameName = (a: string, b: string): boolean => a.trim().toLocaleLowerCase('id') === b.trim().toLocaleLowerCase('id');

/** `wanted` if no preset has that keypad number, else the lowest free one. */
function freeNumber(presets: Preset[], wanted?: number): number {
  const used = new Set(presets.map((p) => p.number));
  if (wanted !== undefined && !used.has(wanted)) return wanted;
  let n = 1;
  while (used.has(n)) n++;
  return n;
}

export class PresetBook {
  constructor(
    private readonly store: JsonStore<PresetsFile>,
    private readonly now: () => number = Date.now,
  ) {}

  list(): Preset[] {
    return this.store.get('presets');
  }

  private write(presets: Preset[]): Preset[] {
    this.store.set('presets', presets);
    return presets;
  }

  get(id: string): Preset {
    const p = this.list().find((x) => x.id === id);
    if (!p) throw new ApiError('not_found', `no preset ${id}`, reason('preset_unknown', { preset: id }));
    return p;
  }

  byNumber(n: number): Preset {
    const p = this.list().find((x) => x.number === n);
    if (!p) throw new ApiError('not_found', `no preset numbered ${n}`, reason('preset_unknown', { preset: n }));
    return p;
  }

  private nameTaken(name: string, except?: string): boolean {
    return this.list().some((p) => p.id !== except && sameName(p.name, name));
  }

  save(name: string, group: string, snap: WallSnapshot, by: string): Preset {
    if (this.nameTaken(name)) throw new ApiError('bad_request', `a preset named "${name}" exists already`, reason('preset_name_taken', { name }));
    const preset = Preset.parse({ id: newId(), name, group, number: freeNumber(this.list()), monitors: monitorsOf(snap.wall), alarmTile: snap.alarmTile, savedAt: this.now(), savedBy: by });
    this.write([...this.list(), preset]);
    return preset;
  }

  update(id: string, snap: WallSnapshot, by: string): Preset {
    const old = this.get(id);
    const next = Preset.parse({ ...old, monitors: monitorsOf(snap.wall), alarmTile: snap.alarmTile, savedAt: this.now(), savedBy: by });
    this.write(this.list().map((p) => (p.id === id ? next : p)));
    return next;
  }

  rename(id: string, name: string | undefined, group: string | undefined): Preset {
    const old = this.get(id);
    if (name !== undefined && this.nameTaken(name, id)) throw new ApiError('bad_request', `a preset named "${name}" exists already`, reason('preset_name_taken', { name }));
    const next = Preset.parse({ ...old, name: name ?? old.name, group: group ?? old.group });
    this.write(this.list().map((p) => (p.id === id ? next : p)));
    return next;
  }

  delete(id: string): void {
    this.get(id);
    this.write(this.list().filter((p) => p.id !== id));
  }

  /** The given ids first, in that order; any preset not named keeps its place after them. */
  reorder(ids: string[]): Preset[] {
    const all = this.list();
    ids.forEach((id) => this.get(id));
    const first = ids.map((id) => all.find((p) => p.id === id)!);
    return this.write([...first, ...all.filter((p) => !ids.includes(p.id))]);
  }

  exportJson(ids?: string[]): string {
    const chosen = ids ? ids.map((id) => this.get(id)) : this.list();
    const presets = chosen.map(({ name, group, number, monitors, alarmTile }) => ({ name, group, number, monitors, alarmTile }));
    return JSON.stringify({ format: PRESET_EXPORT_FORMAT, version: 1, presets }, null, 2);
  }

  /**
   * Reads an export. Each valid preset is imported, unless its name exists: then it is a conflict,
   * imported (replacing the one of that name) only when asked again with overwrite. Each invalid one is
   * reported by its name or position, the field and what was expected; nothing saved is touched by it.
   */
  importJson(json: string, overwrite: boolean, by: string): z.infer<typeof ImportReport> {
    let doc: unknown;
    try {
      doc = JSON.parse(json);
    } catch (e) {
      throw new ApiError('bad_request', `the preset file is not JSON: ${(e as Error).message}`);
    }
    const head = z.object({ format: z.literal(PRESET_EXPORT_FORMAT), version: z.literal(1), presets: z.array(z.unknown()).max(999) }).safeParse(doc);
    if (!head.success) throw new ApiError('bad_request', `not a Pantau preset file: ${head.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`);
    const report = { imported: [] as { name: string; id: string }[], conflicts: [] as string[], errors: [] as string[] };
    let presets = this.list();
    head.data.presets.forEach((raw, i) => {
      const item = PresetImportItem.safeParse(raw);
      const label = typeof (raw as { name?: unknown })?.name === 'string' ? `"${(raw as { name: string }).name.slice(0, 60)}"` : `#${i + 1}`;
      if (!item.success) {
        for (const issue of item.error.issues) report.errors.push(`preset ${label}: ${issue.path.join('.') || '(preset)'}: ${issue.message}`);
        return;
      }
      const existing = presets.find((p) => sameName(p.name, item.data.name));
      if (existing && !overwrite) {
        report.conflicts.push(item.data.name);
        return;
      }
      const number = freeNumber(
        presets.filter((p) => p !== existing),
        item.data.number,
      );
      const preset = Preset.parse({ ...item.data, id: existing?.id ?? newId(), number, savedAt: this.now(), savedBy: by });
      presets = existing ? presets.map((p) => (p === existing ? preset : p)) : [...presets, preset];
      report.imported.push({ name: preset.name, id: preset.id });
    });
    if (report.imported.length) this.write(presets);
    return report;
  }
}
