/** Headless Debian Chromium for benchmarks, with the flags this machine needs. */
import { chromium, type Browser, type Page } from 'playwright-core';

export function launch(extra: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
      ...extra,
    ],
  });
}

/**
 * Waits up to 90 s for all `n` tiles of a wall window to be live. A wall that is not all live by then
 * is measured anyway: the figures show it.
 */
export function waitForLiveTiles(page: Page, n: number): Promise<void> {
  return page
    .waitForFunction((n) => document.querySelectorAll('[data-tile][data-state="live"]').length === n, n, { timeout: 90_000 })
    .then(
      () => undefined,
      () => undefined,
    );
}
