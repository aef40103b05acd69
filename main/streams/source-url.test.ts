import { describe, expect, it } from 'vitest';
import { checkSourceUrl, redactUrl } from './source-url.js';

describe('camera source URLs', () => {
  it.each([
    ['rtsp://cam.local:554/stream1', 'rtsp'],
    ['rtsps://user:pa%40ss@10.1.2.3/live', 'rtsp'],
    ['https://nvr.example/hls/cam1/index.m3u8', 'hls'],
    ['http://127.0.0.1:8888/cam/index.M3U8?token=a', 'hls'],
  ])('accepts %s as %s', (url, kind) => {
    expect(checkSourceUrl(url)).toMatchObject({ ok: true, kind });
  });

  it.each([
    ['file:///etc/passwd', 'scheme "file:" is not allowed'],
    ['concat:a.ts|b.ts', 'scheme "concat:" is not allowed'],
    ['pipe:0', 'scheme "pipe:" is not allowed'],
    ['-i /etc/passwd', 'spaces or control characters'],
    ['rtsp://cam/a\nb', 'spaces or control characters'],
    ['http://nvr/live.mp4', 'must be HLS playlists'],
    ['not a url', 'spaces or control characters'],
    ['rtsp:', 'URL has no host'],
    ['http://', 'not a valid absolute URL'],
    ['', 'empty'],
  ])('refuses %j', (url, reason) => {
    const r = checkSourceUrl(url);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(reason);
  });

  it('redacts credentials for logs', () => {
    expect(redactUrl('rtsp://admin:secret@10.0.0.5/x')).toBe('rtsp://***@10.0.0.5/x');
    expect(redactUrl('rtsp://10.0.0.5/x')).toBe('rtsp://10.0.0.5/x');
  });
});
