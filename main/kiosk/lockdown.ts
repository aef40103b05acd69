/**
 * The kiosk window's decisions, as pure functions (runtime: anywhere): which keys reach the page, and
 * what to do when its renderer crashes or hangs. The Electron shell (main/electron/kiosk-window.ts)
 * only applies them, so they are tested without Electron. DESIGN.md §7; the README lists the keys.
 *
 * What no application can block is the operating system's own keys (Ctrl+Alt+Del, Ctrl+Alt+F1…F12,
 * the window manager's Super and Alt+Tab bindings): a kiosk machine runs Pantau in a session of its
 * own without them (README, "RT kiosk").
 */
import { KIOSK_UNLOCK_CHORD } from '../../preload/contract.js';

/** Electron's before-input-event input, the fields that matter here. */
export interface KeyInput {
  type: string;
  key: string;
  code: string;
  control: boolean;
  alt: boolean;
  shift: boolean;
  meta: boolean;
}

/** Editing keys a supervisor needs in the maintenance form (Ctrl+…): nothing that reloads, closes, zooms or prints. */
const EDITING = new Set(['a', 'c', 'v', 'x', 'z', 'y']);
/** Keys that act on the browser or the machine, not the page. */
const BROWSER_KEYS = new Set([
  'BrowserBack',
  'BrowserForward',
  'BrowserRefresh',
  'BrowserStop',
  'BrowserSearch',
  'BrowserFavorites',
  'BrowserHome',
  'LaunchApp1',
  'LaunchApp2',
  'LaunchMail',
  'LaunchMediaPlayer',
  'ContextMenu',
  'Props',
  'Help',
  'Print',
  'PrintScreen',
  'Open',
  'Find',
  'ZoomIn',
  'ZoomOut',
  'ZoomToggle',
  'Close',
  'New',
  'Save',
  'Power',
  'PowerOff',
  'Standby',
  'WakeUp',
  'Hibernate',
  'LogOff',
]);

export function isUnlockChord(i: KeyInput): boolean {
  return i.control === KIOSK_UNLOCK_CHORD.control && i.alt === KIOSK_UNLOCK_CHORD.alt && i.shift === KIOSK_UNLOCK_CHORD.shift && !i.meta && i.key.toUpperCase() === KIOSK_UNLOCK_CHORD.key;
}

/**
 * Whether a key may reach the kiosk page. Blocked: every Ctrl, Alt and Meta combination (reload,
 * close, quit, devtools, zoom, print, tab and window switching, back and forward), every function key
 * (F5 reload, F11 fullscreen, F12 devtools, F7 caret browsing) and the browser and launch keys. Let
 * through: the unlock chord, plain keys (the PIN pad's digits, Enter, Backspace, Escape), and in
 * maintenance Ctrl+A/C/V/X/Z/Y for its text fields.
 */
export function kioskKeyVerdict(i: KeyInput, o: { maintenance: boolean }): 'allow' | 'block' {
  if (isUnlockChord(i)) return 'allow';
  if (i.meta) return 'block';
  if (/^F\d{1,2}$/.test(i.key) || /^F\d{1,2}$/.test(i.code)) return 'block';
  if (BROWSER_KEYS.has(i.key) || BROWSER_KEYS.has(i.code)) return 'block';
  if (i.alt) return 'block';
  if (i.control) return o.maintenance && !i.shift && EDITING.has(i.key.toLowerCase()) ? 'allow' : 'block';
  return 'allow';
}

/** What happened to the kiosk's renderer. `hang-check`: a timer set after `unresponsive` has run out. */
export type RendererEvent = { kind: 'gone'; reason: string } | { kind: 'unresponsive' } | { kind: 'responsive' } | { kind: 'hang-check' } | { kind: 'load-failed' };

export interface RecoveryState {
  /** When the renderer died, within the window CRASH_WINDOW_MS. */
  crashes: number[];
  /** Since when it has not answered; null while it answers. */
  unresponsiveSince: number | null;
}

export type RecoveryAction =
  /** Do nothing now (for `wait`, check again after delayMs). */
  | { action: 'none' }
  | { action: 'wait'; delayMs: number }
  /** Load the page again in the same window. */
  | { action: 'reload'; delayMs: number }
  /** Kill the hung renderer, then load the page again. */
  | { action: 'kill-and-reload' }
  /** Close the window and open a new one. */
  | { action: 'recreate'; delayMs: number }
  /** Crashing again and again: restart the whole app (a fresh GPU and network process too). */
  | { action: 'relaunch' };

export const HANG_GRACE_MS = 10_000;
export const CRASH_WINDOW_MS = 10 * 60_000;
/** Crashes within CRASH_WINDOW_MS after which the app restarts itself rather than the window. */
export const CRASHES_BEFORE_RELAUNCH = 5;

export const FRESH_RECOVERY: RecoveryState = { crashes: [], unresponsiveSince: null };

/**
 * The next step after a renderer event. A crash recreates the window, waiting longer after repeated
 * crashes (1 s, then 10 s from the third); the fifth within ten minutes restarts the app. A hang gets
 * HANG_GRACE_MS to recover before its renderer is killed and the page reloaded. A page that failed to
 * load (main still starting) is loaded again after 3 s.
 */
export function recoveryAction(state: RecoveryState, event: RendererEvent, now: number): { state: RecoveryState; next: RecoveryAction } {
  switch (event.kind) {
    case 'gone': {
      const crashes = [...state.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
      const next: RecoveryAction = crashes.length >= CRASHES_BEFORE_RELAUNCH ? { action: 'relaunch' } : { action: 'recreate', delayMs: crashes.length >= 3 ? 10_000 : 1_000 };
      return { state: { crashes, unresponsiveSince: null }, next };
    }
    case 'unresponsive':
      return { state: { ...state, unresponsiveSince: state.unresponsiveSince ?? now }, next: { action: 'wait', delayMs: HANG_GRACE_MS } };
    case 'responsive':
      return { state: { ...state, unresponsiveSince: null }, next: { action: 'none' } };
    case 'hang-check':
      if (state.unresponsiveSince === null) return { state, next: { action: 'none' } };
      if (now - state.unresponsiveSince < HANG_GRACE_MS) return { state, next: { action: 'wait', delayMs: HANG_GRACE_MS - (now - state.unresponsiveSince) } };
      return { state: { ...state, unresponsiveSince: null }, next: { action: 'kill-and-reload' } };
    case 'load-failed':
      return { state, next: { action: 'reload', delayMs: 3_000 } };
  }
}
