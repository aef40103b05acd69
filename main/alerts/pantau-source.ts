/**
 * The Pantau alert protocol, client side (runtime: Node 22+ fetch). See README "Alert protocol".
 *
 *   GET  {base}alerts?after=<cursor>&limit=<n>  → { alerts: Alert[], cursor: string, more: boolean }
 *   GET  {base}alerts/stream   (Last-Event-ID: <cursor>)  → SSE: `id: <cursor>`, `event: alert`, `data: <Alert>`
 *   POST {base}alerts/{id}/ack  { by, note }  → 200 (404 when the backend does not know the alert)
 *   GET  {base}alerts/history?from=<ISO>&to=<ISO>&limit=<n>[&after=<token>] → { alerts: Alert[], next: string | null }
 *        (optional: past alerts for statistics; 404 when the backend keeps none)
 *
 * run() first catches up by cursor page by page, then holds the stream open. The stream starts right
 * after the cursor it is given, so nothing that arrived between the last page and the stream is lost.
 */
import { z } from 'zod';
import { describeZodError } from '../../preload/contract.js';
import { SseParser } from './sse.js';
import { describeUrl, Exchange, fetchText, request, REQUEST_TIMEOUT_MS, type AlertSource, type Delivery, type ReadResult } from './source.js';

export const PAGE_LIMIT = 500;
/** Bigger pages than this are refused: 500 alerts with 64 boxes each stay well below it. */
export const MAX_PAGE_BYTES = 8 * 1024 * 1024;
export const MAX_EVENT_BYTES = 256 * 1024;
/** The backend sends a comment at least every 15 s; a stream silent for longer is dead. */
export const STREAM_IDLE_MS = 35_000;

const Page = z.object({
  alerts: z.array(z.unknown()).max(PAGE_LIMIT),
  cursor: z.string().max(200),
  more: z.boolean(),
});

export const HISTORY_PAGE_LIMIT = 5000;
const HistoryPage = z.object({ alerts: z.array(z.unknown()).max(HISTORY_PAGE_LIMIT), next: z.string().max(200).nullable() });

export interface PantauSourceOptions {
  url: URL;
  token?: string | null;
  idleMs?: number;
}

export class PantauSource implements AlertSource {
  readonly kind = 'pantau' as const;
  readonly description: string;
  constructor(private readonly o: PantauSourceOptions) {
    this.description = describeUrl(o.url);
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.o.token ? { authorization: `Bearer ${this.o.token}` } : {}), ...extra };
  }

  async run(cursor: string | null, deliver: (d: Delivery) => void, connected: () => void, signal: AbortSignal): Promise<void> {
    let after = cursor;
    for (;;) {
      const url = new URL('alerts', this.o.url);
      if (after !== null) url.searchParams.set('after', after);
      url.searchParams.set('limit', String(PAGE_LIMIT));
      const page = await this.page(url, Page, 'catching up on alerts', 'an alert page', signal);
      connected();
      for (const raw of page.alerts) deliver({ kind: 'alert', raw, cursor: page.cursor });
      deliver({ kind: 'cursor', cursor: page.cursor });
      after = page.cursor;
      if (!page.more) break;
    }
    await this.stream(after, deliver, signal);
  }

  private async stream(after: string | null, deliver: (d: Delivery) => void, signal: AbortSignal): Promise<void> {
    const url = new URL('alerts/stream', this.o.url);
    const idleMs = this.o.idleMs ?? STREAM_IDLE_MS;
    // The exchange lives as long as the stream: answer headers within REQUEST_TIMEOUT_MS, then a
    // chunk (an alert or the backend's heartbeat) at least every idleMs.
    const ex = new Exchange(signal, REQUEST_TIMEOUT_MS);
    try {
      const res = await request(url, { headers: this.headers({ accept: 'text/event-stream', ...(after !== null ? { 'last-event-id': after } : {}) }) }, 'opening the alert stream', ex);
      if (!(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) throw new Error(`opening the alert stream: ${describeUrl(url)} did not answer with text/event-stream`);
      const parser = new SseParser(MAX_EVENT_BYTES);
      const reader = ex.readerOf(res)!;
      const decoder = new TextDecoder();
      ex.restartTimer(idleMs);
      // Why the stream stopped: a cut exchange may end the body (done) or fail the read.
      const stopped = (how: string, err: unknown) => {
        if (signal.aborted) return err;
        if (ex.timedOut) return new Error(`the alert stream from ${this.description} was silent for ${idleMs / 1000} s`);
        return new Error(`the alert stream from ${this.description} ${how}`);
      };
      for (;;) {
        let chunk: ReadResult;
        try {
          chunk = await reader.read();
        } catch (err) {
          throw stopped(`broke (${(err as Error).message})`, err);
        }
        if (chunk.done) throw stopped('ended', signal.reason);
        ex.restartTimer(idleMs);
        for (const item of parser.push(decoder.decode(chunk.value, { stream: true }))) {
          if (item.kind === 'oversized') {
            deliver({ kind: 'invalid', error: `an alert event of ${item.bytes} bytes is larger than the ${MAX_EVENT_BYTES} allowed`, cursor: item.id });
            continue;
          }
          if (item.event.event !== 'alert') continue;
          let raw: unknown;
          try {
            raw = JSON.parse(item.event.data);
          } catch {
            deliver({ kind: 'invalid', error: `an alert event is not JSON: ${item.event.data.slice(0, 80)}`, cursor: item.event.id });
            continue;
          }
          if (item.event.id === null) deliver({ kind: 'invalid', error: 'an alert event has no id (cursor)', cursor: null });
          else deliver({ kind: 'alert', raw, cursor: item.event.id });
        }
      }
    } finally {
      ex.end();
    }
  }

  async history(from: number, to: number, onPage: (alerts: unknown[]) => void, signal: AbortSignal): Promise<boolean> {
    let after: string | null = null;
    for (;;) {
      const url = new URL('alerts/history', this.o.url);
      url.searchParams.set('from', new Date(from).toISOString());
      url.searchParams.set('to', new Date(to).toISOString());
      url.searchParams.set('limit', String(HISTORY_PAGE_LIMIT));
      if (after !== null) url.searchParams.set('after', after);
      let page: z.infer<typeof HistoryPage>;
      try {
        page = await this.page(url, HistoryPage, 'reading the alert history', 'an alert history page', signal);
      } catch (err) {
        if ((err as { status?: number }).status === 404) return false;
        throw err;
      }
      onPage(page.alerts);
      if (page.next === null) return true;
      after = page.next;
    }
  }

  /** One JSON page from the backend, held to its schema; a page that is not the protocol's is named as such. */
  private async page<T>(url: URL, schema: z.ZodType<T>, what: string, bodyName: string, signal: AbortSignal): Promise<T> {
    const text = await fetchText(url, { headers: this.headers({ accept: 'application/json' }) }, what, {
      owner: signal,
      timeoutMs: REQUEST_TIMEOUT_MS,
      maxBytes: MAX_PAGE_BYTES,
      bodyName,
    });
    try {
      const parsed = schema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(describeZodError(parsed.error));
      return parsed.data;
    } catch (err) {
      throw new Error(`${what}: ${describeUrl(url)} sent a page that is not the protocol's (${(err as Error).message.slice(0, 200)})`, { cause: err });
    }
  }

  async ack(id: string, by: string, note: string, signal: AbortSignal, agency?: string): Promise<'ok' | 'gone'> {
    const url = new URL(`alerts/${encodeURIComponent(id)}/ack`, this.o.url);
    const ex = new Exchange(signal, REQUEST_TIMEOUT_MS);
    try {
      await request(
        url,
        { method: 'POST', headers: this.headers({ 'content-type': 'application/json' }), body: JSON.stringify({ by, note, ...(agency ? { agency } : {}) }) },
        'acknowledging an alert',
        ex,
      );
      return 'ok';
    } catch (err) {
      if ((err as { status?: number }).status === 404) return 'gone';
      throw err;
    } finally {
      ex.end();
    }
  }
}
