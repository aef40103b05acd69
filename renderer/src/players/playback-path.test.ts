import { describe, expect, it } from 'vitest';
import { choosePath, type Capabilities } from './playback-path';

const all: Capabilities = { mediaWorker: true, webCodecs: true, offscreenCanvas: true, forceMse: false };
const fmp4 = (quality: 'main' | 'sub') => ({ kind: 'fmp4' as const, quality });

describe('the playback path a tile takes', () => {
  it("draws a small tile's sub stream with WebCodecs in the worker", () => {
    expect(choosePath(fmp4('sub'), true, all)).toBe('webcodecs-worker');
  });

  it('plays main streams through MSE in the worker: big tiles, and small tiles of cameras without a sub stream', () => {
    expect(choosePath(fmp4('main'), false, all)).toBe('mse-worker');
    expect(choosePath(fmp4('main'), true, all)).toBe('mse-worker');
    expect(choosePath(fmp4('sub'), false, all)).toBe('mse-worker');
  });

  it('falls back to MSE when WebCodecs, an offscreen canvas or a worker MediaSource is missing, or MSE is forced', () => {
    expect(choosePath(fmp4('sub'), true, { ...all, webCodecs: false })).toBe('mse-worker');
    expect(choosePath(fmp4('sub'), true, { ...all, offscreenCanvas: false })).toBe('mse-worker');
    expect(choosePath(fmp4('sub'), true, { ...all, forceMse: true })).toBe('mse-worker');
    expect(choosePath(fmp4('sub'), true, { ...all, mediaWorker: false })).toBe('mse-page');
    expect(choosePath(fmp4('main'), false, { ...all, mediaWorker: false })).toBe('mse-page');
  });

  it('plays HLS cameras in hls.js whatever the tile, and the MPEG-1 transcode on the canvas', () => {
    expect(choosePath({ kind: 'hls', quality: 'main' }, true, all)).toBe('hls');
    expect(choosePath({ kind: 'hls', quality: 'main' }, false, { ...all, mediaWorker: false })).toBe('hls');
    expect(choosePath({ kind: 'mpeg1', quality: 'main' }, true, all)).toBe('mpeg1-worker');
    expect(choosePath({ kind: 'mpeg1', quality: 'main' }, false, { ...all, offscreenCanvas: false })).toBe('mpeg1-page');
    expect(choosePath({ kind: 'mpeg1', quality: 'sub' }, true, { ...all, mediaWorker: false })).toBe('mpeg1-page');
  });
});
