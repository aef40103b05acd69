/**
 * The renderer's copy of main's alerts (runtime: browser). One per window, fed by `alerts.list` and
 * the `alerts.*` events. Tiles subscribe per camera, so an alert re-renders only the tiles showing
 * its camera, not the whole wall; the panel subscribes to the list.
 */
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { AgencyId, AlarmState, AlertConfig, AlertView, BackendState, ConsoleApi, RoutingConfig } from '../../../preload/contract';

/** Alerts kept per camera for overlays (only the newest of each type is drawn). */
const PER_CAMERA = 12;
const MAX_ALERTS = 2000;

const EMPTY: readonly AlertView[] = [];

export class AlertStore {
  private readonly byId = new Map<string, AlertView>();
  private ordered: readonly AlertView[] | null = EMPTY;
  private readonly byCamera = new Map<string, readonly AlertView[]>();
  private readonly listeners = new Set<() => void>();
  private readonly cameraListeners = new Map<string, Set<() => void>>();
  backend: BackendState | null = null;
  config: AlertConfig | null = null;
  alarm: AlarmState = { active: null, queued: [] };
  routing: RoutingConfig | null = null;
  /** The agency whose queue this desk works, or null for every alert. */
  deskAgency: AgencyId | null = null;
  private version = 0;

  /** Connects to main; returns the disconnect function. */
  connect(api: ConsoleApi): () => void {
    let alive = true;
    const offs = [
      api.on('alerts.changed', (e) => this.apply(e.alerts)),
      api.on('alerts.backend', (b) => this.set({ backend: b })),
      api.on('alerts.config', (c) => this.set({ config: c })),
      api.on('alerts.alarm', (a) => this.set({ alarm: a })),
      api.on('alerts.routing', (r) => this.set({ routing: r.routing, deskAgency: r.deskAgency })),
    ];
    api.call('alerts.list', { limit: 1000 }).then(
      (r) => {
        if (!alive) return;
        this.set({ backend: r.backend, config: r.config, alarm: r.alarm, routing: r.routing ?? null, deskAgency: r.deskAgency ?? null });
        this.apply([...r.alerts].reverse());
      },
      () => undefined,
    );
    return () => {
      alive = false;
      offs.forEach((off) => off());
    };
  }

  private set(patch: Partial<Pick<AlertStore, 'backend' | 'config' | 'alarm' | 'routing' | 'deskAgency'>>): void {
    Object.assign(this, patch);
    this.version++;
    this.listeners.forEach((l) => l());
    // Config (overlay time) changes how every tile draws.
    if (patch.config) this.cameraListeners.forEach((set) => set.forEach((l) => l()));
  }

  /** New or changed alerts, oldest first. */
  apply(alerts: readonly AlertView[]): void {
    if (!alerts.length) return;
    const touched = new Set<string>();
    let added = false;
    for (const a of alerts) {
      const had = this.byId.has(a.id);
      this.byId.set(a.id, a);
      added ||= !had;
      touched.add(a.cameraId);
      const list = this.byCamera.get(a.cameraId) ?? EMPTY;
      const i = list.findIndex((x) => x.id === a.id);
      this.byCamera.set(a.cameraId, i >= 0 ? list.map((x, k) => (k === i ? a : x)) : [a, ...list].slice(0, PER_CAMERA));
    }
    // Oldest out first: a Map keeps insertion order, and alerts arrive oldest first (an update keeps
    // its place), so no sort of 2,000 alerts on every batch. An evicted alert leaves its camera's list
    // too: alerts come from any of 10,693 cameras, so per-camera lists kept after eviction would grow
    // with every camera that ever had one (the 500-switch soak saw the heap creep from this).
    if (added)
      for (const [id, a] of this.byId) {
        if (this.byId.size <= MAX_ALERTS) break;
        this.byId.delete(id);
        const list = this.byCamera.get(a.cameraId);
        if (!list) continue;
        const kept = list.filter((x) => x.id !== id);
        if (kept.length === list.length) continue;
        if (kept.length) this.byCamera.set(a.cameraId, kept);
        else this.byCamera.delete(a.cameraId);
        touched.add(a.cameraId);
      }
    this.ordered = null; // sorted when the panel asks: wall windows never do
    this.version++;
    this.listeners.forEach((l) => l());
    for (const id of touched) this.cameraListeners.get(id)?.forEach((l) => l());
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  subscribeCamera(cameraId: string, l: () => void): () => void {
    let set = this.cameraListeners.get(cameraId);
    if (!set) this.cameraListeners.set(cameraId, (set = new Set()));
    set.add(l);
    return () => {
      set.delete(l);
      if (!set.size) this.cameraListeners.delete(cameraId);
    };
  }
  snapshot = (): number => this.version;
  list(): readonly AlertView[] {
    this.ordered ??= [...this.byId.values()].sort((a, b) => b.receivedAt - a.receivedAt || (a.id < b.id ? 1 : -1));
    return this.ordered;
  }
  forCamera(cameraId: string): readonly AlertView[] {
    return this.byCamera.get(cameraId) ?? EMPTY;
  }
  /** How many cameras have alerts kept for their overlays (bounded by the 2,000 alerts kept). */
  get camerasWithAlerts(): number {
    return this.byCamera.size;
  }
}

export const AlertContext = createContext<AlertStore | null>(null);

/** Re-renders when anything in the store changes (the panel, the banner). */
export function useAlertStore(): AlertStore | null {
  const store = useContext(AlertContext);
  useSyncExternalStore(store?.subscribe ?? noopSubscribe, store?.snapshot ?? zero);
  return store;
}

/**
 * One value picked from the store (backend state, the alarm on a tile, …): re-renders only when that
 * value changes, not on every alert. `select` must return a primitive or a kept reference.
 */
export function useAlertSelector<T>(select: (store: AlertStore) => T, fallback: T): T {
  const store = useContext(AlertContext);
  return useSyncExternalStore(store?.subscribe ?? noopSubscribe, () => (store ? select(store) : fallback));
}

/** Re-renders only when this camera's alerts (or the overlay config) change. */
export function useCameraAlerts(cameraId: string): { alerts: readonly AlertView[]; config: AlertConfig | null } {
  const store = useContext(AlertContext);
  const alerts = useSyncExternalStore(
    (l) => store?.subscribeCamera(cameraId, l) ?? (() => undefined),
    () => store?.forCamera(cameraId) ?? EMPTY,
  );
  return { alerts, config: store?.config ?? null };
}

const noopSubscribe = () => () => undefined;
const zero = () => 0;
