/**
 * Page object for a wall monitor. Reads state only through data-* hooks and window.pantau.
 */
import { expect, type Locator, type Page } from '@playwright/test';

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
    await expect(this.page.locator('[data-tile][data-state="live"]')).toHaveCount(count, { timeout });
  }

  /** Frames presented per tile, counted with requestVideoFrameCallback over `ms`. */
  async framesPresented(ms: number): Promise<Record<string, number>> {
    return this.page.evaluate(
      (ms) =>
        new Promise<Record<string, number>>((resolve) => {
          const counts: Record<string, number> = {};
          const videos = [...document.querySelectorAll<HTMLElement>('[data-tile]')].map((t) => ({ key: `${t.dataset.monitor}:${t.dataset.tile}`, v: t.querySelector('video') }));
          let stop = false;
          for (const { key, v } of videos) {
            counts[key] = 0;
            if (!v) continue;
            let last = -1;
            const cb = (_n: number, meta: VideoFrameCallbackMetadata) => {
              if (stop) return;
              if (meta.mediaTime !== last) counts[key]!++;
              last = meta.mediaTime;
              v.requestVideoFrameCallback(cb);
            };
            v.requestVideoFrameCallback(cb);
          }
          setTimeout(() => {
            stop = true;
            resolve(counts);
          }, ms);
        }),
      ms,
    );
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
