import { describe, expect, it } from 'vitest';
import { healthEvent, initCodec, parseControl } from './wire';

const frame = (m: unknown) => parseControl(JSON.stringify(m));

// Both fMP4 feeds (MSE and WebCodecs) take the codec from this frame and hand it to the browser.
describe("the stream socket's text frames, parsed with the contract", () => {
  it('names the codec the ingest copies', () => {
    expect(initCodec(frame({ type: 'init', codec: 'avc1.42C01E' })!)).toBe('avc1.42C01E');
    expect(initCodec(frame({ type: 'init', codec: 'hvc1.1.6.L93.B0' })!)).toBe('hvc1.1.6.L93.B0');
  });

  it('refuses an init frame whose codec could carry anything else', () => {
    for (const codec of ['avc1"; codecs="x', 'a'.repeat(41), '', 42]) expect(frame({ type: 'init', codec }), String(codec)).toBeNull();
    expect(parseControl('not json')).toBeNull();
    expect(frame({ type: 'shell', cmd: 'rm' })).toBeNull();
  });

  it('turns a health frame into the player event, with its reason code', () => {
    const m = frame({ type: 'health', state: 'offline', reason: { code: 'camera_refused' }, retryAt: 5 })!;
    expect(initCodec(m)).toBeNull();
    expect(healthEvent(m)).toEqual({ type: 'server', state: 'offline', reason: { code: 'camera_refused' }, retryAt: 5 });
    // A sentence where a reason code belongs, or an unknown state, is not a health frame.
    expect(frame({ type: 'health', state: 'offline', reason: 'camera refused the connection', retryAt: null })).toBeNull();
    expect(frame({ type: 'health', state: 'on fire', reason: null, retryAt: null })).toBeNull();
  });
});
