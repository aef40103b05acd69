/**
 * Frigate as the alert source (runtime: Node 22+ fetch), for cities that already run Frigate NVR.
 *
 * Frigate has no alert stream over HTTP, so this polls its events API:
 *   GET {base}api/events?after=<unix s>&limit=<n>&include_thumbnails=0   → newest first
 * and maps each tracked-object event to a Pantau alert:
 *   id          "frigate-" + event id
 *   cameraId    the `cameras` map's entry for the Frigate camera name, else the name itself
 *   type/sev.   by label (person → crowd, car → illegal_parking, …; see DEFAULT_LABELS), and any zone
 *               whose name contains "parking" makes it illegal_parking
 *   time        start_time (unix seconds) as ISO 8601
 *   boxes       data.box ([x, y, w, h], already 0..1 in Frigate 0.13+) with the label and data.score;
 *               Frigate 0.12's top-level pixel box can't be normalised without the frame size: no box
 *   message     label, sub-label, zones, and "ended" once end_time is set
 * False positives are skipped. Acknowledgements stay in Pantau (Frigate has no such notion).
 * The cursor is the start_time of the newest event delivered; events sharing that start_time are
 * fetched again and dropped by the console's duplicate check.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { describeZodError, type AlertType, type Severity } from '../../preload/contract.js';
import { describeUrl, fetchText, REQUEST_TIMEOUT_MS, type AlertSource, type Delivery } from './source.js';

export const FrigateEvent = z.object({
  id: z.string().max(128),
  camera: z.string().max(128),
  label: z.string().max(64),
  sub_label: z.union([z.string(), z.array(z.unknown()), z.null()]).optional(),
  start_time: z.number(),
  end_time: z.number().nullable().optional(),
  false_positive: z.boolean().nullable().optional(),
  zones: z.array(z.string()).default([]),
  top_score: z.number().nullable().optional(),
  data: z
    .object({
      box: z.array(z.number()).length(4).optional(),
      score: z.number().optional(),
      top_score: z.number().optional(),
    })
    .passthrough()
    .nullable()
    .optional(),
});
export type FrigateEvent = z.infer<typeof FrigateEvent>;

export const DEFAULT_LABELS: Record<string, { type: AlertType; severity: Severity }> = {
  person: { type: 'crowd', severity: 'info' },
  car: { type: 'illegal_parking', severity: 'warning' },
  motorcycle: { type: 'illegal_parking', severity: 'warning' },
  bicycle: { type: 'illegal_parking', severity: 'info' },
  truck: { type: 'illegal_parking', severity: 'warning' },
  bus: { type: 'illegal_parking', severity: 'warning' },
  face: { type: 'mask', severity: 'info' },
  fire: { type: 'incident', severity: 'critical' },
  smoke: { type: 'incident', severity: 'critical' },
  knife: { type: 'crime', severity: 'critical' },
};

export interface FrigateOptions {
  url: URL;
  token?: string | null;
  /** Frigate camera name → Pantau camera id. */
  cameras?: Record<string, string>;
  labels?: Record<string, { type: AlertType; severity: Severity }>;
  pollMs?: number;
  /** Without a cursor (first start), events from this many seconds back are read. Default 60. */
  lookbackSeconds?: number;
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;

/** One Frigate event as a Pantau alert (still unvalidated: the service checks it like any other). */
export function frigateToAlert(e: FrigateEvent, o: Pick<FrigateOptions, 'cameras' | 'labels'> = {}): Record<string, unknown> {
  const map = { ...DEFAULT_LABELS, ...o.labels };
  const byZone = e.zones.some((z) => /parking|parkir/i.test(z)) ? { type: 'illegal_parking' as const, severity: 'warning' as const } : null;
  const kind = byZone ?? map[e.label] ?? { type: 'incident' as const, severity: 'info' as const };
  const score = e.data?.score ?? e.data?.top_score ?? e.top_score ?? 0;
  const b = e.data?.box;
  const boxes = b ? [{ box: b.map(round), label: e.label.slice(0, 40), score: round(Math.min(1, Math.max(0, score))) }] : [];
  const sub = typeof e.sub_label === 'string' ? ` (${e.sub_label})` : Array.isArray(e.sub_label) && typeof e.sub_label[0] === 'string' ? ` (${e.sub_label[0]})` : '';
  const zones = e.zones.length ? ` · zona/zones: ${e.zones.join(', ')}` : '';
  const ended = e.end_time ? ' · selesai/ended' : '';
  return {
    id: `frigate-${e.id}`,
    cameraId: o.cameras?.[e.camera] ?? e.camera,
    type: kind.type,
    severity: kind.severity,
    time: new Date(Math.round(e.start_time * 1000)).toISOString(),
    message: `Frigate: ${e.label}${sub} · ${e.camera}${zones}${ended}`.slice(0, 500),
    count: null,
    boxes,
  };
}

export class FrigateSource implements AlertSource {
  readonly kind = 'frigate' as const;
  readonly description: string;
  constructor(private readonly o: FrigateOptions) {
    this.description = describeUrl(o.url);
  }

  async run(cursor: string | null, deliver: (d: Delivery) => void, connected: () => void, signal: AbortSignal): Promise<void> {
    // No cursor yet: start from about now, not from the whole of Frigate's history.
    let after = cursor !== null && /^\d+(\.\d+)?$/.test(cursor) ? Number(cursor) : Date.now() / 1000 - (this.o.lookbackSeconds ?? 60);
    while (!signal.aborted) {
      const events = await this.since(after, signal);
      connected();
      for (const raw of events) {
        const parsed = FrigateEvent.safeParse(raw);
        if (!parsed.success) {
          deliver({ kind: 'invalid', error: `a Frigate event is not in the expected shape: ${describeZodError(parsed.error)}`, cursor: null });
          continue;
        }
        const e = parsed.data;
        after = Math.max(after, e.start_time);
        if (e.false_positive) {
          deliver({ kind: 'cursor', cursor: String(after) });
          continue;
        }
        deliver({ kind: 'alert', raw: frigateToAlert(e, this.o), cursor: String(after) });
      }
      await delay(this.o.pollMs ?? 2_000, undefined, { signal }).catch(() => undefined); // aborted: the loop ends
    }
  }

  /** Every event that started at or after `after`, oldest first, paging back through Frigate's newest-first lists. */
  private async since(after: number, signal: AbortSignal): Promise<unknown[]> {
    const out: unknown[] = [];
    let before: number | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const url = new URL('api/events', this.o.url);
      // Frigate's `after` is exclusive; step back a hair to include events sharing the cursor's time.
      url.searchParams.set('after', String(after - 0.001));
      if (before !== null) url.searchParams.set('before', String(before));
      url.searchParams.set('limit', '100');
      url.searchParams.set('include_thumbnails', '0');
      const text = await fetchText(url, { headers: this.o.token ? { authorization: `Bearer ${this.o.token}` } : {} }, 'reading Frigate events', {
        owner: signal,
        timeoutMs: REQUEST_TIMEOUT_MS,
        maxBytes: 8 * 1024 * 1024,
        bodyName: 'a Frigate event list',
      });
      let list: unknown;
      try {
        list = JSON.parse(text);
      } catch (err) {
        throw new Error(`reading Frigate events: ${describeUrl(url)} did not send JSON (${(err as Error).message.slice(0, 120)})`, { cause: err });
      }
      if (!Array.isArray(list)) throw new Error(`reading Frigate events: ${describeUrl(url)} did not send a list`);
      out.push(...(list as unknown[]));
      const oldest = list.reduce<number | null>((m, e) => {
        const t = (e as { start_time?: unknown })?.start_time;
        return typeof t === 'number' && (m === null || t < m) ? t : m;
      }, null);
      if (list.length < 100 || oldest === null) break;
      before = oldest;
    }
    const time = (e: unknown) => ((e as { start_time?: unknown })?.start_time as number) ?? 0;
    return out.sort((a, b) => time(a) - time(b));
  }

  /** Frigate has no acknowledgement: they stay in Pantau. */
  ack(): Promise<'ok'> {
    return Promise.resolve('ok');
  }
}
