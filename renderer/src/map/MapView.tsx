/**
 * The situation map (runtime: browser): the city's 16 kecamatan drawn from their boundaries (offline,
 * no tile server), each coloured by its cameras' health and its open alerts. Clicking a kecamatan
 * shows it on the chosen monitors, as the catalog tree does, and zooms in to its cameras as points;
 * clicking a kelurahan label there shows that kelurahan. Open alerts blink where their camera stands.
 * The 112 panel beside it finds a place and puts the nearest cameras on a monitor.
 *
 * Drawing: d3-geo's planar geoIdentity (y flipped) fitted to the view, so the GeoJSON's winding order
 * does not matter and a city-sized area keeps its shape (cos 7° ≈ 0.99).
 */
import { geoIdentity, geoPath, type GeoPermissibleObjects } from 'd3-geo';
import { useEffect, useMemo, useState } from 'react';
import type { ConsoleApi, MapCamera, MapDistrict, MapShape } from '../../../preload/contract';
import { useAlertStore } from '../alerts/store';
import { useI18n } from '../i18n/i18n';
import { IncidentPanel } from './IncidentPanel';

const W = 1000;
const H = 720;
const POLL_MS = 3_000;

type Health = 'alert' | 'offline' | 'live' | 'unknown';
export function healthOf(d: Pick<MapDistrict, 'alerts' | 'live' | 'offline'>): Health {
  if (d.alerts > 0) return 'alert';
  if (d.offline > 0 && d.offline >= d.live) return 'offline';
  if (d.live > 0) return 'live';
  return 'unknown';
}
const FILL: Record<Health, string> = { alert: '#7f1d1d', offline: '#78350f', live: '#14532d', unknown: '#1e293b' };

function feature(shape: MapShape): GeoPermissibleObjects {
  return { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: shape.polygons } };
}

export function MapView({ api, targets, onError }: { api: ConsoleApi; targets: number[]; onError: (e: unknown) => void }) {
  const { t } = useI18n();
  const [shapes, setShapes] = useState<MapShape[] | null>(null);
  const [districts, setDistricts] = useState<Map<string, MapDistrict>>(new Map());
  const [zoom, setZoom] = useState<string | null>(null);
  const [cams, setCams] = useState<MapCamera[]>([]);
  const [shown, setShown] = useState<string | null>(null);
  const [pin, setPin] = useState<{ lat: number; lon: number } | null>(null);
  const alerts = useAlertStore();

  useEffect(() => {
    let alive = true;
    api.call('map.shapes', {}).then((r) => alive && setShapes(r.shapes), onError);
    const poll = () =>
      void api.call('map.status', {}).then(
        (r) => alive && setDistricts(new Map(r.districts.map((d) => [d.code, d]))),
        () => undefined,
      );
    poll();
    const id = window.setInterval(poll, POLL_MS);
    return () => {
      alive = false;
      window.clearInterval(id);
    };
  }, [api, onError]);

  useEffect(() => {
    if (!zoom) return setCams([]);
    let alive = true;
    const load = () =>
      void api.call('map.cameras', { kecamatan: zoom }).then(
        (r) => alive && setCams(r.cameras),
        () => undefined,
      );
    load();
    const id = window.setInterval(load, POLL_MS);
    return () => {
      alive = false;
      window.clearInterval(id);
    };
  }, [api, zoom]);

  const projection = useMemo(() => {
    const p = geoIdentity().reflectY(true);
    const focus = shapes?.filter((s) => zoom === null || s.code === zoom) ?? [];
    if (focus.length)
      p.fitExtent(
        [
          [12, 12],
          [W - 12, H - 12],
        ],
        { type: 'FeatureCollection', features: focus.map(feature) } as GeoPermissibleObjects,
      );
    return p;
  }, [shapes, zoom]);
  const path = useMemo(() => geoPath(projection), [projection]);
  const at = (lon: number, lat: number) => projection([lon, lat]) ?? [0, 0];

  const show = (node: string, name: string) => {
    setShown(t('map.shown', { name, monitors: targets.join(', ') }));
    api.call('wall.show', { monitors: targets, source: { kind: 'district', node: node } }).catch(onError);
  };

  // Kelurahan labels stand where their cameras stand on average.
  const kelurahan = useMemo(() => {
    const sums = new Map<string, { name: string; lat: number; lon: number; n: number }>();
    for (const c of cams) {
      const s = sums.get(c.kelurahanCode) ?? { name: c.kelurahanName, lat: 0, lon: 0, n: 0 };
      s.lat += c.lat;
      s.lon += c.lon;
      s.n++;
      sums.set(c.kelurahanCode, s);
    }
    return [...sums.entries()].map(([code, s]) => ({ code, name: s.name, lat: s.lat / s.n, lon: s.lon / s.n }));
  }, [cams]);

  const blinking = (alerts?.list() ?? []).filter((a) => !a.ack && typeof a.lat === 'number' && typeof a.lon === 'number').slice(0, 200);
  const focused = zoom ? districts.get(zoom) : undefined;
  const total = [...districts.values()].reduce((s, d) => ({ cameras: s.cameras + d.cameras, live: s.live + d.live, offline: s.offline + d.offline, alerts: s.alerts + d.alerts }), {
    cameras: 0,
    live: 0,
    offline: 0,
    alerts: 0,
  });
  const summary = focused ? { cameras: focused.cameras, live: focused.live, offline: focused.offline, alerts: focused.alerts } : total;

  return (
    <div className="flex h-full min-h-0 gap-3" data-testid="map-view">
      <div className="flex min-w-0 flex-1 flex-col gap-2">
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <button type="button" data-action="map-city" className="rounded bg-edge px-2" disabled={zoom === null} onClick={() => setZoom(null)}>
            {t('map.city')}
          </button>
          <span className="font-semibold">{focused ? t('map.kecamatan', { name: focused.name }) : t('map.title')}</span>
          <span className="text-ink-dim" data-testid="map-summary">
            {t('map.summary', summary)}
          </span>
        </div>
        <div className="flex flex-wrap gap-3 text-xs text-ink-dim" aria-hidden>
          {(['alert', 'offline', 'live', 'unknown'] as const).map((h) => (
            <span key={h} className="flex items-center gap-1">
              <span className="inline-block h-3 w-3 rounded-sm border border-edge" style={{ background: FILL[h] }} />
              {t(`map.legend.${h}`)}
            </span>
          ))}
          <span>{t('map.hint', { monitors: targets.join(', ') })}</span>
        </div>
        {shown && (
          <div role="status" className="text-xs text-accent" data-testid="map-shown">
            {shown}
          </div>
        )}
        {shapes && shapes.length === 0 && <div role="alert">{t('map.noShapes')}</div>}
        <svg viewBox={`0 0 ${W} ${H}`} className="min-h-0 w-full flex-1 rounded bg-wall" role="img" aria-label={t('map.title')} data-testid="map-svg" data-zoom={zoom ?? ''}>
          {shapes?.map((s) => {
            const d = districts.get(s.code);
            const health = d ? healthOf(d) : 'unknown';
            const dim = zoom !== null && zoom !== s.code;
            return (
              <path
                key={s.code}
                d={path(feature(s)) ?? ''}
                data-kecamatan={s.code}
                data-name={s.name}
                data-health={health}
                data-cameras={d?.cameras ?? 0}
                data-live={d?.live ?? 0}
                data-offline={d?.offline ?? 0}
                data-alerts={d?.alerts ?? 0}
                fill={FILL[health]}
                fillOpacity={dim ? 0.25 : 0.9}
                stroke="#94a3b8"
                strokeWidth={zoom === s.code ? 2 : 1}
                className="cursor-pointer hover:brightness-150"
                onClick={() => {
                  setZoom(s.code);
                  show(`kec:${s.code}`, s.name);
                }}
              >
                <title>
                  {s.name}: {d ? t('map.summary', { cameras: d.cameras, live: d.live, offline: d.offline, alerts: d.alerts }) : ''}
                </title>
              </path>
            );
          })}
          {zoom === null &&
            [...districts.values()].map((d) => {
              const [x, y] = at(d.centroid[1], d.centroid[0]);
              return (
                <text
                  key={d.code}
                  x={x}
                  y={y}
                  textAnchor="middle"
                  className="pointer-events-none fill-white text-[13px] font-semibold"
                  style={{ paintOrder: 'stroke', stroke: '#000', strokeWidth: 3 }}
                >
                  {d.name}
                </text>
              );
            })}
          {cams.map((c) => {
            const [x, y] = at(c.lon, c.lat);
            return <circle key={c.id} cx={x} cy={y} r={2.5} data-camera={c.id} data-status={c.status} fill={c.status === 'live' ? '#4ade80' : c.status === 'offline' ? '#f97316' : '#94a3b8'} />;
          })}
          {kelurahan.map((k) => {
            const [x, y] = at(k.lon, k.lat);
            return (
              <g key={k.code} data-kelurahan={k.code} className="cursor-pointer" onClick={() => show(`kel:${k.code}`, k.name)}>
                <text x={x} y={y} textAnchor="middle" className="fill-white text-[12px] hover:fill-sky-300" style={{ paintOrder: 'stroke', stroke: '#000', strokeWidth: 3 }}>
                  {k.name}
                </text>
              </g>
            );
          })}
          {blinking.map((a) => {
            const [x, y] = at(a.lon!, a.lat!);
            return (
              <circle key={a.id} cx={x} cy={y} r={zoom ? 14 : 8} className="map-alert pointer-events-none" data-alert={a.id} data-camera={a.cameraId} fill="none" stroke="#ef4444" strokeWidth={4} />
            );
          })}
          {pin &&
            (() => {
              const [x, y] = at(pin.lon, pin.lat);
              return <path data-testid="map-pin" d={`M${x} ${y} l-7 -16 a8 8 0 1 1 14 0 z`} fill="#38bdf8" stroke="#000" />;
            })()}
        </svg>
      </div>
      <IncidentPanel api={api} monitor={targets[0] ?? 1} onError={onError} onPlace={(p) => setPin(p)} />
    </div>
  );
}
