/**
 * The analytics backend simulator (runtime: Node): a real HTTP server speaking Pantau's alert protocol
 * exactly (README "Alert protocol"), with believable alerts for the demo cameras: crowds that swell and
 * disperse with boxes that move, trader counts at market hours (WIB), masks, illegal parking on traffic
 * cameras, and the rare crime or incident.
 *
 * Cursors are "<epoch>-<seq>": a cursor from an earlier run of the simulator (another epoch) reads
 * as "from the oldest kept", so a console never waits forever on a cursor the backend forgot.
 *
 * Test hooks, simulator only: POST /sim/alerts publishes a JSON array of raw alerts as given (even
 * malformed ones), POST /sim/outage?ms=N takes the backend away for N ms, GET /sim/stats reports counts. suspend()/resume() take the HTTP side down and back
 * while the analytics keep producing, as a backend outage would.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AlertType, Severity } from '../../preload/contract.js';

export interface SimCamera {
  id: string;
  type: 'rt' | 'atcs' | 'private';
}

export interface SimulatorOptions {
  cameras: SimCamera[];
  /** Generated alerts per second; 0 publishes only what tests inject. */
  rate: number;
  port?: number;
  token?: string | null;
  /** Alerts kept for catch-up. */
  retain?: number;
  heartbeatMs?: number;
  now?: () => number;
  seed?: number;
  log?: (message: string) => void;
  /**
   * Days of past alerts served by GET /alerts/history (the demo's statistics), generated on demand:
   * the same alerts for the same slot on every run, `backfillRate` per second of the past.
   */
  backfillDays?: number;
  /** Past alerts per second (default 0.05: about 130,000 over 30 days). */
  backfillRate?: number;
  /** The cameras the history covers (default: `cameras`); the demo spreads them over the whole city. */
  historyCameras?: SimCamera[];
}

interface Stored {
  seq: number;
  json: string;
  id: string | null;
  ack: { by: string; note: string; at: number } | null;
}

const MAX_BODY = 64 * 1024;
/** A stream client this far behind is dropped; it catches up by cursor when it returns. */
const MAX_CLIENT_BACKLOG = 8 * 1024 * 1024;

/** mulberry32: small, seeded, good enough for believable noise. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Market hours in Semarang (WIB, UTC+7): the morning market and the evening one. */
export function isMarketHour(epochMs: number): boolean {
  const h = new Date(epochMs + 7 * 3600_000).getUTCHours();
  return (h >= 4 && h < 11) || (h >= 16 && h < 21);
}

export class AlertSimulator {
  private readonly stored: Stored[] = [];
  private seq = 0;
  readonly epoch: string;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly random: () => number;
  private readonly now: () => number;
  private carry = 0;
  private lastTick = 0;
  private next = 0;
  private made = 0;
  port = 0;
  readonly stats = { published: 0, acks: 0, streamsOpened: 0, pagesServed: 0 };
  /** SSE streams open now. */
  get openStreams(): number {
    return this.clients.size;
  }

  constructor(private readonly o: SimulatorOptions) {
    this.now = o.now ?? Date.now;
    this.random = rng(o.seed ?? 7);
    this.epoch = this.now().toString(36);
    this.startedAt = this.now();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }
  get lastCursor(): string {
    return this.cursorOf(this.seq);
  }

  /** Changes the generated alerts per second (a benchmark floods, then stops). */
  setRate(rate: number): void {
    this.o.rate = rate;
    this.lastTick = this.now();
    this.carry = 0;
    if (rate > 0 && !this.timer) this.timer = setInterval(() => this.tick(), 50);
    if (rate === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  async start(): Promise<string> {
    await this.listen(this.o.port ?? 0);
    this.lastTick = this.now();
    if (this.o.rate > 0) this.timer = setInterval(() => this.tick(), 50);
    this.heartbeat = setInterval(() => {
      for (const c of this.clients) c.write(': ping\n\n');
    }, this.o.heartbeatMs ?? 15_000);
    this.timer?.unref();
    this.heartbeat.unref();
    return this.url;
  }

  private listen(port: number): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  /** The backend becomes unreachable (connections cut, port closed); alerts keep being made. */
  async suspend(): Promise<void> {
    const s = this.server;
    this.server = null;
    for (const c of this.clients) c.destroy();
    this.clients.clear();
    for (const sock of this.sockets) sock.destroy();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
  async resume(): Promise<void> {
    await this.listen(this.port);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.suspend();
  }

  private cursorOf(seq: number): string {
    return `${this.epoch}-${seq}`;
  }
  /** The sequence number after which to serve; a foreign or unknown cursor serves from the oldest kept. */
  private afterOf(cursor: string | null): number | 'bad' {
    if (cursor === null || cursor === '') return 0;
    const m = /^([0-9a-z]{1,16})-(\d{1,15})$/.exec(cursor);
    if (!m) return 'bad';
    if (m[1] !== this.epoch) return 0;
    return Math.min(Number(m[2]), this.seq);
  }

  /** Publishes raw alerts exactly as given (tests send malformed ones on purpose). Returns their cursors. */
  publish(raw: unknown[]): string[] {
    return raw.map((a) => {
      const json = JSON.stringify(a);
      const s: Stored = { seq: ++this.seq, json, id: typeof (a as { id?: unknown })?.id === 'string' ? (a as { id: string }).id : null, ack: null };
      this.stored.push(s);
      if (this.stored.length > (this.o.retain ?? 50_000)) this.stored.shift();
      this.stats.published++;
      const frame = `id: ${this.cursorOf(s.seq)}\nevent: alert\ndata: ${json}\n\n`;
      for (const c of this.clients) {
        if (c.writableLength > MAX_CLIENT_BACKLOG) c.destroy();
        else c.write(frame);
      }
      return this.cursorOf(s.seq);
    });
  }

  private since(after: number): Stored[] {
    // Sequence numbers are dense in `stored`, so the first one after `after` is found by offset.
    const first = this.stored[0]?.seq ?? this.seq + 1;
    return this.stored.slice(Math.max(0, after + 1 - first));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
      res.end(JSON.stringify(body));
    };
    if (this.o.token && req.headers.authorization !== `Bearer ${this.o.token}`) return json(401, { error: 'a valid bearer token is required' }, { 'www-authenticate': 'Bearer' });
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (req.method === 'GET' && path === '/alerts/history') {
      const from = Date.parse(url.searchParams.get('from') ?? '');
      const to = Date.parse(url.searchParams.get('to') ?? '');
      const limit = Number(url.searchParams.get('limit') ?? 5000);
      const after = url.searchParams.get('after');
      if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) return json(400, { error: 'from, to: ISO 8601 times, to after from' });
      if (!Number.isInteger(limit) || limit < 1 || limit > 5000) return json(400, { error: 'limit: a whole number from 1 to 5000' });
      if (after !== null && !/^\d{1,15}$/.test(after)) return json(400, { error: 'after: not a token this backend issued' });
      if (!this.o.backfillDays) return json(404, { error: 'this backend keeps no history' });
      return json(200, this.historyPage(from, to, after === null ? null : Number(after), limit));
    }
    if (req.method === 'GET' && path === '/alerts') {
      const after = this.afterOf(url.searchParams.get('after'));
      if (after === 'bad') return json(400, { error: 'after: not a cursor this backend issued' });
      const limit = Number(url.searchParams.get('limit') ?? 100);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) return json(400, { error: 'limit: a whole number from 1 to 500' });
      const rest = this.since(after);
      const page = rest.slice(0, limit);
      this.stats.pagesServed++;
      const cursor = this.cursorOf(page.length ? page[page.length - 1]!.seq : Math.max(after, (this.stored[0]?.seq ?? 1) - 1));
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(`{"alerts":[${page.map((s) => s.json).join(',')}],"cursor":${JSON.stringify(cursor)},"more":${rest.length > limit}}`);
      return;
    }
    if (req.method === 'GET' && path === '/alerts/stream') {
      const after = this.afterOf((req.headers['last-event-id'] as string | undefined) ?? url.searchParams.get('after'));
      if (after === 'bad') return json(400, { error: 'Last-Event-ID: not a cursor this backend issued' });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': pantau alert stream\n\n');
      for (const s of this.since(after)) res.write(`id: ${this.cursorOf(s.seq)}\nevent: alert\ndata: ${s.json}\n\n`);
      this.clients.add(res);
      this.stats.streamsOpened++;
      res.on('close', () => this.clients.delete(res));
      return;
    }
    const ack = /^\/alerts\/([^/]{1,200})\/ack$/.exec(path);
    if (req.method === 'POST' && ack) {
      let id: string;
      try {
        id = decodeURIComponent(ack[1]!);
      } catch {
        return json(400, { error: 'alert id: bad percent-encoding' });
      }
      return void readBody(req, MAX_BODY).then(
        (text) => {
          let body: { by?: unknown; note?: unknown };
          try {
            body = JSON.parse(text) as typeof body;
          } catch {
            return json(400, { error: 'body: not JSON' });
          }
          if (typeof body.by !== 'string' || body.by.length > 80) return json(400, { error: 'by: a string of at most 80 characters' });
          if (typeof body.note !== 'string' || body.note.length > 500) return json(400, { error: 'note: a string of at most 500 characters' });
          const found = this.stored.find((s) => s.id === id);
          if (!found) return json(404, { error: `alert ${id} is not known` });
          found.ack ??= { by: body.by, note: body.note, at: this.now() };
          this.stats.acks++;
          return json(200, { id, ack: found.ack });
        },
        (err: Error) => json(413, { error: err.message }),
      );
    }
    if (req.method === 'POST' && path === '/sim/alerts') {
      return void readBody(req, 16 * 1024 * 1024).then(
        (text) => {
          let list: unknown;
          try {
            list = JSON.parse(text);
          } catch {
            return json(400, { error: 'body: not JSON' });
          }
          if (!Array.isArray(list)) return json(400, { error: 'body: a JSON array of alerts' });
          return json(200, { cursors: this.publish(list) });
        },
        (err: Error) => json(413, { error: err.message }),
      );
    }
    const outage = /^\/sim\/outage$/.exec(path);
    if (req.method === 'POST' && outage) {
      // A test asks for the backend to go away for `ms` (answered first, then the port closes).
      const ms = Number(url.searchParams.get('ms') ?? 3000);
      if (!Number.isInteger(ms) || ms < 100 || ms > 60_000) return json(400, { error: 'ms: 100 to 60000' });
      json(200, { down: ms });
      setTimeout(() => void this.suspend().then(() => setTimeout(() => void this.resume(), ms)), 50);
      return;
    }
    if (req.method === 'GET' && path === '/sim/stats')
      return json(200, { ...this.stats, cursor: this.lastCursor, streams: this.clients.size, acked: this.stored.filter((s) => s.ack).map((s) => ({ id: s.id, ...s.ack })) });
    json(404, { error: `no such endpoint: ${req.method} ${path.slice(0, 100)}` });
  }

  // ------------------------------------------------------------------ history (backfill)

  /** When this simulator started: history ends here, the live alerts begin. */
  private readonly startedAt: number;

  /**
   * Past alerts in [from, to), oldest first. Slots sit on a fixed grid of 1/backfillRate seconds, so a
   * slot's alert (id `hist-<slot>`, camera, content) is the same on every run and every page.
   */
  historyPage(from: number, to: number, after: number | null, limit: number): { alerts: Record<string, unknown>[]; next: string | null } {
    const slotMs = 1000 / (this.o.backfillRate ?? 0.05);
    const first = Math.ceil((this.startedAt - (this.o.backfillDays ?? 0) * 86_400_000) / slotMs);
    const end = Math.ceil(Math.min(to, this.startedAt) / slotMs); // exclusive
    let slot = Math.max(first, Math.ceil(from / slotMs), after === null ? 0 : after + 1);
    const alerts: Record<string, unknown>[] = [];
    const cams = this.o.historyCameras ?? this.o.cameras;
    for (; slot < end && alerts.length < limit; slot++) {
      // Some places are busier than others: cameras are drawn with a skew (a few hot spots raise
      // far more alerts than the rest), scattered over the list by a fixed permutation.
      const r = rng(slot);
      const index = (Math.floor(cams.length * r() ** 1.8) * 7919) % cams.length;
      const a = this.scene(cams[index]!, index, slot * slotMs, r, `hist-${slot}`);
      alerts.push({ ...a, boxes: [] });
    }
    return { alerts, next: slot < end ? String(slot - 1) : null };
  }

  // ------------------------------------------------------------------ believable alerts

  private tick(): void {
    const now = this.now();
    this.carry += ((now - this.lastTick) / 1000) * this.o.rate;
    this.lastTick = now;
    const n = Math.floor(this.carry);
    this.carry -= n;
    if (n > 0) this.publish(Array.from({ length: n }, () => this.make(now)));
  }

  /** One alert for the next camera in turn, in the way that camera's scene would produce it. */
  make(now: number): Record<string, unknown> {
    const cams = this.o.cameras;
    const index = this.next++ % cams.length;
    return this.scene(cams[index]!, index, now, this.random, `sim-${this.epoch}-${++this.made}`);
  }

  /** The alert camera number `index` would raise at `now`. */
  private scene(cam: SimCamera, index: number, now: number, r: () => number, id: string): Record<string, unknown> {
    const t = now / 1000;
    const time = new Date(now).toISOString();
    const box = (cx: number, cy: number, w: number, h: number, label: string) => ({
      box: [clamp(cx - w / 2, 0, 1 - w), clamp(cy - h / 2, 0, 1 - h), w, h].map((v) => Math.round(v * 10_000) / 10_000),
      label,
      score: Math.round((0.6 + 0.39 * r()) * 100) / 100,
    });
    // Each camera has its own phase, so crowds swell and disperse at different times.
    const phase = index * 1.7;
    if (cam.type === 'atcs') {
      if (r() < 0.97) {
        const x = 0.2 + 0.6 * ((t / 40 + index * 0.13) % 1);
        return {
          id,
          cameraId: cam.id,
          type: 'illegal_parking',
          severity: 'warning',
          time,
          message: 'Parkir liar di bahu jalan / Illegal parking on the shoulder',
          count: 1,
          boxes: [box(x, 0.7, 0.16, 0.14, 'car')],
        };
      }
      return {
        id,
        cameraId: cam.id,
        type: 'incident',
        severity: 'critical',
        time,
        message: 'Kecelakaan lalu lintas terdeteksi / Traffic accident detected',
        count: null,
        boxes: [box(0.5, 0.6, 0.3, 0.25, 'vehicle')],
      };
    }
    const roll = r();
    if (roll < 0.01)
      return {
        id,
        cameraId: cam.id,
        type: 'crime',
        severity: 'critical',
        time,
        message: 'Dugaan tindak kejahatan / Suspected crime',
        count: null,
        boxes: [box(0.4 + 0.2 * r(), 0.5, 0.14, 0.4, 'person')],
      };
    // Every 8th camera watches a market: in market hours it mostly counts traders.
    if (index % 8 === 0 && isMarketHour(now) && roll < 0.6) {
      const traders = Math.round(25 + 15 * Math.sin(t / 300 + phase) + 5 * r());
      return { id, cameraId: cam.id, type: 'trader_count', severity: 'info', time, message: `Pedagang pasar: ${traders} / Market traders: ${traders}`, count: traders, boxes: [] };
    }
    if (roll < 0.3) {
      const x = 0.15 + 0.7 * ((t / 25 + index * 0.29) % 1);
      return { id, cameraId: cam.id, type: 'mask', severity: 'info', time, message: 'Tidak bermasker / No face mask', count: 1, boxes: [box(x, 0.35, 0.08, 0.12, 'face')] };
    }
    // Crowds: a slow swell and dispersal, noise on top, larger in the day's busy hours; boxes drift.
    const count = Math.max(1, Math.round((22 + 20 * Math.sin(t / 60 + phase)) * busyness(now) + 6 * (r() - 0.5)));
    const severity: Severity = count >= 40 ? 'critical' : count >= 25 ? 'warning' : 'info';
    const shown = Math.min(count, 8);
    const boxes = Array.from({ length: shown }, (_, k) => {
      const cx = 0.12 + 0.76 * ((k / shown + t / 50 + index * 0.07) % 1);
      const cy = 0.45 + 0.25 * Math.sin(t / 7 + k * 1.3);
      return box(cx, cy, 0.07, 0.22, 'person');
    });
    const type: AlertType = 'crowd';
    return { id, cameraId: cam.id, type, severity, time, message: `Kerumunan ${count} orang / Crowd of ${count} people`, count, boxes };
  }
}

/**
 * How busy a street is at this hour of the day in Semarang (WIB): quiet at night, a morning peak
 * around 07:00, a larger evening one around 19:00. 0.35 … 1.35.
 */
export function busyness(epochMs: number): number {
  const h = (((epochMs / 3600_000 + 7) % 24) + 24) % 24;
  const bump = (centre: number, width: number) => Math.exp(-(((h - centre) / width) ** 2));
  return 0.35 + 0.6 * bump(7, 1.8) + 1.0 * bump(19, 2.5);
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error(`body larger than ${max} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
