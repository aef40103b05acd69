/**
 * Which display shows which wall monitor, and the windows that follow from it (runtime: Electron
 * main, but Electron-free: displays and windows are injected, so this is unit-tested with them mocked).
 *
 * The primary display carries the operator's control window. Every other display carries one
 * fullscreen wall window. Monitor numbers are stable: a display gets back the number it had (by
 * display id, remembered across restarts); a new display takes the lowest number not on a screen,
 * so a monitor whose display was unplugged comes back on the next display plugged in. Nothing is
 * lost meanwhile: the monitor's content stays in the wall (main), waiting, and the operator can swap
 * it onto any display (wall.swapMonitors).
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface DisplayLike {
  id: number;
  bounds: Bounds;
}

export interface Placement {
  control: DisplayLike;
  walls: { display: DisplayLike; monitor: number }[];
  /** Display id → monitor number, to persist (includes displays not connected now). */
  remembered: Record<string, number>;
}

/** Primary display first, then left-to-right, top-to-bottom. */
export function orderDisplays<D extends DisplayLike>(displays: D[], primaryId: number): D[] {
  return [...displays].sort((a, b) => {
    if (a.id === primaryId) return -1;
    if (b.id === primaryId) return 1;
    return a.bounds.x - b.bounds.x || a.bounds.y - b.bounds.y;
  });
}

export function placeDisplays(displays: DisplayLike[], primaryId: number, remembered: Record<string, number>): Placement {
  if (displays.length === 0) throw new Error('no display connected');
  const [control, ...others] = orderDisplays(displays, primaryId);
  const taken = new Set<number>();
  const assigned = new Map<number, number>();
  // Displays we know keep their number.
  for (const d of others) {
    const n = remembered[String(d.id)];
    if (n !== undefined && !taken.has(n)) {
      taken.add(n);
      assigned.set(d.id, n);
    }
  }
  // New displays take the lowest number not on a screen (a waiting monitor first).
  for (const d of others) {
    if (assigned.has(d.id)) continue;
    let n = 1;
    while (taken.has(n)) n++;
    taken.add(n);
    assigned.set(d.id, n);
  }
  const walls = others.map((display) => ({ display, monitor: assigned.get(display.id)! }));
  const next = { ...remembered };
  for (const w of walls) {
    // One display per number: a display that took over a number replaces the old owner's memory of it.
    for (const [id, n] of Object.entries(next)) if (n === w.monitor && id !== String(w.display.id)) delete next[id];
    next[String(w.display.id)] = w.monitor;
  }
  return { control: control!, walls, remembered: next };
}

export function wallWindowOptions(display: DisplayLike, monitor: number, webPreferences: BrowserWindowConstructorOptions['webPreferences']): BrowserWindowConstructorOptions {
  const { x, y, width, height } = display.bounds;
  return { x, y, width, height, fullscreen: true, autoHideMenuBar: true, backgroundColor: '#05070a', title: `Pantau · Monitor ${monitor}`, show: false, webPreferences };
}

export function controlWindowOptions(display: DisplayLike, webPreferences: BrowserWindowConstructorOptions['webPreferences']): BrowserWindowConstructorOptions {
  const { x, y, width, height } = display.bounds;
  return { x, y, width, height, autoHideMenuBar: true, backgroundColor: '#05070a', title: 'Pantau', show: false, webPreferences };
}

/** The part of a BrowserWindow the reconciler uses. */
export interface WallWindow {
  setBounds(bounds: Bounds): void;
  close(): void;
  isDestroyed(): boolean;
}

/**
 * Keeps one wall window per placed monitor: creates windows for monitors that got a display, closes
 * those whose display went away, and moves the rest when a display's bounds change.
 */
export class WallWindows<W extends WallWindow> {
  readonly windows = new Map<number, { window: W; displayId: number }>();

  constructor(private readonly create: (monitor: number, display: DisplayLike) => W) {}

  reconcile(placement: Placement): { created: number[]; closed: number[]; moved: number[] } {
    const wanted = new Map(placement.walls.map((w) => [w.monitor, w.display]));
    const created: number[] = [];
    const closed: number[] = [];
    const moved: number[] = [];
    for (const [monitor, entry] of [...this.windows]) {
      const display = wanted.get(monitor);
      if (!display || entry.window.isDestroyed()) {
        if (!entry.window.isDestroyed()) entry.window.close();
        this.windows.delete(monitor);
        closed.push(monitor);
      } else {
        entry.window.setBounds(display.bounds);
        entry.displayId = display.id;
        moved.push(monitor);
      }
    }
    for (const [monitor, display] of wanted) {
      if (this.windows.has(monitor)) continue;
      this.windows.set(monitor, { window: this.create(monitor, display), displayId: display.id });
      created.push(monitor);
    }
    return { created, closed, moved };
  }

  /** A window the user (or a crash) closed: forget it, so the next reconcile recreates it. */
  forget(monitor: number): void {
    this.windows.delete(monitor);
  }
}
