/**
 * Page object for a wall monitor. Reads state only through data-* hooks and window.pantau.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { tileFrames } from './tile-frames';

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
      const tiles = await this.page
        .locator('[data-tile]')
        .evaluateAll((els) =>
          els.map(
            (e) =>
              `${(e as HTMLElement).dataset.monitor}:${(e as HTMLElement).dataset.tile} ${(e as HTMLElement).dataset.camera} ${(e as HTMLElement).dataset.state} ${e.querySelector('.tile-problem')?.textContent ?? ''} videos=${e.querySelectorAll('video').length}`,
          ),
        );
      throw new Error(`${(err as Error).message}\ntiles:\n  ${tiles.join('\n  ')}`, { cause: err });
    }
  }

  /** Pictures each tile ("monitor:tile") put on screen over `ms`, canvas or video (tile-frames.ts). */
  async framesPresented(ms: number): Promise<Record<string, number>> {
    const f = await tileFrames(this.page, ms);
    return Object.fromEntries(f.keys.map((k, i) => [k, f.callbacks[i]!]));
  }

  /** How each tile ("monitor:tile") plays: 'canvas' (WebCodecs or MPEG-1 in the media worker), 'video' or 'none'. */
  async playsVia(): Promise<Record<string, string>> {
    const f = await tileFrames(this.page, 0);
    return Object.fromEntries(f.keys.map((k, i) => [k, f.via[i]!]));
  }

  /**
   * A second, independent proof that pictures advance, from what is on screen: how many of `shots`
   * screenshots of each tile, `gapMs` apart, differ from the one before (the demo cameras burn a
   * clock and frame number into every picture).
   */
  async pictureChanges(shots = 4, gapMs = 400): Promise<Record<string, number>> {
    const keys = await this.page.locator('[data-tile]').evaluateAll((els) => els.map((t) => `${(t as HTMLElement).dataset.monitor}:${(t as HTMLElement).dataset.tile}`));
    const last: (Buffer | null)[] = keys.map(() => null);
    const changes = keys.map(() => 0);
    for (let s = 0; s < shots; s++) {
      for (const [i, key] of keys.entries()) {
        const [m, t] = key.split(':');
        // Only the picture: the tile's captions and state dot are hidden from the screenshot.
        const png = await this.tile(Number(m), Number(t)).screenshot({ mask: [this.page.locator('.tile-caption, .tile-number, [data-testid=tile-state-label]')] });
        if (last[i] && !png.equals(last[i])) changes[i]!++;
        last[i] = png;
      }
      await this.page.waitForTimeout(gapMs);
    }
    return Object.fromEntries(keys.map((k, i) => [k, changes[i]!]));
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
