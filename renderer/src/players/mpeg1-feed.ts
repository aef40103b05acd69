/**
 * The JSMpeg fallback's media half (runtime: browser): one MPEG-1 stream (MPEG-TS over WebSocket, from
 * main's transcode of a camera whose codec MSE can't play) decoded by JSMpeg and drawn on the tile's
 * canvas with canvas 2D (Chromium allows only 16 WebGL contexts, and a wall has more tiles). It runs in
 * the window's media worker on the canvas's OffscreenCanvas, or on the page where there is no worker.
 *
 * It uses JSMpeg's parts (TS demuxer, MPEG-1 decoder, canvas renderer), not its Player: the Player's
 * animation-frame loop decodes one picture per display frame and pauses in hidden documents, while
 * this decodes every whole picture as soon as its bytes arrive. Reports the same events as the fMP4
 * feed, plus one 'frame' per picture drawn, which the player counts as the video's presented frames.
 * The JavaScript decoder, not JSMpeg's WebAssembly one, so the page's CSP needs no 'wasm-unsafe-eval'.
 * JSMpeg is loaded on first use: most walls never need it.
 */
import { reason } from '../../../preload/contract';
import type JSMpegType from '@cycjimmy/jsmpeg-player';
import type { FeedEvent } from './mse-feed';
import { SocketFeed } from './socket-feed';
import type { SocketGate } from './socket-gate';
import { healthEvent, parseControl } from './wire';

/** Pictures decoded per socket message at most; more means the decoder fell behind: skip ahead. */
const MAX_DECODE_PER_MESSAGE = 8;

export class Mpeg1Feed extends SocketFeed {
  private started = false;
  private parts: ReturnType<typeof build> | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement | OffscreenCanvas,
    emit: (e: FeedEvent) => void,
    gate: SocketGate,
  ) {
    super(emit, 'decoder_rejected', gate);
  }

  async open(url: string): Promise<void> {
    try {
      const { default: JSMpeg } = await import('@cycjimmy/jsmpeg-player');
      if (this.closed) return;
      this.parts = build(JSMpeg, this.canvas, () => this.emit({ type: 'frame' }));
    } catch (err) {
      this.fail(reason('decoder_rejected', undefined, `the MPEG-1 player could not load: ${(err as Error).message}`));
      return;
    }
    this.connect(url);
  }

  protected onMessage(data: ArrayBuffer | string): void {
    if (typeof data === 'string') {
      const msg = parseControl(data);
      const health = msg && healthEvent(msg);
      if (health) this.emit({ type: 'player', event: health });
      return;
    }
    if (!this.started) {
      this.started = true;
      this.emit({ type: 'player', event: { type: 'stream' } });
      this.emit({ type: 'canvas', feed: 'mpeg1' });
    }
    const { demuxer, decoder } = this.parts!;
    demuxer.write(data);
    // Live: draw every whole picture now. Writing the sequence header decodes the first one itself.
    for (let i = 0; i < MAX_DECODE_PER_MESSAGE && decoder.decode(); i++);
  }

  /** The decoder goes; the canvas keeps its last picture. */
  protected release(): void {
    this.parts?.decoder.destroy();
    this.parts?.renderer.destroy();
    this.parts = null;
  }
}

/** TS demuxer → MPEG-1 decoder → canvas 2D renderer. */
function build(JSMpeg: typeof JSMpegType, canvas: HTMLCanvasElement | OffscreenCanvas, onPicture: () => void) {
  const demuxer = new JSMpeg.Demuxer.TS({});
  const decoder = new JSMpeg.Decoder.MPEG1Video({ streaming: true, videoBufferSize: 1024 * 1024, onVideoDecode: onPicture });
  const renderer = new JSMpeg.Renderer.Canvas2D({ canvas });
  demuxer.connect(JSMpeg.Demuxer.TS.STREAM.VIDEO_1, decoder);
  decoder.connect(renderer);
  return { demuxer, decoder, renderer };
}
