/**
 * Wires the CCTV keyboard grammar to a window (runtime: browser): keys typed anywhere but in a text
 * field go through `press`, and the actions it returns become console commands. Failures (an unknown
 * camera number, no earlier camera) come back as a message for the keypad line.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ConsoleApi, WallState } from '../../../preload/contract';
import { LAYOUTS } from '../../../preload/layouts';
import { initialKeys, press, type KeyAction, type KeyContext, type KeyErrorCode, type KeyState } from './grammar';

export type KeyMessage = { kind: 'error'; code: KeyErrorCode; value: string } | { kind: 'failed'; error: unknown };

export function contextOf(wall: WallState | null): KeyContext {
  const m = (n: number) => wall?.monitors.find((x) => x.monitor === n);
  return {
    monitors: wall?.monitors.map((x) => x.monitor) ?? [],
    tilesOf: (n) => m(n)?.tiles.length ?? 0,
    colsOf: (n) => {
      const mon = m(n);
      return mon ? LAYOUTS[mon.layout].cols : 1;
    },
    enlarged: (n) => m(n)?.enlarged ?? null,
  };
}

export async function runKeyAction(api: ConsoleApi, wall: WallState | null, a: KeyAction): Promise<unknown> {
  switch (a.kind) {
    case 'route':
      return api.call('wall.route', { monitor: a.monitor, tile: a.tile, number: a.number });
    case 'enlarge':
      return api.call('wall.enlarge', { monitor: a.monitor, tile: a.tile });
    case 'layout':
      return api.call('wall.setLayout', { monitor: a.monitor, layout: a.layout });
    case 'step':
      return api.call('wall.step', { monitor: a.monitor, tile: a.tile, direction: a.direction });
    case 'history':
      return api.call('wall.history', { monitor: a.monitor, tile: a.tile, direction: a.direction });
    case 'page':
      return api.call('wall.page', { monitor: a.monitor, to: a.to });
    case 'sequence': {
      const running = wall?.monitors.find((m) => m.monitor === a.monitor)?.view?.sequence;
      if (running && a.dwellSeconds === null) return api.call('wall.sequence', { monitor: a.monitor, action: 'stop' });
      return api.call('wall.sequence', { monitor: a.monitor, action: 'start', dwellSeconds: a.dwellSeconds ?? 5 });
    }
    case 'clear':
      return api.call('wall.assign', { monitor: a.monitor, tile: a.tile, cameraId: null });
    case 'identify':
      return api.call('wall.identify', {});
    case 'preset':
      return api.call('presets.load', { number: a.number });
  }
}

function inTextField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

export function useKeyboard(api: ConsoleApi, wall: WallState | null, defaultMonitor: number) {
  const [keys, setKeys] = useState<KeyState>(() => initialKeys(defaultMonitor));
  const [message, setMessage] = useState<KeyMessage | null>(null);
  const ref = useRef({ keys, wall });
  ref.current = { keys, wall };

  useEffect(() => {
    if (!message) return;
    const id = window.setTimeout(() => setMessage(null), 5_000);
    return () => window.clearTimeout(id);
  }, [message]);

  // Added as the window is committed, not after it is painted (a passive effect runs in a later task,
  // and a key pressed as the wall first shows would be handled before it, and lost).
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || inTextField(e.target)) return;
      const { keys: state, wall: w } = ref.current;
      const r = press(state, e.key, contextOf(w));
      if (r.state === state && !r.action && !r.error) return;
      e.preventDefault();
      setKeys(r.state);
      setMessage(r.error ? { kind: 'error', ...r.error } : null);
      if (r.action) {
        runKeyAction(api, w, r.action).catch((error: unknown) => setMessage({ kind: 'failed', error }));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [api]);

  const select = useCallback((monitor: number, tile: number) => setKeys((k) => ({ ...k, monitor, tile })), []);
  const closeHelp = useCallback(() => setKeys((k) => ({ ...k, help: false })), []);
  const toggleHelp = useCallback(() => setKeys((k) => ({ ...k, help: !k.help })), []);
  return { keys, message, select, closeHelp, toggleHelp, setMessage };
}
