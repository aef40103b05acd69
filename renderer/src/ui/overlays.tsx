/**
 * Full-window overlays (runtime: browser): the shortcut help (`?`), "identify monitors", and the
 * keypad line that echoes what the operator is typing; WindowChrome puts them, with the status bar,
 * around every window's content.
 */
import { useEffect, useState } from 'react';
import type { ConsoleApi, Sequence } from '../../../preload/contract';
import { useI18n } from '../i18n/i18n';
import { errorText, type MessageKey } from '../i18n/messages';
import { describeEntry, SHORTCUTS, type KeyState } from '../keyboard/grammar';
import type { KeyMessage } from '../keyboard/useKeyboard';
import { BackendBanner, BackendStatus } from '../alerts/AlertPanel';
import { StatusBar } from './StatusBar';

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  return (
    <div role="dialog" aria-modal="true" aria-labelledby="help-title" data-testid="help-overlay" className="fixed inset-0 z-50 flex items-center justify-center bg-black/80" onClick={onClose}>
      <div className="max-h-[90vh] w-[44rem] overflow-auto rounded-lg border border-edge bg-panel p-6" onClick={(e) => e.stopPropagation()}>
        <h2 id="help-title" className="mb-1 text-2xl font-bold">
          {t('help.title')}
        </h2>
        <p className="mb-4 text-sm text-ink-dim">{t('help.intro')}</p>
        <table className="w-full text-base">
          <tbody>
            {SHORTCUTS.map(([keys, label]) => (
              <tr key={keys} className="border-t border-edge">
                <td className="py-1.5 pr-4 font-mono font-bold text-accent">{keys}</td>
                <td className="py-1.5">{t(label as MessageKey)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Shows the monitor's number huge while "identify monitors" is on (every window at once). */
export function IdentifyOverlay({ api, monitors }: { api: ConsoleApi; monitors: number[] }) {
  const [until, setUntil] = useState(0);
  const [, force] = useState(0);
  useEffect(() => api.on('wall.identify', (e) => setUntil(e.until)), [api]);
  useEffect(() => {
    if (until <= Date.now()) return;
    const id = window.setTimeout(() => force((n) => n + 1), until - Date.now());
    return () => window.clearTimeout(id);
  }, [until]);
  if (until <= Date.now() || monitors.length === 0) return null;
  return (
    <div className="pointer-events-none fixed inset-0 z-40 flex items-center justify-center gap-16 bg-black/40" data-testid="identify-overlay">
      {monitors.map((m) => (
        <div key={m} data-identify={m} className="rounded-2xl border-8 border-accent bg-black/80 px-16 py-4 text-[16rem] font-black leading-none text-accent">
          {m}
        </div>
      ))}
    </div>
  );
}

export function KeypadLine({ keys, message }: { keys: KeyState; message: KeyMessage | null }) {
  const { t, lang } = useI18n();
  const text = message ? (message.kind === 'error' ? t(`key.error.${message.code}` as MessageKey, { value: message.value }) : t('key.failed', { message: errorText(lang, message.error) })) : null;
  return (
    <span className="font-mono text-sm" data-testid="keypad">
      <span className="rounded bg-edge px-2 py-0.5" data-testid="keypad-entry">
        {describeEntry(keys)}
      </span>
      {text && (
        <span role="status" className="ml-2 font-sans font-bold text-severity-warning" data-testid="keypad-message">
          {text}
        </span>
      )}
    </span>
  );
}

/** "paused", or "running, 5 s": a sequence's state as the toolbar and the wall badge show it. */
export function sequenceText(t: (key: MessageKey, vars?: Record<string, string | number>) => string, seq: Sequence): string {
  return seq.pausedUntil ? t('control.paused') : t('control.running', { s: seq.dwellSeconds });
}

/** What every window has below and above its content: status bar with keypad line, help, identify. */
export function WindowChrome({
  api,
  connected,
  keys,
  message,
  onCloseHelp,
  monitors,
}: {
  api: ConsoleApi;
  connected: boolean;
  keys: KeyState;
  message: KeyMessage | null;
  onCloseHelp: () => void;
  monitors: number[];
}) {
  return (
    <>
      <BackendBanner />
      <StatusBar api={api} connected={connected}>
        <BackendStatus />
        <KeypadLine keys={keys} message={message} />
      </StatusBar>
      {keys.help && <HelpOverlay onClose={onCloseHelp} />}
      <IdentifyOverlay api={api} monitors={monitors} />
    </>
  );
}
