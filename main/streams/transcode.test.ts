import { describe, expect, it } from 'vitest';
import { transcodeArgs } from './ffmpeg.js';
import { startsPictureGroup, TS_PACKET, TsPacketizer } from './transcode.js';

/** A TS packet starting a video PES whose payload opens with `startCode` (00 00 01 xx). */
function pesPacket(startCode: number): Buffer {
  const p = Buffer.alloc(TS_PACKET, 0xff);
  p.set([0x47, 0x41, 0x00, 0x10]); // sync, payload_unit_start + PID 0x100, payload only
  p.set([0, 0, 1, 0xe0, 0, 0, 0x80, 0x80, 5, 0x21, 0, 1, 0, 1], 4); // PES header with a PTS
  p.set([0, 0, 1, startCode], 4 + 14);
  return p;
}
const plain = () => Buffer.from([0x47, 0x01, 0x00, 0x10, ...new Array<number>(TS_PACKET - 4).fill(0xaa)]);

describe('MPEG-TS packetizer for the JSMpeg socket', () => {
  it('knows a picture-group start (sequence header) from any other packet', () => {
    expect(startsPictureGroup(pesPacket(0xb3))).toBe(true);
    expect(startsPictureGroup(pesPacket(0x00))).toBe(false); // a picture, not a sequence header
    expect(startsPictureGroup(plain())).toBe(false);
    expect(startsPictureGroup(Buffer.from('garbage'))).toBe(false);
  });

  it('cuts any chunking into whole packets, each chunk starting at a picture group or continuing one', () => {
    const stream = Buffer.concat([pesPacket(0xb3), plain(), plain(), pesPacket(0x00), pesPacket(0xb3), plain()]);
    for (const size of [stream.length, 188, 100, 7]) {
      const p = new TsPacketizer();
      const out = [];
      for (let i = 0; i < stream.length; i += size) out.push(...p.push(stream.subarray(i, i + size)));
      expect(Buffer.concat(out.map((c) => c.data))).toEqual(stream);
      for (const c of out) expect(c.data.length % TS_PACKET).toBe(0);
      // Every picture-group start begins a chunk of its own, so a slow viewer can skip to it.
      const starts = out.filter((c) => c.gopStart).map((c) => c.data.subarray(0, TS_PACKET));
      expect(starts).toHaveLength(2);
    }
  });

  it('drops bytes before the first sync byte instead of passing them on', () => {
    const p = new TsPacketizer();
    const out = p.push(Buffer.concat([Buffer.from('junk'), pesPacket(0xb3)]));
    expect(out.map((c) => c.data.length)).toEqual([TS_PACKET]);
    expect(out[0]!.gopStart).toBe(true);
  });

  it('runs the transcode from an argument array that reads our own ingest on stdin, never a camera URL', () => {
    const args = transcodeArgs();
    expect(args[args.indexOf('-i') + 1]).toBe('pipe:0');
    expect(args).toContain('mpeg1video');
    expect(args.join(' ')).not.toMatch(/rtsp|http/);
    // MPEG-1 has no 15 fps: the output rate must be one it has.
    expect(args[args.indexOf('-r') + 1]).toBe('25');
  });
});
