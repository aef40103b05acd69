/** HLS source playlists rewritten for the renderer: only the camera's own host, no credentials. */
import { describe, expect, it } from 'vitest';
import { HlsSourceError, rewritePlaylist } from './hls-proxy.js';

const base = new URL('http://cam.example:8080/live/index.m3u8');
const sameOrigin = (u: URL) => u.origin === base.origin;
const refs: string[] = [];
const ref = (u: URL) => {
  refs.push(u.toString());
  return `r${refs.length}`;
};

describe('rewritePlaylist', () => {
  it('replaces every media URI and URI attribute with a ref, and keeps the tags', () => {
    refs.length = 0;
    const text = [
      '#EXTM3U',
      '#EXT-X-VERSION:6',
      '#EXT-X-TARGETDURATION:1',
      '#EXT-X-MEDIA-SEQUENCE:41',
      '#EXT-X-MAP:URI="init.mp4"',
      '#EXTINF:1.000,',
      'seg00041.ts',
      '#EXTINF:1.000,',
      '/live/seg00042.ts?token=abc',
      '#EXTINF:1.000,',
      'http://cam.example:8080/live/seg00043.ts',
    ].join('\r\n');
    const out = rewritePlaylist(text, base, sameOrigin, ref);
    expect(out.split('\n')).toEqual([
      '#EXTM3U',
      '#EXT-X-VERSION:6',
      '#EXT-X-TARGETDURATION:1',
      '#EXT-X-MEDIA-SEQUENCE:41',
      '#EXT-X-MAP:URI="r1"',
      '#EXTINF:1.000,',
      'r2',
      '#EXTINF:1.000,',
      'r3',
      '#EXTINF:1.000,',
      'r4',
    ]);
    expect(refs).toEqual([
      'http://cam.example:8080/live/init.mp4',
      'http://cam.example:8080/live/seg00041.ts',
      'http://cam.example:8080/live/seg00042.ts?token=abc',
      'http://cam.example:8080/live/seg00043.ts',
    ]);
  });

  it('refuses what is not a playlist, URIs on another host, and broken URIs, naming the problem', () => {
    expect(() => rewritePlaylist('<html>login</html>', base, sameOrigin, ref)).toThrow(new HlsSourceError('hls_not_playlist', 'the source is not an HLS playlist (no #EXTM3U)'));
    expect(() => rewritePlaylist('#EXTM3U\n#EXTINF:1,\nhttp://admin:secret@10.0.0.5/x.ts', base, sameOrigin, ref)).toThrow("the playlist points outside the camera's host: http://***@10.0.0.5/x.ts");
    expect(() => rewritePlaylist('#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI="file:///etc/passwd"', base, sameOrigin, ref)).toThrow('outside the camera');
    expect(() => rewritePlaylist('#EXTM3U\n#EXTINF:1,\nhttp://[bad', base, sameOrigin, ref)).toThrow('invalid URI');
  });
});
