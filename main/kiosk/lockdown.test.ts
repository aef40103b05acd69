import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kioskWindowOptions } from '../electron/kiosk-window';
import { CRASH_WINDOW_MS, FRESH_RECOVERY, HANG_GRACE_MS, kioskKeyVerdict, recoveryAction, type KeyInput, type RecoveryState } from './lockdown';

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({ type: 'keyDown', key: k, code: mods.code ?? k, control: false, alt: false, shift: false, meta: false, ...mods });
const locked = { maintenance: false };

describe('kiosk keys', () => {
  it('blocks quit, close, reload, devtools, zoom, print, navigation and window switching', () => {
    const blocked: [string, KeyInput][] = [
      ['Ctrl+Q quit', key('q', { control: true })],
      ['Ctrl+W close', key('w', { control: true })],
      ['Alt+F4 close', key('F4', { alt: true })],
      ['Ctrl+R reload', key('r', { control: true })],
      ['Ctrl+Shift+R reload', key('R', { control: true, shift: true })],
      ['F5 reload', key('F5')],
      ['F11 fullscreen', key('F11')],
      ['F12 devtools', key('F12')],
      ['Ctrl+Shift+I devtools', key('I', { control: true, shift: true })],
      ['Ctrl+Shift+J console', key('J', { control: true, shift: true })],
      ['Ctrl+= zoom in', key('=', { control: true })],
      ['Ctrl+- zoom out', key('-', { control: true })],
      ['Ctrl+0 zoom reset', key('0', { control: true })],
      ['Ctrl+P print', key('p', { control: true })],
      ['Ctrl+Tab', key('Tab', { control: true })],
      ['Alt+Tab', key('Tab', { alt: true })],
      ['Alt+Left back', key('ArrowLeft', { alt: true })],
      ['Super', key('Meta', { meta: true })],
      ['Super+D', key('d', { meta: true })],
      ['browser back key', key('BrowserBack')],
      ['browser refresh key', key('BrowserRefresh')],
      ['context menu key', key('ContextMenu')],
      ['Ctrl+L', key('l', { control: true })],
      ['Ctrl+N new window', key('n', { control: true })],
    ];
    for (const [what, input] of blocked) expect(kioskKeyVerdict(input, locked), what).toBe('block');
  });

  it('lets the PIN pad and the unlock chord through', () => {
    for (const k of ['0', '5', '9', 'Enter', 'Backspace', 'Escape']) expect(kioskKeyVerdict(key(k), locked), k).toBe('allow');
    expect(kioskKeyVerdict(key('K', { control: true, alt: true, shift: true }), locked)).toBe('allow');
    expect(kioskKeyVerdict(key('k', { control: true, alt: true, shift: true }), locked)).toBe('allow');
    // Not the chord: a modifier short, or Super added.
    expect(kioskKeyVerdict(key('K', { control: true, alt: true }), locked)).toBe('block');
    expect(kioskKeyVerdict(key('K', { control: true, alt: true, shift: true, meta: true }), locked)).toBe('block');
  });

  it('allows text editing shortcuts only in maintenance, and never reload there', () => {
    expect(kioskKeyVerdict(key('v', { control: true }), locked)).toBe('block');
    expect(kioskKeyVerdict(key('v', { control: true }), { maintenance: true })).toBe('allow');
    expect(kioskKeyVerdict(key('a', { control: true }), { maintenance: true })).toBe('allow');
    expect(kioskKeyVerdict(key('r', { control: true }), { maintenance: true })).toBe('block');
    expect(kioskKeyVerdict(key('F5'), { maintenance: true })).toBe('block');
    expect(kioskKeyVerdict(key('I', { control: true, shift: true }), { maintenance: true })).toBe('block');
  });
});

describe('kiosk renderer recovery', () => {
  it('recreates a crashed window after 1 s, after 10 s from the third crash, and restarts the app at the fifth within 10 minutes', () => {
    let state: RecoveryState = FRESH_RECOVERY;
    const steps: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = recoveryAction(state, { kind: 'gone', reason: 'crashed' }, 1_000_000 + i * 60_000);
      state = r.state;
      steps.push(r.next.action === 'recreate' ? `recreate ${r.next.delayMs}` : r.next.action);
    }
    expect(steps).toEqual(['recreate 1000', 'recreate 1000', 'recreate 10000', 'recreate 10000', 'relaunch']);
  });

  it('forgets crashes older than the window', () => {
    let state: RecoveryState = FRESH_RECOVERY;
    for (let i = 0; i < 4; i++) state = recoveryAction(state, { kind: 'gone', reason: 'oom' }, i * 1000).state;
    const later = recoveryAction(state, { kind: 'gone', reason: 'oom' }, 3_000 + CRASH_WINDOW_MS);
    expect(later.next).toEqual({ action: 'recreate', delayMs: 1_000 });
    expect(later.state.crashes).toHaveLength(1);
  });

  it('gives a hung renderer a grace period, then kills and reloads it; one that answers again is left alone', () => {
    const hung = recoveryAction(FRESH_RECOVERY, { kind: 'unresponsive' }, 0);
    expect(hung.next).toEqual({ action: 'wait', delayMs: HANG_GRACE_MS });
    expect(recoveryAction(hung.state, { kind: 'hang-check' }, 4_000).next).toEqual({ action: 'wait', delayMs: HANG_GRACE_MS - 4_000 });
    expect(recoveryAction(hung.state, { kind: 'hang-check' }, HANG_GRACE_MS).next).toEqual({ action: 'kill-and-reload' });
    const back = recoveryAction(hung.state, { kind: 'responsive' }, 5_000);
    expect(recoveryAction(back.state, { kind: 'hang-check' }, HANG_GRACE_MS).next).toEqual({ action: 'none' });
  });

  it('loads a page that failed to load again after 3 s (main still starting)', () => {
    expect(recoveryAction(FRESH_RECOVERY, { kind: 'load-failed' }, 0).next).toEqual({ action: 'reload', delayMs: 3_000 });
  });
});

describe('the kiosk window and its autostart files', () => {
  it('is a fullscreen kiosk window without a frame, that cannot be closed, and has devtools off', () => {
    const o = kioskWindowOptions({ x: 0, y: 0, width: 1600, height: 900 }, { sandbox: true, contextIsolation: true, devTools: true });
    expect(o).toMatchObject({ kiosk: true, fullscreen: true, frame: false, closable: false, minimizable: false, resizable: false, movable: false, show: false });
    expect(o.webPreferences).toMatchObject({ devTools: false, sandbox: true, contextIsolation: true });
  });

  it('ships a systemd user unit that restarts a crashed kiosk, and an XDG autostart entry, both starting it with --kiosk', () => {
    const unit = readFileSync(join(__dirname, '..', '..', 'resources', 'kiosk', 'pantau-kiosk.service'), 'utf8');
    expect(unit).toMatch(/^ExecStart=\S+ --kiosk \S+$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^WantedBy=graphical-session\.target$/m);
    const desktop = readFileSync(join(__dirname, '..', '..', 'resources', 'kiosk', 'pantau-kiosk.desktop'), 'utf8');
    expect(desktop).toMatch(/^\[Desktop Entry\]$/m);
    expect(desktop).toMatch(/^Type=Application$/m);
    expect(desktop).toMatch(/^Exec=.*--kiosk /m);
  });
});
