/**
 * Who may reach the console's HTTP and WebSocket endpoints (runtime: Node, pure).
 *
 * A browser can be made to send requests to 127.0.0.1 by any page it has open: a foreign page opening
 * a WebSocket to /api/ws (cross-site WebSocket hijacking), or a foreign host name that resolves to
 * 127.0.0.1 (DNS rebinding). Browsers can't forge Host, Origin or Sec-Fetch-Site, so:
 * - Host must name the console itself (a rebound name doesn't);
 * - a request that carries Origin must come from one of the console's own origins;
 * - a browser request without Origin (a same-origin GET) says so in Sec-Fetch-Site, which must be
 *   same-origin or none (typed into the address bar);
 * - a request with neither is not from a browser (a script, curl, another tool) and must present the
 *   console's API token, compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface GuardPolicy {
  /** Host header values that name the console (host:port, lower case). */
  hosts: ReadonlySet<string>;
  /** Origins whose pages may call the console (its own, and pantau://app in Electron). */
  origins: ReadonlySet<string>;
  /** The API token for clients that are not browsers. */
  token: string;
}

export type GuardVerdict = { ok: true; via: 'origin' | 'fetch-site' | 'token'; origin: string | null } | { ok: false; status: 401 | 403; reason: string };

/** A fresh API token: 32 random bytes as hex. */
export function newApiToken(): string {
  return randomBytes(32).toString('hex');
}

/** Compares two secrets in constant time (hashing first makes the lengths equal). */
export function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const v = headers[name];
  if (Array.isArray(v)) return v.length === 1 ? v[0]! : null;
  return v ?? null;
}

/** The token a non-browser client presents: `Authorization: Bearer <t>` or `X-Pantau-Token: <t>`. */
function presentedToken(headers: IncomingHttpHeaders): string | null {
  const auth = header(headers, 'authorization');
  const m = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  return m ? m[1]! : header(headers, 'x-pantau-token');
}

/** Only the Host check: for the renderer's static files, which hold nothing a foreign page may not see. */
export function checkHost(headers: IncomingHttpHeaders, policy: GuardPolicy): GuardVerdict {
  const host = header(headers, 'host')?.toLowerCase() ?? null;
  if (!host || !policy.hosts.has(host)) return { ok: false, status: 403, reason: `host ${JSON.stringify(host ?? '')} is not this console` };
  return { ok: true, via: 'fetch-site', origin: null };
}

/**
 * What a browser says of where a request comes from: its Origin, which must be one of the console's
 * own (`isOwn`), or, without one, Sec-Fetch-Site, which must be same-origin or none. Null when the
 * request carries neither: it is not from a browser.
 */
function browserSite(headers: IncomingHttpHeaders, isOwn: (origin: string) => boolean): GuardVerdict | null {
  const origin = header(headers, 'origin');
  if (origin !== null) {
    if (!isOwn(origin)) return { ok: false, status: 403, reason: `origin ${JSON.stringify(origin)} is not this console` };
    return { ok: true, via: 'origin', origin };
  }
  const site = header(headers, 'sec-fetch-site');
  if (site === null) return null;
  if (site !== 'same-origin' && site !== 'none') return { ok: false, status: 403, reason: `a ${site} request without Origin` };
  return { ok: true, via: 'fetch-site', origin: null };
}

export function checkRequest(headers: IncomingHttpHeaders, policy: GuardPolicy): GuardVerdict {
  const host = checkHost(headers, policy);
  if (!host.ok) return host;
  const browser = browserSite(headers, (o) => policy.origins.has(o));
  if (browser) return browser;
  const token = presentedToken(headers);
  if (token === null) return { ok: false, status: 401, reason: 'no API token (clients that are not browsers present it as Authorization: Bearer <token>)' };
  if (!sameSecret(token, policy.token)) return { ok: false, status: 401, reason: 'wrong API token' };
  return { ok: true, via: 'token', origin: null };
}

/** The policy for a console served at `origin` (http://127.0.0.1:port), plus any further origins. */
export function loopbackPolicy(port: number, token: string, extraOrigins: string[] = []): GuardPolicy {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  return {
    hosts: new Set(hosts),
    origins: new Set([...hosts.map((h) => `http://${h}`), ...extraOrigins]),
    token,
  };
}

/** The status line for a refusal, written before any upgrade. */
export function refusalResponse(v: Extract<GuardVerdict, { ok: false }>): string {
  const text = v.status === 401 ? 'Unauthorized' : 'Forbidden';
  const body = `${v.reason}\n`;
  return `HTTP/1.1 ${v.status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** The cookie a remote desk's browser keeps its token in (HttpOnly, Secure, SameSite=Strict). */
export const DESK_COOKIE = 'pantau_desk';

/** The rules for the remote desk listener (`--listen`, HTTPS only). */
export interface DeskPolicy {
  /** Host header values that name the console (host:port, lower case); null when it listens on every address. */
  hosts: ReadonlySet<string> | null;
  /** The desk a token belongs to, or null (access/desks.ts). */
  verify: (token: string | null) => string | null;
}

export type DeskVerdict = { ok: true; desk: string; origin: string } | Extract<GuardVerdict, { ok: false }>;

/** The value of one cookie, or null. */
export function cookie(headers: IncomingHttpHeaders, name: string): string | null {
  const all = header(headers, 'cookie');
  if (!all) return null;
  for (const part of all.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * Only the Host and Origin rules of the desk listener (its sign-in page needs no token): Host must name
 * the console, and a browser's Origin or Sec-Fetch-Site must say the request comes from the console's
 * own pages. Returns the console's origin as this request names it.
 */
export function checkDeskOrigin(headers: IncomingHttpHeaders, policy: DeskPolicy): { ok: true; origin: string } | Extract<GuardVerdict, { ok: false }> {
  const host = header(headers, 'host')?.toLowerCase() ?? null;
  if (!host || (policy.hosts && !policy.hosts.has(host))) return { ok: false, status: 403, reason: `host ${JSON.stringify(host ?? '')} is not this console` };
  const own = `https://${host}`;
  const browser = browserSite(headers, (o) => o === own);
  if (browser && !browser.ok) return browser;
  return { ok: true, origin: own };
}

/**
 * Every other request to the desk listener: the Host and Origin rules, then a desk token, from the
 * desk's cookie or (scripts) `Authorization: Bearer <token>`. The console's own API token does not
 * open it: only desks a supervisor made do.
 */
export function checkDeskRequest(headers: IncomingHttpHeaders, policy: DeskPolicy): DeskVerdict {
  const site = checkDeskOrigin(headers, policy);
  if (!site.ok) return site;
  const token = cookie(headers, DESK_COOKIE) ?? presentedToken(headers);
  if (token === null) return { ok: false, status: 401, reason: 'no desk token: sign in at /desk with the token a supervisor made for this desk' };
  const desk = policy.verify(token);
  if (desk === null) return { ok: false, status: 401, reason: 'this desk token is not valid (revoked, or never made here)' };
  return { ok: true, desk, origin: site.origin };
}
