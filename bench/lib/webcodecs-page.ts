/**
 * A candidate wall measured against Pantau's (not the product path): every tile's gateway stream
 * decoded with WebCodecs in one worker and drawn into one canvas for the whole monitor, so the
 * compositor has one layer to draw and each picture is scaled once, when it is drawn.
 *
 * The worker takes the gateway's own stream sockets (fMP4 over WebSocket, the product's wire): the
 * init segment's avcC box is the decoder's description, each fragment's mdat one encoded picture.
 * Pictures are drawn on the worker's animation frame, the newest per tile; one replaced before it
 * was drawn is counted as not shown. Runs in a page on the console's origin.
 */
import type { Browser, Page } from 'playwright-core';

/** Runs in the worker (serialised with toString: no imports, no closures). */
function workerMain(): void {
  const post = (m: unknown) => (self as unknown as Worker).postMessage(m);
  const ascii = (b: Uint8Array, i: number) => String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!);
  const u32 = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  /** The payload of the first box of this type inside `b`, searched at any depth by its fourcc. */
  const findBox = (b: Uint8Array, type: string): Uint8Array | null => {
    for (let i = 4; i + 4 <= b.length; i++) {
      if (ascii(b, i) === type) {
        const size = u32(b, i - 4);
        if (size >= 8 && i - 4 + size <= b.length) return b.subarray(i + 4, i - 4 + size);
      }
    }
    return null;
  };
  /** The payload of the top-level box of this type. */
  const topBox = (b: Uint8Array, type: string): Uint8Array | null => {
    for (let i = 0; i + 8 <= b.length;) {
      const size = u32(b, i);
      if (size < 8) return null;
      if (ascii(b, i + 4) === type) return b.subarray(i + 8, Math.min(b.length, i + size));
      i += size;
    }
    return null;
  };
  const isKey = (au: Uint8Array) => {
    for (let i = 0; i + 4 < au.length;) {
      const len = u32(au, i);
      const t = au[i + 4]! & 0x1f;
      if (t === 5) return true;
      i += 4 + len;
    }
    return false;
  };
  let ctx: OffscreenCanvasRenderingContext2D;
  let rects: number[][] = [];
  const pending: (VideoFrame | null)[] = [];
  const drawn: number[] = [];
  const replaced: number[] = [];
  const draw = () => {
    for (let i = 0; i < pending.length; i++) {
      const f = pending[i];
      if (!f) continue;
      const [x, y, w, h] = rects[i]!;
      ctx.drawImage(f, x!, y!, w!, h!);
      f.close();
      pending[i] = null;
      drawn[i]!++;
    }
    (self as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(draw);
  };
  self.onmessage = (e: MessageEvent) => {
    const m = e.data as { canvas?: OffscreenCanvas; urls?: string[]; rects?: number[][]; count?: boolean };
    if (m.count) return post({ drawn: [...drawn], replaced: [...replaced] });
    ctx = m.canvas!.getContext('2d', { alpha: false })!;
    rects = m.rects!;
    m.urls!.forEach((url, i) => {
      pending[i] = null;
      drawn[i] = 0;
      replaced[i] = 0;
      let decoder: VideoDecoder | null = null;
      let keySeen = false;
      let n = 0;
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      ws.onmessage = (ev) => {
        if (typeof ev.data === 'string') return;
        const b = new Uint8Array(ev.data as ArrayBuffer);
        const moov = topBox(b, 'moov');
        const avcC = moov && findBox(moov, 'avcC');
        if (avcC) {
          const codec = `avc1.${[avcC[1]!, avcC[2]!, avcC[3]!].map((x) => x.toString(16).padStart(2, '0')).join('')}`;
          decoder?.close();
          decoder = new VideoDecoder({
            output: (f) => {
              if (pending[i]) {
                pending[i].close();
                replaced[i]!++;
              }
              pending[i] = f;
            },
            error: (err) => post({ error: `${url}: ${err.message}` }),
          });
          decoder.configure({ codec, description: avcC.slice(), optimizeForLatency: true });
          keySeen = false;
          return;
        }
        const mdat = topBox(b, 'mdat');
        if (!mdat || !decoder || decoder.state !== 'configured') return;
        const key = isKey(mdat);
        if (!keySeen && !key) return;
        keySeen = true;
        decoder.decode(new EncodedVideoChunk({ type: key ? 'key' : 'delta', timestamp: n++ * 66_667, data: mdat.slice() }));
      };
    });
    draw();
  };
}

/** Opens the candidate wall: `urls` are one-use gateway stream URLs from `stream.open`, laid out as a square grid. */
export async function openWebCodecsWall(browser: Browser, origin: string, urls: string[], viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.goto(`${origin}/api/health`);
  await page.setContent(`<body style="margin:0;background:#000"><canvas id="wall" width="${viewport.width}" height="${viewport.height}" style="display:block"></canvas></body>`);
  await page.evaluate(
    ({ code, urls, width, height }) => {
      const side = Math.ceil(Math.sqrt(urls.length));
      const w = width / side;
      const h = height / side;
      const rects = urls.map((_, i) => [Math.round((i % side) * w), Math.round(Math.floor(i / side) * h), Math.round(w), Math.round(h)]);
      const worker = new Worker(URL.createObjectURL(new Blob([`(${code})()`], { type: 'text/javascript' })));
      const canvas = (document.getElementById('wall') as HTMLCanvasElement).transferControlToOffscreen();
      worker.postMessage({ canvas, urls, rects }, [canvas]);
      (window as unknown as { wall: Worker }).wall = worker;
    },
    { code: workerMain.toString(), urls, width: viewport.width, height: viewport.height },
  );
  return page;
}

/** Pictures drawn and pictures replaced before they were drawn, per tile, since the wall opened. */
export function wallCounts(page: Page): Promise<{ drawn: number[]; replaced: number[] }> {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const w = (window as unknown as { wall: Worker }).wall;
        w.onmessage = (e) => {
          const data = e.data as { drawn?: number[]; replaced?: number[] };
          if (data.drawn) resolve({ drawn: data.drawn, replaced: data.replaced ?? [] });
        };
        w.postMessage({ count: true });
      }),
  );
}
