/**
 * Where alerts come from (runtime: Node). The AlertService drives one source: it hands over the
 * persisted cursor, and the source delivers every alert after it, then keeps delivering until the
 * connection fails (it throws) or the service stops it (the signal aborts).
 */
/** An alert to validate, a delivery that can't be one (named), or only a newer cursor. */
export type Delivery =
  | { kind: 'alert'; raw: unknown; cursor: string }
  | { kind: 'invalid'; error: string; cursor: string | null }
  | { kind: 'cursor'; cursor: string };

export interface AlertSource {
  readonly kind: 'pantau' | 'frigate';
  /** Where the alerts come from, safe to show and log: never a token. */
  readonly description: string;
  run(cursor: string | null, deliver: (d: Delivery) => void, connected: () => void, signal: AbortSignal): Promise<void>;
  /** Sends one acknowledgement. Resolves 'gone' when the backend no longer knows the alert; throws when unreachable. */
  ack(id: string, by: string, note: string, signal: AbortSignal): Promise<'ok' | 'gone'>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A backend URL as it may be shown: origin and path, no user info, no query. */
export function describeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, '')}`;
}

/** Parses a backend base URL from settings or a flag; only http and https, no credentials in it. */
export function parseBackendUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`alert backend URL "${text.slice(0, 120)}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`alert backend URL must be http or https, not ${url.protocol}`);
  if (url.username || url.password) throw new Error('alert backend URL must not carry a user name or password; give a bearer token instead');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url;
}

/** Reads a response body as text, refusing more than maxBytes (an oversized answer is an error, not a crash). */
export async function readLimited(res: Response, maxBytes: number, what: string): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new Error(`${what} is ${declared} bytes, more than the ${maxBytes} allowed`);
  }
  const reader = res.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel();
      throw new Error(`${what} is more than the ${maxBytes} bytes allowed`);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** fetch that fails with a readable message naming the URL and the cause. */
export async function request(url: URL, init: RequestInit & { timeoutMs?: number }, what: string): Promise<Response> {
  const timeout = AbortSignal.timeout(init.timeoutMs ?? 10_000);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal, redirect: 'error' });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = timeout.aborted ? 'no answer in time' : (cause?.code ?? cause?.message ?? (err as Error).message);
    throw new Error(`${what}: cannot reach ${describeUrl(url)} (${why})`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    const hint = res.status === 401 || res.status === 403 ? ': the backend refused the token' : '';
    throw new HttpError(res.status, `${what}: ${describeUrl(url)} answered ${res.status}${hint}`);
  }
  return res;
}
