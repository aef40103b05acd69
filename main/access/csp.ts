/**
 * The one Content-Security-Policy of both shells (runtime: anywhere): the Electron shell sets it on
 * every pantau:// response, the web shell on every HTML page. Scripts, styles and workers come only
 * from the app itself (no inline script, no eval); pictures and media also from blob: (players) and
 * data: (icons); connections go to the app's own origin (its API socket and, in web mode, its streams)
 * and to the loopback stream server of the desktop app. Nothing may frame the app, and it has no
 * plugins, forms or base URL to hijack. `main/access/csp.test.ts` holds it to that.
 */
import { createHash } from 'node:crypto';

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self' ws://127.0.0.1:* http://127.0.0.1:*",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The remote desk sign-in page's policy: no script at all, only its own inline style (by hash), and its
 * one form posts back to the console.
 */
export function signInCsp(style: string): string {
  const hash = createHash('sha256').update(style).digest('base64');
  return ["default-src 'none'", `style-src 'sha256-${hash}'`, "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"].join('; ');
}
