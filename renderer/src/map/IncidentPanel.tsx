/**
 * The 112 panel (runtime: browser): the operator types the place a caller names (a kelurahan, an RW
 * or RT, a street the catalog knows, or coordinates) and one action puts the cameras nearest it on a
 * monitor, nearest first, each tile showing its distance.
 */
import { useEffect, useState } from 'react';
import type { ConsoleApi, Place } from '../../../preload/contract';
import { useI18n } from '../i18n/i18n';
import { formatDistance } from '../wall/Tile';

const RADII = [0, 250, 500, 1000, 2000] as const;

export function IncidentPanel({ api, monitor, onError, onPlace }: { api: ConsoleApi; monitor: number; onError: (e: unknown) => void; onPlace?: (p: Place) => void }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [places, setPlaces] = useState<Place[]>([]);
  const [radius, setRadius] = useState<number>(0);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    const q = query.trim();
    if (!q) return setPlaces([]);
    let alive = true;
    // One search per pause in typing, not per key.
    const id = window.setTimeout(
      () =>
        void api.call('catalog.places', { query: q, limit: 12 }).then(
          (r) => alive && setPlaces(r.places),
          (e: unknown) => alive && onError(e),
        ),
      150,
    );
    return () => {
      alive = false;
      window.clearTimeout(id);
    };
  }, [api, query, onError]);

  const nearest = (p: Place) => {
    onPlace?.(p);
    api
      .call('wall.showNearest', { lat: p.lat, lon: p.lon, monitor, label: `112 · ${p.label}`.slice(0, 80), ...(radius ? { radiusM: radius } : {}) })
      .then(() => setDone(t('incident.shown', { place: p.label, monitor })), onError);
  };

  return (
    <section className="flex w-80 shrink-0 flex-col gap-2 rounded border border-edge bg-panel p-2 text-sm" data-testid="incident-panel" aria-label={t('incident.title')}>
      <h3 className="font-bold uppercase tracking-wide text-severity-critical">{t('incident.title')}</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (places[0]) nearest(places[0]);
        }}
        className="flex flex-col gap-2"
      >
        <input
          type="search"
          value={query}
          maxLength={200}
          data-testid="incident-query"
          placeholder={t('incident.placeholder')}
          aria-label={t('incident.placeholder')}
          className="rounded border border-edge bg-wall px-2 py-1"
          onChange={(e) => setQuery(e.target.value)}
        />
        <label className="flex items-center gap-2">
          {t('incident.radius')}
          <select value={radius} data-testid="incident-radius" className="rounded border border-edge bg-wall px-1" onChange={(e) => setRadius(Number(e.target.value))}>
            {RADII.map((r) => (
              <option key={r} value={r}>
                {r === 0 ? t('incident.any') : formatDistance(r)}
              </option>
            ))}
          </select>
        </label>
      </form>
      {query.trim() !== '' && places.length === 0 && <div className="text-ink-dim">{t('incident.none')}</div>}
      <ul className="flex min-h-0 flex-col gap-1 overflow-auto">
        {places.map((p, i) => (
          <li key={`${p.kind}-${p.label}-${i}`} className="flex items-center gap-2 rounded bg-wall px-2 py-1" data-place-kind={p.kind}>
            <div className="min-w-0 flex-1">
              <div className="truncate font-semibold" title={p.label}>
                {p.label}
              </div>
              <div className="truncate text-xs text-ink-dim">
                {t(`incident.kind.${p.kind}`)}
                {p.detail ? ` · ${p.detail}` : ''}
              </div>
            </div>
            <button type="button" data-action="show-nearest" className="shrink-0 rounded bg-severity-critical px-2 py-0.5 text-xs font-bold text-white" onClick={() => nearest(p)}>
              {t('incident.nearest')}
            </button>
          </li>
        ))}
      </ul>
      {done && (
        <div role="status" className="text-xs text-accent" data-testid="incident-done">
          {done}
        </div>
      )}
    </section>
  );
}
