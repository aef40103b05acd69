import { describe, expect, it } from 'vitest';
import { initCodec } from './wire';

// Both fMP4 feeds (MSE and WebCodecs) take the codec from this frame and hand it to the browser.
describe("the stream socket's init frame", () => {
  it('names the codec the ingest copies', () => {
    expect(initCodec({ type: 'init', codec: 'avc1.42C01E' })).toBe('avc1.42C01E');
    expect(initCodec({ type: 'init', codec: 'hvc1.1.6.L93.B0' })).toBe('hvc1.1.6.L93.B0');
  });

  it('is refused when the codec could carry anything else, or is not an init frame', () => {
    expect(initCodec({ type: 'init', codec: 'avc1"; codecs="x' })).toBeNull();
    expect(initCodec({ type: 'init', codec: 'a'.repeat(41) })).toBeNull();
    expect(initCodec({ type: 'init', codec: '' })).toBeNull();
    expect(initCodec({ type: 'init', codec: 42 })).toBeNull();
    expect(initCodec({ type: 'health', codec: 'avc1.42C01E' })).toBeNull();
  });
});
