// Dev tool: traces one stream open in the page (message arrivals, appends, first frame).
import { chromium } from 'playwright-core';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
});
const page = await browser.newPage();
await page.goto(process.argv[2] ?? 'http://127.0.0.1:4173/wall/1');
const cam = process.argv[3] ?? 'rt-3374011001-01-01';
for (let round = 0; round < 2; round++) {
  const log = await page.evaluate(async (cam) => {
    const t0 = performance.now();
    const ev = [];
    const mark = (m) => ev.push(`${(performance.now() - t0).toFixed(0)} ${m}`);
    const { url } = await window.pantau.call('stream.open', { cameraId: cam, quality: 'main' });
    mark('ticket');
    const v = document.createElement('video');
    v.muted = true;
    document.body.append(v);
    const ms = new MediaSource();
    v.src = URL.createObjectURL(ms);
    await new Promise((r) => ms.addEventListener('sourceopen', r, { once: true }));
    mark('sourceopen');
    let sb = null,
      q = [],
      expectInit = false,
      codec = '',
      n = 0;
    const pump = () => {
      if (sb && !sb.updating && q.length) sb.appendBuffer(q.shift());
    };
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => mark('ws open');
    return await new Promise((resolve) => {
      v.requestVideoFrameCallback((_n, meta) => {
        mark(`first frame mediaTime=${meta.mediaTime.toFixed(2)} buffered=${v.buffered.start(0).toFixed(2)}-${v.buffered.end(0).toFixed(2)}`);
        ws.close();
        resolve(ev);
      });
      ws.onmessage = (e) => {
        if (typeof e.data === 'string') {
          const m = JSON.parse(e.data);
          if (m.type === 'init') {
            expectInit = true;
            codec = m.codec;
          }
          mark(`text ${m.type} ${m.state ?? m.codec}`);
          return;
        }
        n++;
        if (expectInit) {
          expectInit = false;
          sb = ms.addSourceBuffer(`video/mp4; codecs="${codec}"`);
          sb.mode = 'segments';
          sb.onupdateend = () => {
            if (v.buffered.length && v.buffered.end(0) - v.currentTime > 0.8) {
              v.currentTime = v.buffered.end(0) - 0.1;
              mark(`seek to ${v.currentTime.toFixed(2)}`);
            }
            v.play().catch(() => {});
            pump();
          };
          mark('init');
        } else if (n < 4 || n % 10 === 0) mark(`frag ${n}`);
        q.push(e.data);
        pump();
      };
    });
  }, cam);
  console.log(`round ${round}:\n  ` + log.join('\n  '));
}
await browser.close();
