// window.pantau as the page exposes it (see renderer/src/bridge/bridge.ts).
import type { ConsoleApi } from '../../preload/contract';

declare global {
  interface Window {
    pantau?: ConsoleApi;
  }
}
export {};
