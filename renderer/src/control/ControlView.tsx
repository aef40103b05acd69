/**
 * The operator's control view (runtime: browser): the catalog on the left, the selected monitor's
 * preview and controls in the middle, the status bar below. Monitor tabs choose which monitor the
 * preview (and the keyboard) drives, and which monitors "Show district" fills; they are drop
 * targets too. In Electron this is the control window beside the wall's fullscreen windows; in web
 * mode it is `/`, and `/wall/N` windows form the wall.
 */
import { useCallback, useEffect, useState } from 'react';
import { MapView } from '../map/MapView';
import { StatsView } from '../stats/StatsView';
import { RoutingView } from './RoutingView';
import { SupervisorDialog } from './SupervisorDialog';
import { LayoutId, type CameraSummary, type SessionInfo } from '../../../preload/contract';
import { type ViewProps, useDrop, useSequenceTouch } from '../wall/hooks';
import { AlertPanel } from '../alerts/AlertPanel';
import { CatalogPanel } from '../catalog/CatalogPanel';
import { PresetPanel } from './PresetPanel';
import { AuditView } from './AuditView';
import { CredentialsView } from './CredentialsView';
import { KioskProfilesView } from './KioskProfilesView';
import { DesksView } from './DesksView';
import { StoreBanner } from './StoreBanner';
import { useI18n } from '../i18n/i18n';
import { useKeyboard } from '../keyboard/useKeyboard';
import { sequenceText, WindowChrome } from '../ui/overlays';
import { readDragPayload, applyDrop } from '../wall/drag';
import { Monitor } from '../wall/Monitor';

export function ControlView({ api, wall, cameras, fatal, connected }: ViewProps) {
  const { t, lang, setLang } = useI18n();
  const kb = useKeyboard(api, wall, 1);
  const selected = kb.keys.monitor;
  const m = wall?.monitors.find((x) => x.monitor === selected) ?? wall?.monitors[0];
  const [targets, setTargets] = useState<number[]>([1]);
  const [dwell, setDwell] = useState(5);
  const touch = useSequenceTouch(api, wall, selected);
  const { setMessage } = kb;
  const onError = useCallback((error: unknown) => setMessage({ kind: 'failed', error }), [setMessage]);
  const drop = useDrop(api, () => kb.keys.tile, onError);
  const call = (p: Promise<unknown>) => void p.catch(onError);
  const [session, setSession] = useState<SessionInfo | null>(null);
  /** The supervisor view over the monitor preview, if any. */
  const [view, setView] = useState<'audit' | 'credentials' | 'kiosks' | 'desks' | 'map' | 'stats' | 'routing' | null>(null);
  const toggleView = (v: 'audit' | 'credentials' | 'kiosks' | 'desks' | 'map' | 'stats' | 'routing') => setView((cur) => (cur === v ? null : v));
  const supervisor = session?.role === 'supervisor';

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('app.title');
  }, [lang, t]);
  // The target set always holds the selected monitor unless the operator chose otherwise.
  useEffect(() => setTargets((cur) => (cur.length === 1 ? [selected] : cur)), [selected]);

  const route = (camera: CameraSummary) => call(api.call('wall.assign', { monitor: selected, tile: kb.keys.tile, cameraId: camera.id }));
  const toggleTarget = (n: number) => setTargets((cur) => (cur.includes(n) ? (cur.length > 1 ? cur.filter((x) => x !== n) : cur) : [...cur, n].sort((a, b) => a - b)));
  const seq = m?.view?.sequence ?? null;

  return (
    <div className="flex h-screen flex-col bg-wall text-ink">
      <header className="flex items-center gap-4 border-b border-edge bg-panel px-4 py-2">
        <h1 className="text-xl font-bold tracking-wide">{t('app.title')}</h1>
        <span className="text-sm text-ink-dim">{t('app.subtitle')}</span>
        <nav className="ml-4 flex items-center gap-1" aria-label={t('control.monitors')}>
          {wall?.monitors.map((x) => (
            <div
              key={x.monitor}
              data-monitor-tab={x.monitor}
              className={`flex items-center gap-1 rounded border px-2 py-0.5 text-sm ${x.monitor === selected ? 'border-accent bg-edge' : 'border-edge'}`}
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => {
                e.preventDefault();
                const p = readDragPayload(e.dataTransfer);
                if (p) call(applyDrop(api, p, x.monitor, 1));
              }}
            >
              <input
                type="checkbox"
                checked={targets.includes(x.monitor)}
                onChange={() => toggleTarget(x.monitor)}
                aria-label={`${t('control.target')}: ${t('monitor.label', { n: x.monitor })}`}
                data-target={x.monitor}
              />
              <button type="button" aria-pressed={x.monitor === selected} onClick={() => kb.select(x.monitor, 1)}>
                {t('monitor.label', { n: x.monitor })} · {x.layout}
                {x.view ? ` · ${x.view.page + 1}/${x.view.pages}` : ''}
              </button>
            </div>
          ))}
        </nav>
        <button type="button" data-action="map-open" aria-pressed={view === 'map'} className="ml-4 rounded bg-edge px-2 text-sm" onClick={() => toggleView('map')}>
          {t('map.open')} · 112
        </button>
        <button type="button" data-action="stats-open" aria-pressed={view === 'stats'} className="ml-2 rounded bg-edge px-2 text-sm" onClick={() => toggleView('stats')}>
          {t('stats.open')}
        </button>
        {supervisor && (
          <span className="ml-auto flex gap-2">
            <button type="button" data-action="audit-open" aria-pressed={view === 'audit'} className="rounded bg-edge px-2 text-sm" onClick={() => toggleView('audit')}>
              {t('audit.open')}
            </button>
            <button type="button" data-action="credentials-open" aria-pressed={view === 'credentials'} className="rounded bg-edge px-2 text-sm" onClick={() => toggleView('credentials')}>
              {t('cred.open')}
            </button>
            <button type="button" data-action="kiosk-profiles-open" aria-pressed={view === 'kiosks'} className="rounded bg-edge px-2 text-sm" onClick={() => toggleView('kiosks')}>
              {t('kprof.open')}
            </button>
            <button type="button" data-action="desks-open" aria-pressed={view === 'desks'} className="rounded bg-edge px-2 text-sm" onClick={() => toggleView('desks')}>
              {t('desks.open')}
            </button>
            <button type="button" data-action="routing-open" aria-pressed={view === 'routing'} className="rounded bg-edge px-2 text-sm" onClick={() => toggleView('routing')}>
              {t('agency.rules')}
            </button>
          </span>
        )}
        <div className={`${supervisor ? '' : 'ml-auto '}flex items-center gap-2 text-sm`} role="group" aria-label={t('lang.label')}>
          <span className="text-ink-dim">{t('lang.label')}:</span>
          {(['id', 'en'] as const).map((l) => (
            <button
              key={l}
              type="button"
              data-lang={l}
              aria-pressed={lang === l}
              onClick={() => setLang(l)}
              className={`rounded px-2 py-0.5 ${lang === l ? 'bg-accent text-black' : 'bg-edge text-ink'}`}
            >
              {t(`lang.${l}`)}
            </button>
          ))}
        </div>
      </header>
      <StoreBanner api={api} />
      {fatal && (
        <div role="alert" className="bg-severity-critical px-4 py-2 font-bold text-white">
          {fatal}
        </div>
      )}
      <div className="flex min-h-0 flex-1">
        <div className="flex min-h-0 w-96 shrink-0 flex-col border-r border-edge bg-panel">
          <CatalogPanel api={api} targets={targets} onRoute={route} onError={onError} />
          <PresetPanel api={api} onError={onError} onSession={setSession} />
        </div>
        <main className="relative flex min-w-0 flex-1 flex-col">
          {/* Supervisor views: they close when the session falls back to operator. */}
          {view === 'audit' && supervisor && <AuditView api={api} onError={onError} onClose={() => setView(null)} />}
          {view === 'kiosks' && supervisor && <KioskProfilesView api={api} onError={onError} onClose={() => setView(null)} />}
          {view === 'desks' && supervisor && <DesksView api={api} onError={onError} onClose={() => setView(null)} />}
          {view === 'routing' && supervisor && <RoutingView api={api} onError={onError} onClose={() => setView(null)} />}
          {view === 'stats' && (
            <SupervisorDialog title={t('stats.title')} testId="stats-dialog" onClose={() => setView(null)}>
              <StatsView api={api} onError={onError} />
            </SupervisorDialog>
          )}
          {view === 'map' && (
            <SupervisorDialog title={t('map.title')} testId="map-dialog" onClose={() => setView(null)}>
              <div className="min-h-0 flex-1">
                <MapView api={api} targets={targets} onError={onError} />
              </div>
            </SupervisorDialog>
          )}
          {view === 'credentials' && supervisor && (
            <CredentialsView api={api} camera={m?.tiles.find((x) => x.tile === kb.keys.tile)?.cameraId ?? null} onError={onError} onClose={() => setView(null)} />
          )}
          {m && (
            <div className="flex flex-wrap items-center gap-3 border-b border-edge bg-panel px-3 py-1.5 text-sm" data-testid="toolbar">
              <label className="flex items-center gap-1">
                {t('control.layout')}
                <select
                  value={m.layout}
                  data-testid="layout-select"
                  className="rounded border border-edge bg-wall px-1"
                  onChange={(e) => call(api.call('wall.setLayout', { monitor: m.monitor, layout: LayoutId.parse(e.target.value) }))}
                >
                  {LayoutId.options.map((l) => (
                    <option key={l} value={l}>
                      {l}
                    </option>
                  ))}
                </select>
              </label>
              {m.view && (
                <span className="flex items-center gap-1" data-testid="pager">
                  <span className="max-w-xs truncate font-semibold" title={m.view.label}>
                    {m.view.label}
                  </span>
                  <button type="button" className="rounded bg-edge px-2" aria-label={t('control.prevPage')} onClick={() => call(api.call('wall.page', { monitor: m.monitor, to: 'prev' }))}>
                    ◀
                  </button>
                  <span data-testid="page">{t('control.page', { page: m.view.page + 1, pages: m.view.pages })}</span>
                  <button type="button" className="rounded bg-edge px-2" aria-label={t('control.nextPage')} onClick={() => call(api.call('wall.page', { monitor: m.monitor, to: 'next' }))}>
                    ▶
                  </button>
                  <label className="ml-2 flex items-center gap-1">
                    {t('control.dwell')}
                    <input
                      type="number"
                      min={3}
                      max={3600}
                      value={dwell}
                      onChange={(e) => setDwell(Math.max(3, Number(e.target.value) || 3))}
                      className="w-14 rounded border border-edge bg-wall px-1"
                    />
                  </label>
                  <button
                    type="button"
                    data-action="sequence"
                    className={`rounded px-2 font-semibold ${seq ? 'bg-severity-warning text-black' : 'bg-accent text-black'}`}
                    onClick={() => call(api.call('wall.sequence', { monitor: m.monitor, action: seq ? 'stop' : 'start', dwellSeconds: dwell }))}
                  >
                    {seq ? t('control.sequenceStop') : t('control.sequenceStart')}
                  </button>
                  {seq && <span data-testid="sequence-state">{sequenceText(t, seq)}</span>}
                </span>
              )}
              {m.enlarged !== null && (
                <button type="button" className="rounded bg-edge px-2" onClick={() => call(api.call('wall.enlarge', { monitor: m.monitor, tile: null }))}>
                  {t('control.restore')}
                </button>
              )}
              <span className="ml-auto flex items-center gap-2">
                {wall && wall.monitors.length > 1 && (
                  <label className="flex items-center gap-1">
                    {t('control.swap')}
                    <select
                      value=""
                      className="rounded border border-edge bg-wall px-1"
                      onChange={(e) => e.target.value && call(api.call('wall.swapMonitors', { a: m.monitor, b: Number(e.target.value) }))}
                    >
                      <option value="">—</option>
                      {wall.monitors
                        .filter((x) => x.monitor !== m.monitor)
                        .map((x) => (
                          <option key={x.monitor} value={x.monitor}>
                            {t('monitor.label', { n: x.monitor })}
                          </option>
                        ))}
                    </select>
                  </label>
                )}
                {location.protocol !== 'pantau:' && (
                  // Web mode: a monitor is a URL. (Electron opens one wall window per display itself.)
                  <a className="rounded bg-edge px-2" href={`/wall/${m.monitor}`} target="_blank" rel="noreferrer">
                    {t('control.openWall')}
                  </a>
                )}
                <button type="button" className="rounded bg-edge px-2" data-action="identify" onClick={() => call(api.call('wall.identify', {}))}>
                  {t('control.identify')}
                </button>
                <button type="button" className="rounded bg-edge px-2 font-bold" data-action="help" onClick={kb.toggleHelp}>
                  {t('control.help')}
                </button>
              </span>
            </div>
          )}
          <section className="relative min-h-0 flex-1" aria-label={m ? t('monitor.label', { n: m.monitor }) : undefined} onPointerDown={touch} onWheel={touch}>
            {m && <Monitor api={api} monitor={m} cameras={cameras} selectedTile={kb.keys.tile} onSelectTile={kb.select} onDropPayload={drop} />}
          </section>
        </main>
        <AlertPanel api={api} onError={onError} supervisor={supervisor} />
      </div>
      <WindowChrome api={api} connected={connected} keys={kb.keys} message={kb.message} onCloseHelp={kb.closeHelp} monitors={m ? [m.monitor] : []} />
    </div>
  );
}
