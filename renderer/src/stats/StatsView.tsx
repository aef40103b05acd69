/**
 * Statistics for policy (runtime: browser): four charts from the alert history, each with its table
 * and a CSV export of that table (`stats.exportCsv`, the same query): alerts per kecamatan, crowd
 * peaks by hour of day (WIB), trader counts per market per day, and illegal-parking hot spots.
 */
import { useEffect, useMemo, useState } from 'react';
import type uPlot from 'uplot';
import type { CommandResult, ConsoleApi, StatsQuery } from '../../../preload/contract';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { downloadText, today } from '../ui/download';
import { AXIS, bars, Chart } from './Chart';

type Result = CommandResult<'stats.summary'>;
const DAY = 86_400_000;
const RANGES = [7, 30, 90] as const;
const COLOURS = ['#38bdf8', '#f472b6', '#facc15', '#4ade80', '#fb923c', '#a78bfa', '#f87171', '#2dd4bf'];

interface Panel {
  id: 'kecamatan' | 'crowd' | 'traders' | 'parking';
  title: MessageKey;
  query: (from: number, to: number) => StatsQuery;
}
const PANELS: Panel[] = [
  { id: 'kecamatan', title: 'stats.perKecamatan', query: (from, to) => ({ from, to, groupBy: 'kecamatan' }) },
  { id: 'crowd', title: 'stats.crowdByHour', query: (from, to) => ({ from, to, groupBy: 'hour', types: ['crowd'] }) },
  { id: 'traders', title: 'stats.traders', query: (from, to) => ({ from, to, groupBy: 'day', thenBy: 'camera', types: ['trader_count'] }) },
  { id: 'parking', title: 'stats.parking', query: (from, to) => ({ from, to, groupBy: 'kelurahan', types: ['illegal_parking'], limit: 15 }) },
];

/** Horizontal bars: one per category, labels on the left. */
function categoryBars(labels: string[], values: number[], name: string, colour: string): { options: Omit<uPlot.Options, 'width' | 'height'>; data: uPlot.AlignedData } {
  return {
    options: {
      scales: { x: { time: false, ori: 1, dir: -1, range: [-0.5, labels.length - 0.5] }, y: { ori: 0, range: (_u, _min, max) => [0, Math.max(1, max) * 1.05] } },
      axes: [
        { ...AXIS, side: 3, size: 150, values: (_u, splits) => splits.map((i) => labels[i] ?? ''), splits: () => labels.map((_, i) => i), gap: 4 },
        { ...AXIS, side: 2, space: 70 },
      ],
      legend: { show: false },
      cursor: { show: false },
      series: [{}, { label: name, fill: colour, stroke: colour, paths: bars(), points: { show: false } }],
    },
    data: [labels.map((_, i) => i), values],
  };
}

function chartFor(panel: Panel['id'], r: Result, t: (k: MessageKey) => string): { options: Omit<uPlot.Options, 'width' | 'height'>; data: uPlot.AlignedData; height: number } {
  if (panel === 'kecamatan' || panel === 'parking') {
    const c = categoryBars(
      r.rows.map((x) => x.label),
      r.rows.map((x) => x.count),
      t('stats.count'),
      panel === 'kecamatan' ? '#38bdf8' : '#fb923c',
    );
    return { ...c, height: Math.max(200, 22 * r.rows.length + 40) };
  }
  if (panel === 'crowd') {
    const hours = Array.from({ length: 24 }, (_, h) => h);
    const by = new Map(r.rows.map((x) => [Number(x.key), x]));
    return {
      height: 240,
      options: {
        scales: { x: { time: false, range: [-0.5, 23.5] } },
        axes: [{ ...AXIS, values: (_u, s) => s.map((h) => (h % 3 === 0 ? `${String(h).padStart(2, '0')}:00` : '')), splits: () => hours }, { ...AXIS }],
        series: [{}, { label: t('stats.peak'), fill: '#f472b6', stroke: '#f472b6', paths: bars(), points: { show: false } }, { label: t('stats.average'), stroke: '#facc15', width: 2 }],
      },
      data: [hours, hours.map((h) => by.get(h)?.crowd?.peak ?? null), hours.map((h) => by.get(h)?.crowd?.avg ?? null)],
    };
  }
  // Traders: one line per market (camera), a point per day.
  const days = [...new Set(r.rows.map((x) => x.key))].sort();
  const markets = [...new Map(r.rows.map((x) => [x.key2!, x.label2 ?? x.key2!])).entries()].slice(0, COLOURS.length);
  const at = new Map(r.rows.map((x) => [`${x.key}|${x.key2}`, x.trader?.avg ?? null]));
  return {
    height: 260,
    options: {
      scales: { x: { time: true } },
      axes: [{ ...AXIS }, { ...AXIS }],
      series: [{}, ...markets.map(([, name], i) => ({ label: name, stroke: COLOURS[i]!, width: 2 }))],
    },
    data: [days.map((d) => Date.parse(`${d}T00:00:00+07:00`) / 1000), ...markets.map(([id]) => days.map((d) => at.get(`${d}|${id}`) ?? null))],
  };
}

function PanelView({ api, panel, from, to, onError }: { api: ConsoleApi; panel: Panel; from: number; to: number; onError: (e: unknown) => void }) {
  const { t } = useI18n();
  const [result, setResult] = useState<Result | null>(null);
  const query = useMemo(() => panel.query(from, to), [panel, from, to]);
  useEffect(() => {
    let alive = true;
    api.call('stats.summary', query).then((r) => alive && setResult(r), onError);
    return () => {
      alive = false;
    };
  }, [api, query, onError]);
  const chart = useMemo(() => (result ? chartFor(panel.id, result, t) : null), [result, panel.id, t]);
  const exportCsv = () => void api.call('stats.exportCsv', query).then(({ csv }) => downloadText(`pantau-${panel.id}-${today()}.csv`, csv, 'text/csv'), onError);
  const typed = query.types?.length === 1 ? query.types[0] : null;
  return (
    <section className="flex min-w-0 flex-col gap-2 rounded border border-edge bg-panel p-2" data-stats-panel={panel.id} data-total={result?.total ?? ''} data-rows={result?.rows.length ?? ''}>
      <div className="flex items-center gap-2">
        <h3 className="font-semibold">{t(panel.title)}</h3>
        <span className="text-xs text-ink-dim">{result ? t('stats.total', { n: result.total.toLocaleString('id-ID') }) : '…'}</span>
        <button type="button" data-action="stats-csv" className="ml-auto rounded bg-accent px-2 text-xs font-bold text-black" onClick={exportCsv}>
          CSV
        </button>
      </div>
      {result && result.rows.length === 0 && <div className="text-ink-dim">{t('stats.empty')}</div>}
      {chart && result && result.rows.length > 0 && <Chart testId={panel.id} options={chart.options} data={chart.data} height={chart.height} />}
      {result && result.rows.length > 0 && (
        <details>
          <summary className="cursor-pointer text-xs text-ink-dim">{t('stats.table')}</summary>
          <table className="mt-1 w-full text-xs" data-stats-table={panel.id}>
            <thead>
              <tr className="text-left text-ink-dim">
                <th>{t(`stats.by.${query.groupBy}`)}</th>
                {query.thenBy && <th>{t(`stats.by.${query.thenBy}`)}</th>}
                <th className="text-right">{t('stats.count')}</th>
                {(typed === 'crowd' || typed === 'trader_count') && (
                  <>
                    <th className="text-right">{t('stats.peak')}</th>
                    <th className="text-right">{t('stats.average')}</th>
                  </>
                )}
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => {
                const pa = typed === 'crowd' ? r.crowd : typed === 'trader_count' ? r.trader : null;
                return (
                  <tr key={`${r.key}|${r.key2 ?? ''}`}>
                    <td>{r.label}</td>
                    {query.thenBy && <td>{r.label2}</td>}
                    <td className="text-right">{r.count}</td>
                    {pa && (
                      <>
                        <td className="text-right">{pa.peak}</td>
                        <td className="text-right">{pa.avg}</td>
                      </>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}

export function StatsView({ api, onError }: { api: ConsoleApi; onError: (e: unknown) => void }) {
  const { t } = useI18n();
  const [days, setDays] = useState<number>(30);
  // The range ends at the next whole hour, so the queries (and their charts) stay put while open.
  const to = useMemo(() => Math.ceil(Date.now() / 3600_000) * 3600_000, []);
  const from = to - days * DAY;
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2" data-testid="stats-view">
      <div className="flex items-center gap-2" role="group" aria-label={t('stats.range')}>
        <span className="text-ink-dim">{t('stats.range')}:</span>
        {RANGES.map((d) => (
          <button key={d} type="button" data-stats-range={d} aria-pressed={days === d} className={`rounded px-2 ${days === d ? 'bg-accent text-black' : 'bg-edge'}`} onClick={() => setDays(d)}>
            {t('stats.days', { n: d })}
          </button>
        ))}
        <span className="text-xs text-ink-dim">{t('stats.wib')}</span>
      </div>
      <div className="grid min-h-0 grid-cols-1 gap-2 overflow-auto xl:grid-cols-2">
        {PANELS.map((p) => (
          <PanelView key={p.id} api={api} panel={p} from={from} to={to} onError={onError} />
        ))}
      </div>
    </div>
  );
}
