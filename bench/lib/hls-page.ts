/**
 * The naive HLS page the benchmarks compare against: one <video> and one hls.js per URL, in a page on
 * the console's origin (so playlists are same-origin), with the hls.js build from node_modules.
 */
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';

const hlsScript = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');

export async function openHlsPage(
  browser: Browser,
  origin: string,
  urls: string[],
  options: { bodyStyle: string; videoStyle: string; hlsConfig: Record<string, unknown>; viewport?: { width: number; height: number } },
): Promise<Page> {
  const page = await browser.newPage(options.viewport ? { viewport: options.viewport } : {});
  await page.goto(`${origin}/api/health`);
  await page.setContent(`<body style="${options.bodyStyle}"></body>`);
  await page.addScriptTag({ path: hlsScript });
  await page.evaluate(
    ({ urls, videoStyle, hlsConfig }) => {
      const H = (window as unknown as { Hls: new (c: object) => { loadSource(u: string): void; attachMedia(v: HTMLVideoElement): void } }).Hls;
      for (const url of urls) {
        const v = document.createElement('video');
        v.muted = true;
        v.autoplay = true;
        v.style.cssText = videoStyle;
        document.body.append(v);
        const hls = new H(hlsConfig);
        hls.loadSource(url);
        hls.attachMedia(v);
      }
    },
    { urls, videoStyle: options.videoStyle, hlsConfig: options.hlsConfig },
  );
  return page;
}
