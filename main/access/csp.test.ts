/**
 * The one Content-Security-Policy (SECURITY.md item 7): strict, and the one both shells send. The web
 * shell's is read off a real response; the Electron shell's handler is checked in its source (the
 * Electron binary can't run here). Every e2e test runs the renderer under it, and fails on any
 * console error, which a CSP violation is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestHost } from '../web/test-host';
import { CSP, signInCsp } from './csp';

const directives = (policy: string) =>
  new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );

describe('the Content-Security-Policy', () => {
  it('loads scripts, styles and workers only from the app, with no inline code or eval', () => {
    const p = directives(CSP);
    expect(p.get('default-src')).toEqual(["'self'"]);
    expect(p.get('script-src')).toEqual(["'self'"]);
    expect(p.get('style-src')).toEqual(["'self'"]);
    expect(p.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(CSP).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval|strict-dynamic|https?:\/\/\*|\s\*(\s|;|$)/);
  });

  it('has no plugins, no base URL, no forms, and nothing may frame the app', () => {
    const p = directives(CSP);
    expect(p.get('object-src')).toEqual(["'none'"]);
    expect(p.get('base-uri')).toEqual(["'none'"]);
    expect(p.get('form-action')).toEqual(["'none'"]);
    expect(p.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('connects only to the app itself and to loopback (the desktop stream server)', () => {
    for (const source of directives(CSP).get('connect-src')!) expect(source).toMatch(/^'self'$|^(ws|http):\/\/127\.0\.0\.1:\*$/);
  });

  it('lets the desk sign-in page run no script and use only its own style, by hash', () => {
    // The hash openssl gives for "body{}": printf "body{}" | openssl dgst -sha256 -binary | base64
    const p = directives(signInCsp('body{}'));
    expect(p.get('default-src')).toEqual(["'none'"]);
    expect(p.get('style-src')).toEqual(["'sha256-fJgEClQWV1hGkK4qHMO0KotTsVnMYMXTq7/suurGyUo='"]);
    expect(p.get('form-action')).toEqual(["'self'"]);
    expect(p.has('script-src')).toBe(false);
  });

  it('is the policy the web shell sends with its pages', async () => {
    const host = await startTestHost();
    try {
      for (const path of ['/', '/wall/2', '/kiosk']) {
        const res = await fetch(`${host.url}${path}`, { headers: { 'Sec-Fetch-Site': 'none' } });
        expect(res.headers.get('content-security-policy'), path).toBe(CSP);
      }
    } finally {
      await host.close();
    }
  });

  it("is the policy renderer/index.html carries as a meta, less frame-ancestors (which a meta can't hold)", () => {
    const html = readFileSync(join(process.cwd(), 'renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)![1]!;
    expect(meta).toBe(
      CSP.split('; ')
        .filter((d) => !d.startsWith('frame-ancestors'))
        .join('; '),
    );
  });

  it('is the policy the Electron shell sets on every pantau:// response', () => {
    const main = readFileSync(join(process.cwd(), 'main/electron/main.ts'), 'utf8');
    expect(main).toMatch(/import \{ CSP \} from '\.\.\/access\/csp\.js';/);
    expect(main).toMatch(/headers\.set\('Content-Security-Policy', CSP\)/);
    expect(main).not.toMatch(/default-src/);
  });
});
