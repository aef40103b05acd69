/**
 * The CCTV keyboard grammar (runtime: browser, but pure): `press(state, key, ctx)`.
 *
 * Operators type a number, then say what it is, the way CCTV keyboards work:
 *   2 M      monitor 2            5 T      tile 5           10234 C (or Enter)   camera 10234 to that tile
 *   4 L      layout 4x4 (1..8; 15 = 1+5, 17 = 1+7, 112 = 1+12, 28 = 2+8)
 *   Enter    enlarge the selected tile (main stream)          Esc      back to the layout / clear the entry
 *   N / P    next / previous camera on the tile               B / F    back / forward in the tile's history
 *   3 P      load layout preset 3 (P without a number: previous camera)
 *   PageDown / PageUp  next / previous page                   S        start or stop the sequence (6 S: 6 s dwell)
 *   Arrows   move the tile selection     Delete   clear the tile     I   identify monitors     ?   this help
 * So "2 M 5 T 10234 C" routes camera 10234 to monitor 2, tile 5.
 */
import { LAYOUTS } from '../../../preload/layouts';
import type { LayoutId } from '../../../preload/contract';

export interface KeyState {
  /** Digits typed so far. */
  buffer: string;
  monitor: number;
  tile: number;
  help: boolean;
}

export interface KeyContext {
  monitors: readonly number[];
  tilesOf(monitor: number): number;
  colsOf(monitor: number): number;
  enlarged(monitor: number): number | null;
}

export type KeyAction =
  | { kind: 'route'; monitor: number; tile: number; number: number }
  | { kind: 'enlarge'; monitor: number; tile: number | null }
  | { kind: 'layout'; monitor: number; layout: LayoutId }
  | { kind: 'step'; monitor: number; tile: number; direction: 'next' | 'prev' }
  | { kind: 'history'; monitor: number; tile: number; direction: 'back' | 'forward' }
  | { kind: 'page'; monitor: number; to: 'next' | 'prev' }
  | { kind: 'sequence'; monitor: number; dwellSeconds: number | null }
  | { kind: 'clear'; monitor: number; tile: number }
  | { kind: 'preset'; number: number }
  | { kind: 'identify' };

export type KeyErrorCode = 'noMonitor' | 'noTile' | 'noLayout' | 'needNumber' | 'tooLong' | 'badDwell';
export interface KeyResult {
  state: KeyState;
  action?: KeyAction;
  error?: { code: KeyErrorCode; value: string };
}

export const MAX_DIGITS = 8;
export const LAYOUT_CODES: Record<string, LayoutId> = {
  '1': '1x1',
  '2': '2x2',
  '3': '3x3',
  '4': '4x4',
  '5': '5x5',
  '6': '6x6',
  '7': '7x7',
  '8': '8x8',
  '15': '1+5',
  '17': '1+7',
  '112': '1+12',
  '28': '2+8',
};

export function initialKeys(monitor: number): KeyState {
  return { buffer: '', monitor, tile: 1, help: false };
}

/** Every shortcut, for the help overlay: [keys, message key]. */
export const SHORTCUTS: readonly [string, string][] = [
  ['2 M', 'help.monitor'],
  ['5 T', 'help.tile'],
  ['10234 C / Enter', 'help.camera'],
  ['4 L · 17 L', 'help.layout'],
  ['Enter · dbl-click', 'help.enlarge'],
  ['Esc', 'help.escape'],
  ['N / P', 'help.step'],
  ['3 P', 'help.preset'],
  ['B / F', 'help.history'],
  ['PageDown / PageUp', 'help.page'],
  ['S · 6 S', 'help.sequence'],
  ['← ↑ → ↓', 'help.arrows'],
  ['Delete', 'help.clear'],
  ['Backspace', 'help.backspace'],
  ['I', 'help.identify'],
  ['?', 'help.help'],
];

export function press(state: KeyState, key: string, ctx: KeyContext): KeyResult {
  const { buffer, monitor, tile } = state;
  const clear = { ...state, buffer: '' };
  const number = buffer === '' ? null : Number(buffer);
  if (/^[0-9]$/.test(key)) {
    if (buffer.length >= MAX_DIGITS) return { state, error: { code: 'tooLong', value: buffer } };
    return { state: { ...state, buffer: buffer + key } };
  }
  const k = key.length === 1 ? key.toUpperCase() : key;
  switch (k) {
    case 'Backspace':
      return { state: { ...state, buffer: buffer.slice(0, -1) } };
    case '?':
      return { state: { ...clear, help: !state.help } };
    case 'Escape':
      if (state.help) return { state: { ...state, help: false } };
      if (buffer) return { state: clear };
      return ctx.enlarged(monitor) !== null ? { state, action: { kind: 'enlarge', monitor, tile: null } } : { state };
    case 'M': {
      if (number === null) return { state, error: { code: 'needNumber', value: 'M' } };
      if (!ctx.monitors.includes(number)) return { state: clear, error: { code: 'noMonitor', value: buffer } };
      return { state: { ...clear, monitor: number, tile: Math.min(tile, ctx.tilesOf(number)) } };
    }
    case 'T': {
      if (number === null) return { state, error: { code: 'needNumber', value: 'T' } };
      if (number < 1 || number > ctx.tilesOf(monitor)) return { state: clear, error: { code: 'noTile', value: buffer } };
      return { state: { ...clear, tile: number } };
    }
    case 'C':
    case 'Enter':
      if (number === null) {
        if (k === 'C') return { state, error: { code: 'needNumber', value: 'C' } };
        return { state, action: { kind: 'enlarge', monitor, tile } };
      }
      return { state: clear, action: { kind: 'route', monitor, tile, number } };
    case 'L': {
      const layout = LAYOUT_CODES[buffer];
      if (!layout) return { state: clear, error: { code: buffer ? 'noLayout' : 'needNumber', value: buffer || 'L' } };
      return { state: { ...clear, tile: Math.min(tile, LAYOUTS[layout].tiles.length) }, action: { kind: 'layout', monitor, layout } };
    }
    case 'N':
    case 'P':
      if (k === 'P' && number !== null) return { state: clear, action: { kind: 'preset', number } };
      return { state: clear, action: { kind: 'step', monitor, tile, direction: k === 'N' ? 'next' : 'prev' } };
    case 'B':
    case 'F':
      return { state: clear, action: { kind: 'history', monitor, tile, direction: k === 'B' ? 'back' : 'forward' } };
    case 'PageDown':
    case 'PageUp':
      return { state: clear, action: { kind: 'page', monitor, to: k === 'PageDown' ? 'next' : 'prev' } };
    case 'S':
      if (number !== null && (number < 3 || number > 3600)) return { state: clear, error: { code: 'badDwell', value: buffer } };
      return { state: clear, action: { kind: 'sequence', monitor, dwellSeconds: number } };
    case 'Delete':
      return { state: clear, action: { kind: 'clear', monitor, tile } };
    case 'I':
      return { state: clear, action: { kind: 'identify' } };
    case 'ArrowLeft':
    case 'ArrowRight':
    case 'ArrowUp':
    case 'ArrowDown': {
      const cols = ctx.colsOf(monitor);
      const delta = k === 'ArrowLeft' ? -1 : k === 'ArrowRight' ? 1 : k === 'ArrowUp' ? -cols : cols;
      const moved = tile + delta;
      return { state: { ...state, tile: moved >= 1 && moved <= ctx.tilesOf(monitor) ? moved : tile } };
    }
    default:
      return { state };
  }
}

/** The entry as the keypad line shows it, e.g. "MON 2 · TILE 5 · 1023_". */
export function describeEntry(state: KeyState): string {
  return `MON ${state.monitor} · TILE ${state.tile}${state.buffer ? ` · ${state.buffer}_` : ''}`;
}
