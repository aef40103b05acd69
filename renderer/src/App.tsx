/**
 * The console's shell (runtime: browser). `/` is the operator's control view (catalog, monitor
 * preview and controls, status); `/wall/N` shows monitor N alone, full window, so several windows
 * (or displays) form one wall. Both take the CCTV keyboard.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { API_VERSION, type ConsoleApi, type Language, type WallState } from '../../preload/contract';
import { AlertContext, AlertStore } from './alerts/store';
import { ControlView } from './control/ControlView';
import { I18nProvider, useI18n } from './i18n/i18n';
import { errorText } from './i18n/messages';
import { useKeyboard } from './keyboard/useKeyboard';
import { sequenceText, WindowChrome } from './ui/overlays';
import { useDrop, useSequenceTouch } from './wall/hooks';
import { REMOVED, type CameraMap } from './wall/camera-map';
import { Monitor } from './wall/Monitor';
import { MapView } from './map/MapView';

function isMapPath(): boolean {
  return /^\/map\/?$/.test(location.pathname);
}

function monitorFromPath(): number | null {
  const m = /^\/wall\/(\d{1,2})\/?$/.exec(location.pathname);
  return m ? Number(m[1]) : null;
}

export function App({ api, onConnection }: { api: ConsoleApi; onConnection?: (l: (up: boolean) => void) => () => void }) {
  const [lang, setLang] = useState<Language>('id');
  const [wall, setWall] = useState<WallState | null>(null);
  const [cameras, setCameras] = useState<CameraMap>(new Map());
  const [fatalError, setFatal] = useState<unknown>(null);
  const [connected, setConnected] = useState(true);
  const [alerts] = useState(() => new AlertStore());
  useEffect(() => alerts.connect(api), [alerts, api]);

  useEffect(() => {
    let alive = true;
    api
      .call('console.hello', { apiVersion: API_VERSION })
      .then(() => Promise.all([api.call('settings.get', {}), api.call('wall.get', {})]))
      .then(([settings, w]) => {
        if (!alive) return;
        setLang(settings.language);
        setWall((cur) => (cur && cur.revision > w.revision ? cur : w));
      })
      .catch((err: unknown) => alive && setFatal(err));
    const offs = [
      api.on('wall.changed', (w) => setWall((cur) => (cur && cur.revision > w.revision ? cur : w))),
      api.on('settings.changed', (s) => setLang(s.language)),
      onConnection?.((up) => {
        setConnected(up);
        // After a reconnect, the wall may have moved on without us.
        if (up) void api.call('wall.get', {}).then(setWall, () => undefined);
      }) ?? (() => undefined),
    ];
    return () => {
      alive = false;
      offs.forEach((off) => off());
    };
  }, [api, onConnection]);

  const wanted = useMemo(() => wall?.monitors.flatMap((m) => m.tiles.map((t) => t.cameraId)).filter((id): id is string => id !== null) ?? [], [wall]);
  useEffect(() => {
    const missing = [...new Set(wanted.filter((id) => !cameras.has(id)))];
    if (!missing.length) return;
    const asked = missing.slice(0, 512);
    void api.call('catalog.get', { ids: asked }).then((list) =>
      setCameras((cur) => {
        const nextMap = new Map(cur);
        for (const c of list) nextMap.set(c.id, c);
        // Asked for and not answered: the catalog no longer has it (a preset can name such a camera).
        for (const id of asked) if (!nextMap.has(id)) nextMap.set(id, REMOVED);
        return nextMap;
      }),
    );
  }, [api, wanted, cameras]);

  const changeLang = (l: Language) => {
    setLang(l);
    void api.call('settings.setLanguage', { language: l });
  };

  const only = monitorFromPath();
  const fatal = fatalError === null ? null : errorText(lang, fatalError);
  return (
    <I18nProvider lang={lang} setLang={changeLang}>
      <AlertContext.Provider value={alerts}>
        {isMapPath() ? (
          <MapWindow api={api} wall={wall} fatal={fatal} />
        ) : only === null ? (
          <ControlView api={api} wall={wall} cameras={cameras} fatal={fatal} connected={connected} />
        ) : (
          <WallView api={api} monitor={only} wall={wall} cameras={cameras} fatal={fatal} connected={connected} />
        )}
      </AlertContext.Provider>
    </I18nProvider>
  );
}

/** `/map`: the situation map and the 112 panel alone, full window (a second screen in the room). */
function MapWindow({ api, wall, fatal }: { api: ConsoleApi; wall: WallState | null; fatal: string | null }) {
  const { t, lang } = useI18n();
  const [targets, setTargets] = useState<number[]>([1]);
  const [message, setMessage] = useState<string | null>(null);
  const onError = useCallback((e: unknown) => setMessage(errorText(lang, e)), [lang]);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${t('app.title')} · ${t('map.open')}`;
  }, [lang, t]);
  return (
    <div className="flex h-screen flex-col gap-2 bg-wall p-3 text-ink">
      <header className="flex items-center gap-3">
        <h1 className="text-lg font-bold">{t('map.title')}</h1>
        <span className="text-sm text-ink-dim">{t('map.targets')}:</span>
        {wall?.monitors.map((m) => (
          <label key={m.monitor} className="flex items-center gap-1 text-sm">
            <input
              type="checkbox"
              data-map-target={m.monitor}
              checked={targets.includes(m.monitor)}
              onChange={(e) => setTargets((cur) => (e.target.checked ? [...new Set([...cur, m.monitor])].sort((a, b) => a - b) : cur.length > 1 ? cur.filter((x) => x !== m.monitor) : cur))}
            />
            {m.monitor}
          </label>
        ))}
      </header>
      {(fatal ?? message) && (
        <div role="alert" className="rounded bg-severity-critical px-3 py-1 font-semibold text-white">
          {fatal ?? message}
        </div>
      )}
      <div className="min-h-0 flex-1">
        <MapView api={api} targets={targets} onError={onError} />
      </div>
    </div>
  );
}

export type { ViewProps } from './wall/hooks';
import type { ViewProps } from './wall/hooks';

function WallView({ api, monitor, wall, cameras, fatal, connected }: ViewProps & { monitor: number }) {
  const { t, lang } = useI18n();
  const kb = useKeyboard(api, wall, monitor);
  const m = wall?.monitors.find((x) => x.monitor === monitor);
  const touch = useSequenceTouch(api, wall, monitor);
  const { setMessage } = kb;
  const onError = useCallback((error: unknown) => setMessage({ kind: 'failed', error }), [setMessage]);
  const drop = useDrop(api, () => kb.keys.tile, onError);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${t('app.title')} · ${t('monitor.label', { n: monitor })}`;
  }, [lang, monitor, t]);
  useEffect(() => {
    window.addEventListener('keydown', touch);
    return () => window.removeEventListener('keydown', touch);
  }, [touch]);
  return (
    <div className="flex h-screen flex-col bg-wall text-ink" onPointerDown={touch} onWheel={touch}>
      {fatal && (
        <div role="alert" className="bg-severity-critical px-4 py-2 font-bold text-white">
          {fatal}
        </div>
      )}
      <main className="relative min-h-0 flex-1">
        {m ? (
          <Monitor api={api} monitor={m} cameras={cameras} selectedTile={kb.keys.monitor === monitor ? kb.keys.tile : null} onSelectTile={kb.select} onDropPayload={drop} />
        ) : (
          wall && <div className="flex h-full items-center justify-center text-2xl text-ink-dim">{t('monitor.label', { n: monitor })} ?</div>
        )}
        {m?.view && (
          <div className="pointer-events-none absolute bottom-1 right-1 rounded bg-black/70 px-2 py-0.5 text-sm font-semibold" data-testid="view-badge">
            {m.view.label} · {t('control.page', { page: m.view.page + 1, pages: m.view.pages })}
            {m.view.sequence && ` · ${sequenceText(t, m.view.sequence)}`}
          </div>
        )}
      </main>
      <WindowChrome api={api} connected={connected} keys={kb.keys} message={kb.message} onCloseHelp={kb.closeHelp} monitors={[monitor]} />
    </div>
  );
}
