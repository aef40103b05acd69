/**
 * Page object for a wall monitor. Reads state only through data-* hooks and window.pantau.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { LayoutId } from '../../preload/contract';
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
    await this.showFirstCameras(4, '2x2');
  }

  /** Shows the catalog's first `n` cameras on monitor 1 in `layout`; returns their ids. */
  async showFirstCameras(n: number, layout: LayoutId): Promise<string[]> {
    return this.page.evaluate(
      async ([n, layout]) => {
        const ids = (await window.pantau!.call('catalog.search', { query: '', limit: n })).map((c) => c.id);
        await window.pantau!.call('wall.showCameras', { monitor: 1, cameraIds: ids, layout });
        return ids;
      },
      [n, layout] as const,
    );
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
   * clock and frame number into every picture). One screenshot of the page per shot, each tile's part
   * of it compared (decoded in the page): a screenshot per tile took 16 × 3 of them on a 4x4 wall.
   */
  async pictureChanges(shots = 4, gapMs = 400): Promise<Record<string, number>> {
    const tiles = await this.page.locator('[data-tile]').evaluateAll((els) =>
      els.map((t) => {
        const r = t.getBoundingClientRect();
        return { key: `${(t as HTMLElement).dataset.monitor}:${(t as HTMLElement).dataset.tile}`, rect: [r.left, r.top, r.width, r.height].map(Math.round) as [number, number, number, number] };
      }),
    );
    let last: string[] | null = null;
    const changes = tiles.map(() => 0);
    for (let s = 0; s < shots; s++) {
      // Only the pictures: the tiles' captions and state dots are hidden from the screenshot.
      const png = await this.page.screenshot({ mask: [this.page.locator('.tile-caption, .tile-number, [data-testid=tile-state-label]')] });
      const digests = await this.page.evaluate(
        async ({ b64, rects }) => {
          const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
          const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
          ctx.drawImage(bitmap, 0, 0);
          const scale = bitmap.width / innerWidth;
          return Promise.all(
            rects.map(async ([x, y, w, h]) => {
              const px = ctx.getImageData(Math.round(x * scale), Math.round(y * scale), Math.max(1, Math.round(w * scale)), Math.max(1, Math.round(h * scale))).data;
              return [...new Uint8Array(await crypto.subtle.digest('SHA-1', px))].map((b) => b.toString(16).padStart(2, '0')).join('');
            }),
          );
        },
        { b64: png.toString('base64'), rects: tiles.map((t) => t.rect) },
      );
      if (last) digests.forEach((d, i) => d !== last![i] && changes[i]!++);
      last = digests;
      await this.page.waitForTimeout(gapMs);
    }
    return Object.fromEntries(tiles.map((t, i) => [t.key, changes[i]!]));
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
