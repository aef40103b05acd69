/**
 * One fullscreen wall window per display (runtime: Electron main, but Electron is injected so this is
 * testable with it mocked). Monitor N is display N in the order Electron lists displays, primary first.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Display } from 'electron';

export interface WindowFactory {
  create(options: BrowserWindowConstructorOptions): BrowserWindow;
}

/** Primary display first, then left-to-right, top-to-bottom: stable numbers for the operator. */
export function orderDisplays(displays: Display[], primaryId: number): Display[] {
  return [...displays].sort((a, b) => {
    if (a.id === primaryId) return -1;
    if (b.id === primaryId) return 1;
    return a.bounds.x - b.bounds.x || a.bounds.y - b.bounds.y;
  });
}

export function wallWindowOptions(display: Display, monitor: number, webPreferences: BrowserWindowConstructorOptions['webPreferences']): BrowserWindowConstructorOptions {
  const { x, y, width, height } = display.bounds;
  return {
    x,
    y,
    width,
    height,
    fullscreen: true,
    autoHideMenuBar: true,
    backgroundColor: '#05070a',
    title: `Pantau · Monitor ${monitor}`,
    show: false,
    webPreferences,
  };
}
