// @cycjimmy/jsmpeg-player ships no types: only the parts the MPEG-1 feed uses (JSMpeg's own pieces,
// not its Player, whose animation-frame loop and document listeners a tile doesn't need).
declare module '@cycjimmy/jsmpeg-player' {
  interface Destination {
    write(...args: unknown[]): void;
  }
  interface TsDemuxer {
    connect(streamId: number, destination: Mpeg1Decoder): void;
    write(buffer: ArrayBuffer): void;
  }
  interface Mpeg1Decoder extends Destination {
    connect(renderer: CanvasRenderer): void;
    /** Decodes one picture and hands it to the renderer; false when no whole picture is buffered. */
    decode(): boolean;
    destroy(): void;
  }
  interface CanvasRenderer {
    destroy(): void;
  }
  const JSMpeg: {
    Demuxer: { TS: { new (options: object): TsDemuxer; STREAM: { VIDEO_1: number } } };
    Decoder: { MPEG1Video: new (options: { streaming: boolean; videoBufferSize?: number; decodeFirstFrame?: boolean; onVideoDecode?: () => void }) => Mpeg1Decoder };
    Renderer: { Canvas2D: new (options: { canvas: HTMLCanvasElement | OffscreenCanvas }) => CanvasRenderer };
  };
  export default JSMpeg;
}
