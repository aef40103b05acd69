/** Headless Debian Chromium for benchmarks, with the flags this machine needs. */
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/support/chromium';
import { launchQuiet } from './quiet-devtools';

/**
 * Chromium with a GPU context although this machine has no GPU: SwiftShader (software GL) stands in
 * for it, and compositing stays in software as with `--disable-gpu`. Without any GPU context,
 * Chromium's `drawImage` of a `VideoFrame` in a worker asks the page's main thread, twice per
 * picture, whether one can be made now (SharedGpuContext), and waits for the answer; a machine with
 * a GPU makes the context once and never asks again. On this machine's 8x8 wall those waits were
 * about half of every painter pass (bench/README.md, wall-capacity, session 30).
 */
export const WITH_GPU_CONTEXT: readonly string[] = ['--disable-gpu-compositing', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

/**
 * `quiet`: no DevTools network reporting (quiet-devtools.ts), for benchmarks that measure what a
 * wall costs; Playwright then learns nothing from network events. `gpuContext`: WITH_GPU_CONTEXT
 * instead of `--disable-gpu`.
 */
export function launch(extra: string[] = [], options: { quiet?: boolean; gpuContext?: boolean } = {}): Promise<Browser> {
  const base = options.gpuContext ? [...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'), ...WITH_GPU_CONTEXT] : CHROMIUM_ARGS;
  const args = [...base, ...extra];
  if (options.quiet) return launchQuiet(CHROMIUM_PATH, args);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args });
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

/**
 * The tiles with a camera that are not live, each as "monitor:tile state reason" (e.g. "2:14
 * reconnecting no_picture"): what a run's worst tiles were doing while they were measured. Tiles
 * covered by an enlarged one (idle) and empty tiles are left out.
 */
export function tilesNotLive(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-tile][data-state]')]
      .filter((t) => !['live', 'idle', 'empty'].includes(t.dataset.state!))
      .map((t) => `${t.dataset.monitor ?? '?'}:${t.dataset.tile ?? '?'} ${t.dataset.state} ${t.querySelector<HTMLElement>('[data-reason]')?.dataset.reason ?? ''}`.trim()),
  );
}
