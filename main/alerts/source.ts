/**
 * Where alerts come from (runtime: Node). The AlertService drives one source: it hands over the
 * persisted cursor, and the source delivers every alert after it, then keeps delivering until the
 * connection fails (it throws) or the service stops it (the signal aborts).
 */
/** An alert to validate, a delivery that can't be one (named), or only a newer cursor. */
export type Delivery = { kind: 'alert'; raw: unknown; cursor: string } | { kind: 'invalid'; error: string; cursor: string | null } | { kind: 'cursor'; cursor: string };

export interface AlertSource {
  readonly kind: 'pantau' | 'frigate';
  /** Where the alerts come from, safe to show and log: never a token. */
  readonly description: string;
  run(cursor: string | null, deliver: (d: Delivery) => void, connected: () => void, signal: AbortSignal): Promise<void>;
  /** Sends one acknowledgement. Resolves 'gone' when the backend no longer knows the alert; throws when unreachable. */
  ack(id: string, by: string, note: string, signal: AbortSignal, agency?: string): Promise<'ok' | 'gone'>;
  /**
   * Past alerts from `from` to `to` (epoch ms), oldest first, page by page, for statistics. Resolves
   * false when the backend keeps no history (the endpoint is optional); throws when unreachable.
   */
  history?(from: number, to: number, page: (alerts: unknown[]) => void, signal: AbortSignal): Promise<boolean>;
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

/**
 * One HTTP exchange with the backend, from the request to the end of its body. It is cut (the fetch
 * aborted and the body's reader cancelled) when its owner's signal aborts or its time is up, and
 * end() lets go of both. The owner's signal is followed with a plain listener kept until end():
 * a signal made with AbortSignal.any() is held only weakly by its sources, and once it had been
 * collected an abort no longer reached a long-lived SSE body, so the console could not shut down.
 */
export class Exchange {
  private readonly ctl = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  /** The time limit, not the owner, cut the exchange. */
  timedOut = false;

  constructor(
    private readonly owner: AbortSignal,
    timeoutMs: number,
  ) {
    if (owner.aborted) this.cut(owner.reason);
    else owner.addEventListener('abort', this.onOwnerAbort, { once: true });
    this.restartTimer(timeoutMs);
  }

  get signal(): AbortSignal {
    return this.ctl.signal;
  }

  /** A new time limit from now (a stream's silence limit, restarted on every chunk). */
  restartTimer(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.cut(new Error('time is up'));
    }, ms);
  }

  /** The body's reader, cancelled with the exchange. */
  readerOf(res: Response): ReadableStreamDefaultReader<Uint8Array> | null {
    this.reader = res.body?.getReader() ?? null;
    return this.reader;
  }

  end(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.owner.removeEventListener('abort', this.onOwnerAbort);
    this.reader?.cancel().catch(() => undefined);
    this.reader = null;
  }

  private readonly onOwnerAbort = () => this.cut(this.owner.reason);

  private cut(reason: unknown): void {
    this.ctl.abort(reason);
    this.reader?.cancel(reason).catch(() => undefined);
  }
}

/** A page, an acknowledgement, or a stream's answer headers must come within this. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** What one read of a body gives. */
export type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;

/** Reads a response body as text, refusing more than maxBytes (an oversized answer is an error, not a crash). */
export async function readLimited(res: Response, maxBytes: number, what: string, ex: Exchange): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw new Error(`${what} is ${declared} bytes, more than the ${maxBytes} allowed`);
  const reader = ex.readerOf(res);
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    let chunk: ReadResult;
    try {
      chunk = await reader.read();
    } catch (err) {
      throw new Error(`${what} was cut off (${ex.timedOut ? 'no end in time' : (err as Error).message})`, { cause: err });
    }
    // A cut exchange ends its body like a finished one: what was read so far is not the answer.
    if (chunk.done && ex.signal.aborted) throw new Error(`${what} was cut off (${ex.timedOut ? 'no end in time' : 'stopped'})`);
    if (chunk.done) break;
    bytes += chunk.value.byteLength;
    if (bytes > maxBytes) throw new Error(`${what} is more than the ${maxBytes} bytes allowed`);
    text += decoder.decode(chunk.value, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * fetch within an exchange; fails with a readable message naming the URL and the cause. The
 * caller reads the body (if it wants it) and ends the exchange, which releases the connection.
 */
export async function request(url: URL, init: Omit<RequestInit, 'signal'>, what: string, ex: Exchange): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: ex.signal, redirect: 'error' });
  } catch (err) {
    if (ex.signal.aborted && !ex.timedOut) throw err; // the owner stopped it
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = ex.timedOut ? 'no answer in time' : (cause?.code ?? cause?.message ?? (err as Error).message);
    throw new Error(`${what}: cannot reach ${describeUrl(url)} (${why})`, { cause: err });
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    const hint = res.status === 401 || res.status === 403 ? ': the backend refused the token' : '';
    throw new HttpError(res.status, `${what}: ${describeUrl(url)} answered ${res.status}${hint}`);
  }
  return res;
}

/** One request whose body is read as text, within its own exchange (ended whatever happens). */
export async function fetchText(url: URL, init: Omit<RequestInit, 'signal'>, what: string, o: { owner: AbortSignal; timeoutMs: number; maxBytes: number; bodyName: string }): Promise<string> {
  const ex = new Exchange(o.owner, o.timeoutMs);
  try {
    return await readLimited(await request(url, init, what, ex), o.maxBytes, o.bodyName, ex);
  } finally {
    ex.end();
  }
}
