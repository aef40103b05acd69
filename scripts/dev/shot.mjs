import { chromium } from 'playwright-core';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
});
const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
page.on('console', (m) => console.log('console', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror', e.message));
const t0 = Date.now();
await page.goto(process.argv[2] ?? 'http://127.0.0.1:4173/');
await page.waitForFunction(() => document.querySelectorAll('[data-tile][data-state="live"]').length === 4, null, { timeout: 30000 }).catch((e) => console.log('timeout', e.message));
console.log('all live after', Date.now() - t0, 'ms');
await page.waitForTimeout(3000);
console.log(
  await page.evaluate(() =>
    [...document.querySelectorAll('[data-tile]')].map((t) => {
      const v = t.querySelector('video');
      const q = v?.getVideoPlaybackQuality();
      return `${t.dataset.tile} ${t.dataset.camera} ${t.dataset.state} frames=${q?.totalVideoFrames} dropped=${q?.droppedVideoFrames} lag=${v && v.buffered.length ? (v.buffered.end(v.buffered.length - 1) - v.currentTime).toFixed(2) : '-'}`;
    }),
  ),
);
await page.screenshot({ path: '/tmp/shots/wall.png' });
await browser.close();
