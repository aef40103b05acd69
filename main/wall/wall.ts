/**
 * The wall: the single source of truth for what every monitor shows (runtime: Node).
 * Windows subscribe to changes; every change bumps the revision and is persisted by the owner.
 */
import { ApiError, WallState, type CameraSummary, type LayoutId, type MonitorState } from '../../preload/contract.js';
import { tileCount } from '../../preload/layouts.js';

export type WallListener = (state: WallState) => void;

function resize(monitor: MonitorState, layout: LayoutId): MonitorState {
  const n = tileCount(layout);
  const tiles = Array.from({ length: n }, (_, i) => ({ tile: i + 1, cameraId: monitor.tiles[i]?.cameraId ?? null }));
  return { ...monitor, layout, tiles };
}

export class Wall {
  private state: WallState;
  private readonly listeners = new Set<WallListener>();

  constructor(initial: WallState) {
    this.state = WallState.parse(initial);
  }

  static fresh(monitors: number, layout: LayoutId, cameras: CameraSummary[] = []): Wall {
    const ms: MonitorState[] = [];
    let k = 0;
    for (let m = 1; m <= monitors; m++) {
      const monitor = resize({ monitor: m, name: `Monitor ${m}`, layout, tiles: [] }, layout);
      monitor.tiles = monitor.tiles.map((t) => ({ ...t, cameraId: cameras[k++]?.id ?? null }));
      ms.push(monitor);
    }
    return new Wall({ revision: 0, monitors: ms });
  }

  get(): WallState {
    return this.state;
  }

  subscribe(listener: WallListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private monitor(n: number): MonitorState {
    const m = this.state.monitors.find((x) => x.monitor === n);
    if (!m) throw new ApiError('not_found', `monitor ${n} does not exist (monitors: 1..${this.state.monitors.length})`);
    return m;
  }

  private commit(monitors: MonitorState[]): WallState {
    this.state = { revision: this.state.revision + 1, monitors };
    for (const l of this.listeners) l(this.state);
    return this.state;
  }

  /** Adds empty monitors up to `count` (a new display); never removes one, so nothing is lost. */
  ensureMonitors(count: number): WallState {
    if (this.state.monitors.length >= count) return this.state;
    const monitors = [...this.state.monitors];
    for (let m = monitors.length + 1; m <= count; m++) monitors.push(resize({ monitor: m, name: `Monitor ${m}`, layout: '2x2', tiles: [] }, '2x2'));
    return this.commit(monitors);
  }

  setLayout(monitor: number, layout: LayoutId): WallState {
    const m = this.monitor(monitor);
    return this.commit(this.state.monitors.map((x) => (x === m ? resize(m, layout) : x)));
  }

  /** One change, one revision: the monitor shows these cameras in tile order, the rest empty. */
  showCameras(monitor: number, cameraIds: string[], layout?: LayoutId): WallState {
    const m = this.monitor(monitor);
    const sized = layout ? resize(m, layout) : m;
    const tiles = sized.tiles.map((t, i) => ({ ...t, cameraId: cameraIds[i] ?? null }));
    return this.commit(this.state.monitors.map((x) => (x === m ? { ...sized, tiles } : x)));
  }

  assign(monitor: number, tile: number, cameraId: string | null): WallState {
    const m = this.monitor(monitor);
    if (tile > m.tiles.length) throw new ApiError('not_found', `monitor ${monitor} has tiles 1..${m.tiles.length}, not ${tile}`);
    const tiles = m.tiles.map((t) => (t.tile === tile ? { ...t, cameraId } : t));
    return this.commit(this.state.monitors.map((x) => (x === m ? { ...m, tiles } : x)));
  }
}
