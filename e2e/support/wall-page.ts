/**
 * Page object for a wall monitor. Reads state only through data-* hooks and window.pantau.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { countFrames } from './probes';

export class WallPage {
  constructor(readonly page: Page) {}

  tiles(monitor = 1): Locator {
    return this.page.locator(`.monitor[data-monitor="${monitor}"] [data-tile]`);
  }
  tile(monitor: number, tile: number): Locator {
    return this.page.locator(`[data-monitor="${monitor}"][data-tile="${tile}"]`);
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.tiles().first()).toBeVisible();
  }

  /** The demo's starting wall: monitor 1, 2x2, the catalog's first four cameras (Miroto, Semarang Tengah). */
  async resetToDemoWall(): Promise<void> {
    await this.page.evaluate(async () => {
      const first = await window.pantau!.call('catalog.search', { query: '', limit: 4 });
      await window.pantau!.call('wall.showCameras', { monitor: 1, cameraIds: first.map((c) => c.id), layout: '2x2' });
    });
  }

  async expectAllLive(count: number, timeout = 45_000): Promise<void> {
    try {
      await expect(this.page.locator('[data-tile][data-state="live"]')).toHaveCount(count, { timeout });
    } catch (err) {
      // Say which tiles are not live, and why, rather than only how many are.
      const tiles = await this.page.locator('[data-tile]').evaluateAll((els) =>
        els.map((e) => `${(e as HTMLElement).dataset.monitor}:${(e as HTMLElement).dataset.tile} ${(e as HTMLElement).dataset.camera} ${(e as HTMLElement).dataset.state} ${e.querySelector('.tile-problem')?.textContent ?? ''} videos=${e.querySelectorAll('video').length}`),
      );
      throw new Error(`${(err as Error).message}\ntiles:\n  ${tiles.join('\n  ')}`);
    }
  }

  /** Frames presented per tile ("monitor:tile"), counted with requestVideoFrameCallback over `ms`. */
  async framesPresented(ms: number): Promise<Record<string, number>> {
    const keys = await this.page.locator('[data-tile]').evaluateAll((els) => els.map((t) => `${(t as HTMLElement).dataset.monitor}:${(t as HTMLElement).dataset.tile}`));
    const hasVideo = await this.page.locator('[data-tile]').evaluateAll((els) => els.map((t) => t.querySelector('video') !== null));
    const counts = (await this.page.evaluate(countFrames, ms)).callbacks;
    // Videos are in document order, tile by tile; empty tiles have none and count zero.
    let k = 0;
    return Object.fromEntries(keys.map((key, i) => [key, hasVideo[i] ? counts[k++]! : 0]));
  }

  /** getVideoPlaybackQuality totals per tile, a second, independent frame count. */
  async playbackQuality(): Promise<Record<string, { total: number; dropped: number }>> {
    return this.page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll<HTMLElement>('[data-tile]')].map((t) => {
          const q = t.querySelector('video')?.getVideoPlaybackQuality();
          return [`${t.dataset.monitor}:${t.dataset.tile}`, { total: q?.totalVideoFrames ?? 0, dropped: q?.droppedVideoFrames ?? 0 }];
        }),
      ),
    );
  }
}
