/**
 * Picks the ConsoleApi (runtime: browser): Electron's preload exposes window.pantau; in a plain browser
 * we build the WebSocket client and expose it as window.pantau too, so automation and UI share one API.
 */
import type { ConsoleApi } from '../../../preload/contract';
import { WsConsoleClient } from './ws-client';

declare global {
  interface Window {
    pantau?: ConsoleApi;
  }
}

export function getConsoleApi(): ConsoleApi {
  if (window.pantau) return window.pantau;
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const client = new WsConsoleClient(`${proto}//${location.host}/api/ws`);
  Object.defineProperty(window, 'pantau', { value: client, writable: false, configurable: false });
  return client;
}
