/**
 * The wall: the single source of truth for what every monitor shows (runtime: Node, no timers).
 *
 * Windows subscribe to changes; every change is one new revision, persisted by the owner. Besides
 * tiles and layouts it holds each tile's history (last 8 cameras, back and forward), the enlarged
 * tile, and paged views: a district or camera list spread over a group of monitors, page by page,
 * optionally cycled by a sequence. The Sequencer drives time; this class only answers `tick(now)`.
 */
import { ApiError, HISTORY_DEPTH, reason, type PresetMonitor, WallState, type CameraSummary, type LayoutId, type MonitorState, type MonitorView, type ViewSource } from '../../preload/contract.js';
import { tileCount } from '../../preload/layouts.js';

export type WallListener = (state: WallState) => void;

/** What the wall needs to know about the catalog. */
export interface WallCatalog {
  /** The cameras and a display label for a source; throws ApiError('not_found') for an unknown district. */
  resolve(source: ViewSource): { ids: string[]; label: string };
  idOfNumber(number: number): string | undefined;
  /** The camera after/before this one in catalog-number order (wrapping); the first one for null. */
  neighbour(cameraId: string | null, direction: 1 | -1): string;
}

export interface WallOptions {
  catalog?: WallCatalog;
  now?: () => number;
  /** How long operator activity pauses a running sequence. */
  pauseMs?: number;
}

export const SEQUENCE_PAUSE_MS = 10_000;

type Tile = MonitorState['tiles'][number];

function emptyTile(tile: number): Tile {
  return { tile, cameraId: null, back: [], forward: [] };
}

/** Puts a camera on a tile, remembering the one it replaces. */
function placeOn(tile: Tile, cameraId: string | null): Tile {
  if (tile.cameraId === cameraId) return tile;
  const back = tile.cameraId === null ? tile.back : [...tile.back, tile.cameraId].slice(-HISTORY_DEPTH);
  return { ...tile, cameraId, back, forward: [] };
}

function resize(monitor: MonitorState, layout: LayoutId): MonitorState {
  const n = tileCount(layout);
  const tiles = Array.from({ length: n }, (_, i) => monitor.tiles[i] ?? emptyTile(i + 1));
  const enlarged = monitor.enlarged !== null && monitor.enlarged <= n ? monitor.enlarged : null;
  return { ...monitor, layout, tiles, enlarged };
}

function blankMonitor(monitor: number, layout: LayoutId): MonitorState {
  return resize({ monitor, name: `Monitor ${monitor}`, layout, tiles: [], enlarged: null, view: null }, layout);
}

/** The monitors with empty 2x2 monitors added up to `count`; never fewer than given. */
function padMonitors(monitors: MonitorState[], count: number): MonitorState[] {
  const out = [...monitors];
  for (let m = out.length + 1; m <= count; m++) out.push(blankMonitor(m, '2x2'));
  return out;
}

/** A sequence stepping every dwellSeconds, its first step one dwell from now. */
function startedSequence(dwellSeconds: number, now: number): NonNullable<MonitorView['sequence']> {
  return { dwellSeconds, nextAt: now + dwellSeconds * 1000, pausedUntil: null };
}

export class Wall {
  private state: WallState;
  private readonly listeners = new Set<WallListener>();
  private readonly now: () => number;
  private readonly pauseMs: number;

  constructor(
    initial: unknown,
    private readonly options: WallOptions = {},
  ) {
    this.state = WallState.parse(initial);
    this.now = options.now ?? Date.now;
    this.pauseMs = options.pauseMs ?? SEQUENCE_PAUSE_MS;
  }

  static fresh(monitors: number, layout: LayoutId, cameras: CameraSummary[] = [], options: WallOptions = {}): Wall {
    const ms: MonitorState[] = [];
    let k = 0;
    for (let m = 1; m <= monitors; m++) {
      const monitor = blankMonitor(m, layout);
      monitor.tiles = monitor.tiles.map((t) => ({ ...t, cameraId: cameras[k++]?.id ?? null }));
      ms.push(monitor);
    }
    return new Wall({ revision: 0, monitors: ms }, options);
  }

  get(): WallState {
    return this.state;
  }

  subscribe(listener: WallListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private get catalog(): WallCatalog {
    if (!this.options.catalog) throw new ApiError('unavailable', 'the wall has no catalog to resolve cameras');
    return this.options.catalog;
  }

  private monitor(n: number): MonitorState {
    const m = this.state.monitors.find((x) => x.monitor === n);
    if (!m) throw new ApiError('not_found', `monitor ${n} does not exist (monitors: 1..${this.state.monitors.length})`, reason('monitor_unknown', { monitor: n, count: this.state.monitors.length }));
    return m;
  }

  private tileOf(m: MonitorState, tile: number): Tile {
    const t = m.tiles[tile - 1];
    if (!t) throw new ApiError('not_found', `monitor ${m.monitor} has tiles 1..${m.tiles.length}, not ${tile}`, reason('tile_unknown', { monitor: m.monitor, tile, count: m.tiles.length }));
    return t;
  }

  private commit(monitors: MonitorState[]): WallState {
    this.state = { revision: this.state.revision + 1, monitors };
    for (const l of this.listeners) l(this.state);
    return this.state;
  }

  /** Replaces some monitors by number, keeping the others. */
  private replace(changed: MonitorState[]): WallState {
    const byNumber = new Map(changed.map((m) => [m.monitor, m]));
    return this.commit(this.state.monitors.map((m) => byNumber.get(m.monitor) ?? m));
  }

  /** Takes monitors out of whatever paged groups they were in; the rest of each group stays paged. */
  private detach(monitors: MonitorState[], leaving: Set<number>): MonitorState[] {
    return monitors.map((m) => {
      if (!m.view) return m;
      if (leaving.has(m.monitor)) return { ...m, view: null };
      const group = m.view.group.filter((g) => !leaving.has(g));
      return group.length === m.view.group.length ? m : { ...m, view: { ...m.view, group } };
    });
  }

  /** Operator activity on a monitor pauses its group's running sequence. */
  private paused(m: MonitorState): MonitorState {
    if (!m.view?.sequence) return m;
    return { ...m, view: { ...m.view, sequence: { ...m.view.sequence, pausedUntil: this.now() + this.pauseMs } } };
  }

  /** Applies `paused` to the whole group of monitor n. */
  private pauseGroupOf(monitors: MonitorState[], n: number): MonitorState[] {
    const view = monitors.find((m) => m.monitor === n)?.view;
    if (!view?.sequence) return monitors;
    const group = new Set(view.group);
    return monitors.map((m) => (group.has(m.monitor) ? this.paused(m) : m));
  }

  /** Adds empty monitors up to `count` (a new display); never removes one, so nothing is lost. */
  ensureMonitors(count: number): WallState {
    if (this.state.monitors.length >= count) return this.state;
    return this.commit(padMonitors(this.state.monitors, count));
  }

  setLayout(monitor: number, layout: LayoutId): WallState {
    const m = this.monitor(monitor);
    if (m.view) {
      // A paged view re-spreads over the new tile count, staying near the camera at the top left.
      const first = m.view.page * this.capacity(m.view.group.map((g) => this.monitor(g)));
      this.state = { ...this.state, monitors: this.state.monitors.map((x) => (x.monitor === monitor ? resize(x, layout) : x)) };
      const perPage = this.capacity(m.view.group.map((g) => this.monitor(g)));
      return this.fill(m.view.group, m.view.source, Math.floor(first / perPage), m.view.sequence);
    }
    return this.replace([resize(m, layout)]);
  }

  /**
   * A preset, as one change and one revision: each monitor it names gets its layout, cameras (by id,
   * kept even when the catalog no longer has them), enlarged tile and view; a sequence starts again.
   * Monitors the wall lacks are added; monitors the preset does not name stay as they are.
   */
  load(preset: PresetMonitor[]): WallState {
    const count = Math.max(this.state.monitors.length, ...preset.map((p) => p.monitor), ...preset.flatMap((p) => p.view?.group ?? []));
    const monitors = padMonitors(this.state.monitors, count);
    const byNumber = new Map(preset.map((p) => [p.monitor, p]));
    const now = this.now();
    return this.commit(
      monitors.map((m) => {
        const p = byNumber.get(m.monitor);
        if (!p) return m;
        const sized = resize(m, p.layout);
        const tiles = sized.tiles.map((t, i) => placeOn(t, p.cameraIds[i] ?? null));
        const view = p.view ? { ...p.view, sequence: p.view.sequence ? startedSequence(p.view.sequence.dwellSeconds, now) : null } : null;
        return { ...sized, tiles, enlarged: p.enlarged !== null && p.enlarged <= tiles.length ? p.enlarged : null, view };
      }),
    );
  }

  /** One change, one revision: the monitor shows these cameras in tile order, the rest empty. */
  showCameras(monitor: number, cameraIds: string[], layout?: LayoutId): WallState {
    const monitors = this.detach(this.state.monitors, new Set([monitor]));
    const m = monitors.find((x) => x.monitor === monitor) ?? this.monitor(monitor);
    const sized = layout ? resize(m, layout) : m;
    const tiles = sized.tiles.map((t, i) => placeOn(t, cameraIds[i] ?? null));
    const next = { ...sized, tiles, enlarged: null };
    return this.commit(monitors.map((x) => (x.monitor === monitor ? next : x)));
  }

  assign(monitor: number, tile: number, cameraId: string | null): WallState {
    const m = this.monitor(monitor);
    this.tileOf(m, tile);
    const tiles = m.tiles.map((t) => (t.tile === tile ? placeOn(t, cameraId) : t));
    return this.commit(this.pauseGroupOf(this.state.monitors, monitor).map((x) => (x.monitor === monitor ? { ...x, tiles } : x)));
  }

  route(monitor: number, tile: number, number: number): WallState {
    const id = this.catalog.idOfNumber(number);
    if (!id) throw new ApiError('not_found', `no camera numbered ${number} in the catalog`, reason('camera_number_unknown', { number }));
    return this.assign(monitor, tile, id);
  }

  private capacity(group: MonitorState[]): number {
    return group.reduce((sum, m) => sum + m.tiles.length, 0);
  }

  /** Fills a group of monitors with page `page` of a source. */
  private fill(groupNumbers: number[], source: ViewSource, page: number, sequence: MonitorView['sequence'], layout?: LayoutId): WallState {
    groupNumbers.forEach((n) => this.monitor(n));
    const { ids, label } = this.catalog.resolve(source);
    let monitors = this.detach(this.state.monitors, new Set(groupNumbers));
    const group = groupNumbers.map((n) => {
      const m = monitors.find((x) => x.monitor === n)!;
      return layout ? resize(m, layout) : m;
    });
    const perPage = this.capacity(group);
    const pages = Math.max(1, Math.ceil(ids.length / perPage));
    const p = Math.min(Math.max(0, page), pages - 1);
    let offset = p * perPage;
    const filled = new Map<number, MonitorState>();
    for (const m of group) {
      const tiles = m.tiles.map((t, i) => placeOn(t, ids[offset + i] ?? null));
      offset += m.tiles.length;
      const view: MonitorView = { source, label, group: groupNumbers, page: p, pages, total: ids.length, sequence };
      filled.set(m.monitor, { ...m, tiles, enlarged: null, view });
    }
    monitors = monitors.map((m) => filled.get(m.monitor) ?? m);
    return this.commit(monitors);
  }

  /** Shows a district or camera list on a group of monitors, starting at `page`. */
  show(monitors: number[], source: ViewSource, page = 0, layout?: LayoutId): WallState {
    return this.fill([...new Set(monitors)], source, page, null, layout);
  }

  private viewOf(monitor: number): MonitorView {
    const view = this.monitor(monitor).view;
    if (!view) throw new ApiError('bad_request', `monitor ${monitor} shows no district or camera list, so it has no pages`);
    return view;
  }

  /** Next/previous page (wrapping) or an absolute page; manual paging pauses a running sequence. */
  page(monitor: number, to: 'next' | 'prev' | number, manual = true): WallState {
    const view = this.viewOf(monitor);
    const target = to === 'next' ? (view.page + 1) % view.pages : to === 'prev' ? (view.page - 1 + view.pages) % view.pages : to;
    if (typeof to === 'number' && to >= view.pages) throw new ApiError('bad_request', `page ${to + 1} does not exist (pages: 1..${view.pages})`);
    const sequence = view.sequence && manual ? { ...view.sequence, pausedUntil: this.now() + this.pauseMs } : view.sequence;
    return this.fill(view.group, view.source, target, sequence);
  }

  sequence(monitor: number, action: 'start' | 'stop', dwellSeconds: number): WallState {
    const view = this.viewOf(monitor);
    const sequence = action === 'start' ? startedSequence(dwellSeconds, this.now()) : null;
    return this.setGroupSequence(view.group, sequence);
  }

  /** One sequence state for every monitor of a group, in one revision. */
  private setGroupSequence(groupNumbers: number[], sequence: MonitorView['sequence']): WallState {
    const group = new Set(groupNumbers);
    return this.commit(this.state.monitors.map((m) => (group.has(m.monitor) && m.view ? { ...m, view: { ...m.view, sequence } } : m)));
  }

  /** Operator activity: pauses the monitor's sequence (no new revision when nothing is running). */
  touch(monitor: number): number | null {
    const m = this.monitor(monitor);
    if (!m.view?.sequence) return null;
    const until = this.now() + this.pauseMs;
    // Re-pausing within a second of the last pause changes nothing anyone could see.
    if (m.view.sequence.pausedUntil !== null && until - m.view.sequence.pausedUntil < 1_000) return m.view.sequence.pausedUntil;
    this.commit(this.pauseGroupOf(this.state.monitors, monitor));
    return until;
  }

  /**
   * Advances every sequence that is due at `now`; returns when the next one is due (or null).
   * A group is advanced once, through its first monitor.
   */
  tick(now = this.now()): number | null {
    const leaders = this.state.monitors.filter((m) => m.view?.sequence && m.view.group[0] === m.monitor);
    for (const m of leaders) {
      const view = m.view!;
      const seq = view.sequence!;
      if (seq.pausedUntil !== null) {
        if (seq.pausedUntil > now) continue;
        // The pause is over: a full dwell before the next step.
        this.setGroupSequence(view.group, { ...seq, pausedUntil: null, nextAt: now + seq.dwellSeconds * 1000 });
        continue;
      }
      if (seq.nextAt !== null && seq.nextAt <= now) {
        const target = (view.page + 1) % view.pages;
        this.fill(view.group, view.source, target, { ...seq, nextAt: now + seq.dwellSeconds * 1000 });
      }
    }
    let due: number | null = null;
    for (const m of this.state.monitors) {
      const seq = m.view?.sequence;
      if (!seq) continue;
      const at = seq.pausedUntil ?? seq.nextAt;
      if (at !== null && (due === null || at < due)) due = at;
    }
    return due;
  }

  enlarge(monitor: number, tile: number | null): WallState {
    const m = this.monitor(monitor);
    if (tile !== null) this.tileOf(m, tile);
    if (m.enlarged === tile) return this.state;
    return this.commit(this.pauseGroupOf(this.state.monitors, monitor).map((x) => (x.monitor === monitor ? { ...x, enlarged: tile } : x)));
  }

  /** Back or forward through a tile's last cameras. */
  history(monitor: number, tile: number, direction: 'back' | 'forward'): WallState {
    const m = this.monitor(monitor);
    const t = this.tileOf(m, tile);
    const from = direction === 'back' ? t.back : t.forward;
    if (from.length === 0) throw new ApiError('bad_request', `tile ${tile} of monitor ${monitor} has no ${direction === 'back' ? 'earlier' : 'later'} camera`);
    const cameraId = from[from.length - 1]!;
    const rest = from.slice(0, -1);
    const other = t.cameraId === null ? (direction === 'back' ? t.forward : t.back) : [...(direction === 'back' ? t.forward : t.back), t.cameraId].slice(-HISTORY_DEPTH);
    const next: Tile = direction === 'back' ? { ...t, cameraId, back: rest, forward: other } : { ...t, cameraId, forward: rest, back: other };
    const tiles = m.tiles.map((x) => (x.tile === tile ? next : x));
    return this.commit(this.pauseGroupOf(this.state.monitors, monitor).map((x) => (x.monitor === monitor ? { ...x, tiles } : x)));
  }

  /** Next/previous camera on a tile: through the monitor's view when it has one, else by catalog number. */
  step(monitor: number, tile: number, direction: 'next' | 'prev'): WallState {
    const m = this.monitor(monitor);
    const t = this.tileOf(m, tile);
    const d = direction === 'next' ? 1 : -1;
    let id: string;
    if (m.view) {
      const { ids } = this.catalog.resolve(m.view.source);
      const at = t.cameraId === null ? -1 : ids.indexOf(t.cameraId);
      id = at < 0 ? ids[0]! : ids[(at + d + ids.length) % ids.length]!;
    } else {
      id = this.catalog.neighbour(t.cameraId, d);
    }
    return this.assign(monitor, tile, id);
  }

  /** Swaps two monitors' content (layout, tiles, view), e.g. to bring a waiting monitor onto a display. */
  swapMonitors(a: number, b: number): WallState {
    const ma = this.monitor(a);
    const mb = this.monitor(b);
    if (a === b) return this.state;
    const swapNumber = (n: number) => (n === a ? b : n === b ? a : n);
    const renumber = (m: MonitorState, as: number): MonitorState => ({ ...m, monitor: as, name: `Monitor ${as}` });
    return this.commit(
      this.state.monitors.map((m) => {
        const base = m.monitor === a ? renumber(mb, a) : m.monitor === b ? renumber(ma, b) : m;
        return base.view ? { ...base, view: { ...base.view, group: base.view.group.map(swapNumber) } } : base;
      }),
    );
  }
}
