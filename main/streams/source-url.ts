/**
 * Validates camera source URLs at the catalog border (runtime: Node).
 *
 * Only rtsp(s):// (ingested by the gateway) and http(s)://…m3u8 (played with hls.js) are sources.
 * Everything else is refused by name: file:, concat:, pipe: and friends would let a catalog entry make
 * ffmpeg read local files. The credentials a URL carries stay in main; `redactUrl` is what logs show.
 */
export type SourceKind = 'rtsp' | 'hls';
export type SourceCheck = { ok: true; kind: SourceKind; url: string } | { ok: false; reason: string };

const MAX_URL_LENGTH = 2048;

export function checkSourceUrl(raw: unknown): SourceCheck {
  if (typeof raw !== 'string' || raw.length === 0) return { ok: false, reason: 'URL is empty' };
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: `URL is longer than ${MAX_URL_LENGTH} characters` };
  // Control characters and spaces have no place in a camera URL and could split arguments or log lines.
  if (/[\u0000-\u0020\u007f]/.test(raw)) return { ok: false, reason: 'URL contains spaces or control characters' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'URL is not a valid absolute URL' };
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  if (!['rtsp', 'rtsps', 'http', 'https'].includes(scheme)) return { ok: false, reason: `scheme "${scheme}:" is not allowed (only rtsp, rtsps, http, https)` };
  if (!url.hostname) return { ok: false, reason: 'URL has no host' };
  if (scheme === 'rtsp' || scheme === 'rtsps') return { ok: true, kind: 'rtsp', url: url.toString() };
  if (scheme === 'http' || scheme === 'https') {
    if (!/\.m3u8$/i.test(url.pathname)) return { ok: false, reason: 'http(s) sources must be HLS playlists ending in .m3u8' };
    return { ok: true, kind: 'hls', url: url.toString() };
  }
  return { ok: false, reason: `scheme "${scheme}:" is not allowed (only rtsp, rtsps, http, https)` };
}

/** The URL with any user name and password replaced, for logs and error messages. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.username || url.password) {
      url.username = '***';
      url.password = '';
    }
    return url.toString();
  } catch {
    return '(invalid URL)';
  }
}

/**
 * The camera URL with a user name and password from the credential vault in it, unless it carries its
 * own (the catalog's word wins). They are percent-encoded, as a URL's user info needs.
 */
export function withCredentials(url: string, credentials: { user: string; password: string } | null): string {
  if (!credentials) return url;
  const u = new URL(url);
  if (u.username || u.password) return url;
  u.username = encodeURIComponent(credentials.user);
  u.password = encodeURIComponent(credentials.password);
  return u.toString();
}
