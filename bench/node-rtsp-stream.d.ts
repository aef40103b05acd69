// node-rtsp-stream ships no types; only what the gateway-cpu benchmark uses.
declare module 'node-rtsp-stream' {
  export default class Stream {
    constructor(options: { name: string; streamUrl: string; wsPort: number; ffmpegOptions?: Record<string, string | number> });
    stop(): void;
  }
}
