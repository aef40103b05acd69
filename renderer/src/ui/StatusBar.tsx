/**
 * The status bar (runtime: browser): tile states on this screen, ingest sessions, the link to main,
 * and the time. Readable from across the room.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { ConsoleApi, Health } from '../../../preload/contract';
import { useI18n } from '../i18n/i18n';
import { tileStates } from '../wall/tile-states';

export function StatusBar({ api, connected, children }: { api: ConsoleApi; connected: boolean; children?: React.ReactNode }) {
  const { t, lang } = useI18n();
  const states = useSyncExternalStore(tileStates.subscribe, tileStates.snapshot);
  const [health, setHealth] = useState<Health | null>(null);
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    let alive = true;
    const poll = () =>
      api.call('console.health', {}).then(
        (h) => alive && setHealth(h),
        () => undefined,
      );
    void poll();
    const id = window.setInterval(() => {
      setNow(new Date());
      void poll();
    }, 2_000);
    return () => {
      alive = false;
      window.clearInterval(id);
    };
  }, [api]);
  let live = 0;
  let reconnecting = 0;
  let offline = 0;
  // Error: the camera or the console refused this stream (a wrong password, a codec nothing here
  // plays, the transcode budget full): not a camera that is down, and not fixed by waiting.
  let errors = 0;
  for (const s of states.values()) {
    if (s === 'live') live++;
    else if (s === 'offline') offline++;
    else if (s === 'error') errors++;
    else if (s !== 'connecting') reconnecting++;
  }
  return (
    <footer className="flex items-center gap-6 border-t border-edge bg-panel px-4 py-1.5 text-sm" data-testid="status-bar">
      <span data-testid="status-live">
        <span className="state-dot state-dot-live mr-1 inline-block" /> {live} {t('status.live')}
      </span>
      <span data-testid="status-reconnecting" className={reconnecting ? 'font-bold text-severity-warning' : ''}>
        {reconnecting} {t('status.reconnecting')}
      </span>
      <span data-testid="status-offline" className={offline ? 'rounded bg-severity-critical px-1.5 font-bold text-white' : ''}>
        {offline} {t('status.offline')}
      </span>
      {errors > 0 && (
        <span data-testid="status-error" className="rounded bg-severity-warning px-1.5 font-bold text-black">
          {errors} {t('status.error')}
        </span>
      )}
      {health && (
        <>
          <span data-testid="status-sessions">
            {health.sessions} {t('status.sessions')}
          </span>
          <span>
            {health.camerasInCatalog.toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB')} {t('status.cameras')}
          </span>
        </>
      )}
      <span className={connected ? 'text-ink-dim' : 'font-bold text-severity-critical'}>{connected ? t('status.connected') : t('status.disconnected')}</span>
      {children}
      <span className="ml-auto font-mono tabular-nums" data-testid="clock">
        {now.toLocaleTimeString(lang === 'id' ? 'id-ID' : 'en-GB', { hour12: false })}
      </span>
    </footer>
  );
}
