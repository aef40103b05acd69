/**
 * Catalog search per keystroke over the 10,693-camera Semarang demo catalog.
 *
 * An operator types a query letter by letter; every prefix is one search (results capped at 500, as
 * the catalog panel asks). Queries include typos, old Indonesian spellings, numbers and codes.
 * Measured through Console.dispatch (argument parsing included) and through the web-mode API socket
 * (a real WebSocket round trip on loopback, what the renderer pays). Baseline in the same run: the
 * straightforward fuzzy search, an edit distance against every camera's text per keystroke.
 * Goal: p95 <= 10 ms per keystroke query.
 */
import WebSocket from 'ws';
import { API_VERSION } from '../preload/contract';
import { boundedDistance, normalise, spellingKey } from '../main/catalog/search';
import { startBenchHost } from './lib/host';
import { percentile } from './lib/cpu';
import { report } from './lib/report';

const QUERIES = [
  'Pedoeroengan Kidoel',
  'Tlogosary wetan',
  'djomblang',
  'tandjoeng mas',
  'semarang tengah rt 05',
  '10234',
  '20015',
  'atcs tembalang',
  'privat banyumanik',
  'srondl kulon',
  'gajahmugkur',
  'rw 03 miroto',
  '33.74.08',
  'bendan dhuwur',
  'kalibanteng kidul rt 02',
  'mangkang wetan',
  'ngaliyan',
  'sampangan',
  'jatingaleh rw 01',
  'krobokan',
  'genuk',
  'muktiharjo lor rt 7',
];
const keystrokes = QUERIES.flatMap((q) => Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1))).filter((q) => q.trim());

// Thousands of searches from one session as fast as they answer: what is measured is the search, so
// the console's flood guard (500 commands a second per session) is lifted here.
const host = await startBenchHost({ demo: false, rateLimit: { burst: Infinity, perSecond: Infinity } });
const app = host.console;
const searcher = { session: app.openSession().id };
const catalog = app.catalog;

async function timeEach(fn: (q: string) => unknown, rounds: number): Promise<number[]> {
  for (const q of keystrokes.slice(0, 50)) await fn(q); // warm-up (JIT)
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of keystrokes) {
      const t0 = performance.now();
      await fn(q);
      out.push(performance.now() - t0);
    }
  }
  return out;
}

// Pantau, in process.
const dispatch = await timeEach((q) => app.dispatch('catalog.search', { query: q, limit: 500 }, searcher), 5);

// Pantau, over the API socket.
const ws = new WebSocket(`${host.url.replace('http', 'ws')}/api/ws`, { headers: { origin: host.url } });
await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
let id = 0;
const pending = new Map<number, () => void>();
ws.on('message', (d) => {
  const m = JSON.parse((d as Buffer).toString()) as { id?: number };
  if (typeof m.id === 'number') pending.get(m.id)?.();
});
const call = (command: string, args: unknown) =>
  new Promise<void>((resolve) => {
    const n = ++id;
    pending.set(n, () => (pending.delete(n), resolve()));
    ws.send(JSON.stringify({ v: API_VERSION, id: n, command, args }));
  });
await call('console.hello', { apiVersion: API_VERSION });
const socket = await timeEach((q) => call('catalog.search', { query: q, limit: 500 }), 3);
ws.close();

// Baseline: edit distance of each query word against every word of every camera, per keystroke.
const texts = catalog.cameras.map((c) => normalise(`${c.number} ${c.name} ${c.kelurahanName} ${c.kecamatanName} ${c.kecamatanCode} ${c.kelurahanCode} ${c.id} ${c.type}`).split(' '));
const naive = (q: string) => {
  const words = normalise(q).split(' ').filter(Boolean).map(spellingKey);
  const hits: number[] = [];
  texts.forEach((t, i) => {
    if (words.every((w) => t.some((x) => x.startsWith(w) || boundedDistance(w, spellingKey(x), w.length < 4 ? 0 : 1) <= (w.length < 4 ? 0 : 1)))) hits.push(i);
  });
  return hits.slice(0, 500);
};
const baseline = await timeEach(naive, 1);

const stats = (xs: number[]) => ({ p50: +percentile(xs, 50).toFixed(2), p95: +percentile(xs, 95).toFixed(2), max: +Math.max(...xs).toFixed(2), n: xs.length });
const figures = {
  'keystroke queries per round': keystrokes.length,
  'pantau in-process ms': stats(dispatch),
  'pantau over API socket ms': stats(socket),
  'baseline naive fuzzy scan ms': stats(baseline),
  'goal p95 <= 10 ms met (socket)': percentile(socket, 95) <= 10,
};
report('catalog-search', figures, [
  `catalog: ${catalog.size} cameras; inverted token index with exact, prefix, spelling-key and edit-distance matching`,
  'each keystroke of 22 operator queries (typos, old spellings, numbers, codes) is one query, limit 500',
]);
await host.close();
