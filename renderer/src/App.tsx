/**
 * The console's shell (runtime: browser). `/` is the operator view (header, monitor 1, status bar);
 * `/wall/N` shows monitor N alone, so several browser windows can form one wall.
 */
import { useEffect, useMemo, useState } from 'react';
import { API_VERSION, type CameraSummary, type ConsoleApi, type Language, type WallState } from '../../preload/contract';
import { I18nProvider, useI18n } from './i18n/i18n';
import { StatusBar } from './ui/StatusBar';
import { Monitor } from './wall/Monitor';

function monitorFromPath(): number | null {
  const m = /^\/wall\/(\d{1,2})\/?$/.exec(location.pathname);
  return m ? Number(m[1]) : null;
}

export function App({ api, onConnection }: { api: ConsoleApi; onConnection?: (l: (up: boolean) => void) => () => void }) {
  const [lang, setLang] = useState<Language>('id');
  const [wall, setWall] = useState<WallState | null>(null);
  const [cameras, setCameras] = useState<ReadonlyMap<string, CameraSummary>>(new Map());
  const [fatal, setFatal] = useState<string | null>(null);
  const [connected, setConnected] = useState(true);

  useEffect(() => {
    let alive = true;
    api
      .call('console.hello', { apiVersion: API_VERSION })
      .then(() => Promise.all([api.call('settings.get', {}), api.call('wall.get', {})]))
      .then(([settings, w]) => {
        if (!alive) return;
        setLang(settings.language);
        setWall(w);
      })
      .catch((err: Error) => alive && setFatal(err.message));
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
    const missing = wanted.filter((id) => !cameras.has(id));
    if (!missing.length) return;
    void api.call('catalog.get', { ids: missing }).then((list) =>
      setCameras((cur) => {
        const nextMap = new Map(cur);
        for (const c of list) nextMap.set(c.id, c);
        return nextMap;
      }),
    );
  }, [api, wanted, cameras]);

  const changeLang = (l: Language) => {
    setLang(l);
    void api.call('settings.setLanguage', { language: l });
  };

  return (
    <I18nProvider lang={lang} setLang={changeLang}>
      <Shell api={api} wall={wall} cameras={cameras} fatal={fatal} connected={connected} />
    </I18nProvider>
  );
}

function Shell({ api, wall, cameras, fatal, connected }: { api: ConsoleApi; wall: WallState | null; cameras: ReadonlyMap<string, CameraSummary>; fatal: string | null; connected: boolean }) {
  const { t, lang, setLang } = useI18n();
  const only = monitorFromPath();
  const monitors = wall?.monitors.filter((m) => (only === null ? m.monitor === 1 : m.monitor === only)) ?? [];
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = only ? `${t('app.title')} · ${t('monitor.label', { n: only })}` : t('app.title');
  }, [lang, only, t]);
  return (
    <div className="flex h-screen flex-col bg-wall text-ink">
      {only === null && (
        <header className="flex items-center gap-4 border-b border-edge bg-panel px-4 py-2">
          <h1 className="text-xl font-bold tracking-wide">{t('app.title')}</h1>
          <span className="text-sm text-ink-dim">{t('app.subtitle')}</span>
          <div className="ml-auto flex items-center gap-2 text-sm" role="group" aria-label={t('lang.label')}>
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
      )}
      {fatal && (
        <div role="alert" className="bg-severity-critical px-4 py-2 font-bold text-white">
          {fatal}
        </div>
      )}
      <main className="relative min-h-0 flex-1">
        {monitors.map((m) => (
          <section key={m.monitor} className="absolute inset-0 flex flex-col" aria-label={t('monitor.label', { n: m.monitor })}>
            {only === null && <div className="px-2 py-0.5 text-xs text-ink-dim">{t('monitor.label', { n: m.monitor })} · {m.layout}</div>}
            <div className="min-h-0 flex-1">
              <Monitor api={api} monitor={m} cameras={cameras} />
            </div>
          </section>
        ))}
      </main>
      <StatusBar api={api} connected={connected} />
    </div>
  );
}
