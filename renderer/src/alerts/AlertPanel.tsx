/**
 * The alert panel (runtime: browser): newest first, virtualised, filtered by type, severity,
 * kecamatan and acknowledged or not. Clicking an alert shows its camera on the focus tile (the alarm
 * tile); the detail below acknowledges it with a note. New critical alerts beep unless muted.
 * Every backend string is rendered as text.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { AgencyId, AlertType, Severity, type AlertView, type ConsoleApi } from '../../../preload/contract';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { VirtualList } from '../ui/VirtualList';
import { useAlertSelector, useAlertStore } from './store';

type StateFilter = 'all' | 'open' | 'acked';

/** A short two-tone beep with WebAudio: no sound file to ship, works offline. */
function beep(): void {
  try {
    const ctx = new AudioContext();
    const gain = ctx.createGain();
    gain.gain.value = 0.15;
    gain.connect(ctx.destination);
    [880, 660].forEach((f, i) => {
      const o = ctx.createOscillator();
      o.frequency.value = f;
      o.connect(gain);
      o.start(ctx.currentTime + i * 0.18);
      o.stop(ctx.currentTime + i * 0.18 + 0.15);
    });
    setTimeout(() => void ctx.close(), 800);
  } catch {
    // No audio device: the flashing tile still says it.
  }
}

const NO_ALERTS: readonly AlertView[] = [];

/** An escalated alert shows one severity step higher (critical stays critical, with its escalation badge). */
export function shownSeverity(a: Pick<AlertView, 'severity' | 'escalatedAt' | 'ack'>): Severity {
  if (!a.escalatedAt || a.ack) return a.severity;
  return a.severity === 'info' ? 'warning' : 'critical';
}

export function AlertPanel({ api, onError, supervisor = false }: { api: ConsoleApi; onError: (error: unknown) => void; supervisor?: boolean }) {
  const { t, lang } = useI18n();
  const store = useAlertStore();
  // list() keeps its array until the store changes; with no store, one empty array for good.
  const all = store?.list() ?? NO_ALERTS;
  const config = store?.config ?? null;
  const [type, setType] = useState<AlertType | ''>('');
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [kecamatan, setKecamatan] = useState('');
  const [state, setState] = useState<StateFilter>('all');
  const [escalatedOnly, setEscalatedOnly] = useState(false);
  const deskAgency = store?.deskAgency ?? null;
  const escalateMinutes = store?.routing?.escalateMinutes ?? null;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [beeps, setBeeps] = useState(0);
  const heard = useRef<Set<string> | null>(null);

  const kecamatanOptions = useMemo(() => [...new Map(all.map((a) => [a.kecamatanCode, a.kecamatanName])).entries()].sort((a, b) => a[1].localeCompare(b[1])), [all]);
  // A desk serving one agency works that agency's queue; a supervisor also sees every escalation.
  const shown = useMemo(
    () =>
      all.filter(
        (a) =>
          (!deskAgency || a.agency === deskAgency || (supervisor && a.escalatedAt && !a.ack)) &&
          (!escalatedOnly || (a.escalatedAt && !a.ack)) &&
          (!type || a.type === type) &&
          (!severity || shownSeverity(a) === severity) &&
          (!kecamatan || a.kecamatanCode === kecamatan) &&
          (state === 'all' || (state === 'acked') === (a.ack !== null)),
      ),
    [all, type, severity, kecamatan, state, deskAgency, supervisor, escalatedOnly],
  );
  const selected = selectedId ? (all.find((a) => a.id === selectedId) ?? null) : null;

  // Sound for critical alerts that arrive while the panel is open (not for the ones loaded at start).
  useEffect(() => {
    if (!store) return;
    if (heard.current === null) {
      if (all.length || store.backend) heard.current = new Set(all.map((a) => a.id));
      return;
    }
    let fresh = false;
    for (const a of all.slice(0, 50)) {
      if (heard.current.has(a.id)) continue;
      heard.current.add(a.id);
      if (a.severity === 'critical' && !a.ack) fresh = true;
    }
    if (fresh && config && !config.muted) {
      beep();
      setBeeps((n) => n + 1);
    }
  }, [all, store, config]);

  const focus = config?.alarmTile ?? { monitor: 1, tile: 1 };
  const show = (a: AlertView) => {
    setSelectedId(a.id);
    setNote('');
    void api.call('wall.assign', { monitor: focus.monitor, tile: focus.tile, cameraId: a.cameraId }).catch(onError);
  };
  const ack = (a: AlertView) => void api.call('alerts.ack', { id: a.id, note: note.trim() }).then(() => setNote(''), onError);
  const time = (a: AlertView) => new Date(a.time).toLocaleTimeString(lang === 'id' ? 'id-ID' : 'en-GB', { hour12: false });
  const select = (label: string, value: string, set: (v: string) => void, options: [string, string][], testId: string) => (
    <label className="flex flex-col text-xs text-ink-dim">
      {label}
      <select value={value} onChange={(e) => set(e.target.value)} data-testid={testId} className="rounded border border-edge bg-wall px-1 py-0.5 text-sm text-ink">
        <option value="">{t('alert.filter.all')}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <aside className="flex w-[24rem] shrink-0 flex-col border-l border-edge bg-panel" aria-label={t('alert.panel.title')} data-testid="alert-panel" data-beeps={beeps}>
      <div className="flex items-center gap-2 border-b border-edge px-3 py-2">
        <h2 className="text-base font-bold">{t('alert.panel.title')}</h2>
        <span className="text-xs text-ink-dim" data-testid="alert-count">
          {t('alert.count', { n: shown.length })}
        </span>
        {config && (
          <button
            type="button"
            data-action="mute"
            aria-pressed={config.muted}
            className={`ml-auto rounded px-2 py-0.5 text-xs font-semibold ${config.muted ? 'bg-severity-warning text-black' : 'bg-edge'}`}
            onClick={() => void api.call('alerts.setConfig', { muted: !config.muted }).catch(onError)}
          >
            {config.muted ? t('alert.unmute') : t('alert.mute')}
          </button>
        )}
      </div>
      <div className="flex flex-wrap items-end gap-2 border-b border-edge px-3 py-2 text-xs" data-testid="agency-bar" data-desk-agency={deskAgency ?? ''}>
        <label className="flex flex-col text-ink-dim">
          {t('agency.desk')}
          <select
            value={deskAgency ?? ''}
            data-testid="desk-agency"
            disabled={!supervisor}
            title={supervisor ? undefined : t('agency.supervisorOnly')}
            className="rounded border border-edge bg-wall px-1 py-0.5 text-sm text-ink"
            onChange={(e) => void api.call('alerts.setDeskAgency', { agency: e.target.value ? AgencyId.parse(e.target.value) : null }).catch(onError)}
          >
            <option value="">{t('agency.all')}</option>
            {AgencyId.options.map((a) => (
              <option key={a} value={a}>
                {t(`agency.${a}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-1 pb-1">
          <input type="checkbox" data-testid="alert-filter-escalated" checked={escalatedOnly} onChange={(e) => setEscalatedOnly(e.target.checked)} />
          {t('agency.escalatedOnly')}
        </label>
        {escalateMinutes !== null && <span className="pb-1 text-ink-dim">{t('agency.escalateAfter', { n: escalateMinutes })}</span>}
      </div>
      <div className="grid grid-cols-2 gap-2 border-b border-edge px-3 py-2">
        {select(
          t('alert.filter.type'),
          type,
          (v) => setType(v as AlertType | ''),
          AlertType.options.map((o) => [o, t(`alert.type.${o}` as MessageKey)]),
          'alert-filter-type',
        )}
        {select(
          t('alert.filter.severity'),
          severity,
          (v) => setSeverity(v as Severity | ''),
          Severity.options.map((o) => [o, t(`alert.severity.${o}` as MessageKey)]),
          'alert-filter-severity',
        )}
        {select(t('alert.filter.kecamatan'), kecamatan, setKecamatan, kecamatanOptions, 'alert-filter-kecamatan')}
        <label className="flex flex-col text-xs text-ink-dim">
          {t('alert.filter.state')}
          <select value={state} onChange={(e) => setState(e.target.value as StateFilter)} data-testid="alert-filter-state" className="rounded border border-edge bg-wall px-1 py-0.5 text-sm text-ink">
            <option value="all">{t('alert.filter.all')}</option>
            <option value="open">{t('alert.filter.open')}</option>
            <option value="acked">{t('alert.filter.acked')}</option>
          </select>
        </label>
      </div>
      {shown.length === 0 ? (
        <p className="p-4 text-sm text-ink-dim">{t('alert.empty')}</p>
      ) : (
        <VirtualList
          items={shown}
          rowHeight={66}
          testId="alert-list"
          render={(a) => (
            <button
              type="button"
              data-alert-row={a.id}
              data-severity={shownSeverity(a)}
              data-agency={a.agency ?? ''}
              data-escalated={a.escalatedAt && !a.ack ? '1' : undefined}
              data-acked={a.ack ? '1' : '0'}
              onClick={() => show(a)}
              className={`sev-${shownSeverity(a)} flex h-full w-full flex-col items-start gap-0.5 border-b border-edge px-3 py-1 text-left ${a.id === selectedId ? 'bg-edge' : ''} ${a.ack ? 'opacity-60' : ''}`}
              style={{ borderLeft: '6px solid var(--sev)' }}
            >
              <span className="flex w-full items-center gap-2 text-xs">
                <span className="font-bold uppercase" style={{ color: 'var(--sev)' }}>
                  {t(`alert.severity.${shownSeverity(a)}` as MessageKey)}
                </span>
                {a.escalatedAt && !a.ack && <span className="rounded bg-severity-critical px-1 font-black uppercase text-white">{t('agency.escalated')}</span>}
                <span className="font-semibold">{t(`alert.type.${a.type}` as MessageKey)}</span>
                {a.count != null && <span className="rounded bg-wall px-1 font-mono">{a.count}</span>}
                <span className="ml-auto font-mono text-ink-dim">{time(a)}</span>
              </span>
              <span className="w-full truncate text-sm" data-testid="alert-message" title={a.message}>
                {a.message}
              </span>
              <span className="w-full truncate text-xs text-ink-dim" title={a.cameraName}>
                #{a.cameraNumber} {a.cameraName} · {a.kecamatanName}
                {a.agency && ` · ${t(`agency.${a.agency}`)}`}
                {a.ack && ` · ✓ ${a.ack.by}`}
              </span>
            </button>
          )}
        />
      )}
      {selected && (
        <div className="border-t border-edge p-3 text-sm" data-testid="alert-detail" data-alert={selected.id}>
          <p className="mb-1 break-words" data-testid="alert-detail-message">
            {selected.message}
          </p>
          <p className="mb-2 text-xs text-ink-dim">
            #{selected.cameraNumber} {selected.cameraName} · {selected.kecamatanName} · {time(selected)}
          </p>
          <button type="button" className="mb-2 rounded bg-edge px-2 py-0.5 text-xs" onClick={() => show(selected)}>
            {t('alert.show', { m: focus.monitor, t: focus.tile })}
          </button>
          {selected.ack ? (
            <p className="text-xs" data-testid="alert-acked">
              ✓ {t('alert.acked', { by: selected.ack.by })}
              {selected.ack.agency && ` (${t(`agency.${selected.ack.agency}`)})`}
              {selected.ack.note && ` — ${selected.ack.note}`}
              {selected.ack.pending && ` (${t('alert.ackPending')})`}
            </p>
          ) : (
            <div className="flex gap-2">
              <input
                value={note}
                maxLength={500}
                onChange={(e) => setNote(e.target.value)}
                placeholder={t('alert.ackNote')}
                data-testid="alert-note"
                className="min-w-0 flex-1 rounded border border-edge bg-wall px-2 py-0.5"
                onKeyDown={(e) => e.stopPropagation()}
              />
              <button type="button" data-action="ack" className="rounded bg-accent px-3 py-0.5 font-bold text-black" onClick={() => ack(selected)}>
                {t('alert.ack')}
              </button>
            </div>
          )}
        </div>
      )}
    </aside>
  );
}

/** "Unreachable since 22:41:05": shown in every window while the analytics backend is down. */
export function BackendBanner() {
  const { t, lang } = useI18n();
  const backend = useAlertSelector((s) => s.backend, null);
  if (!backend || backend.state !== 'unreachable') return null;
  const since = new Date(backend.since).toLocaleTimeString(lang === 'id' ? 'id-ID' : 'en-GB', { hour12: false });
  return (
    <div role="alert" data-testid="backend-banner" className="bg-severity-warning px-4 py-1.5 text-sm font-bold text-black" title={backend.lastError ?? undefined}>
      {t('alert.banner', { since })}
    </div>
  );
}

/** The backend's state in the status bar. */
export function BackendStatus() {
  const { t } = useI18n();
  const backend = useAlertSelector((s) => s.backend, null);
  const queued = useAlertSelector((s) => s.alarm.queued.length, 0);
  if (!backend) return null;
  const cls = backend.state === 'connected' ? 'text-ink-dim' : backend.state === 'unreachable' ? 'font-bold text-severity-critical' : 'text-severity-warning';
  return (
    <span className={cls} data-testid="status-backend" data-state={backend.state} title={backend.lastError ?? backend.source}>
      {t(`alert.backend.${backend.state}` as MessageKey)}
      {backend.invalid > 0 && ` · ${t('alert.invalid', { n: backend.invalid })}`}
      {queued > 0 && ` · ${t('alert.alarmQueued', { n: queued })}`}
    </span>
  );
}

/** The alarm tile's mark while an alarm is showing there. */
export function AlarmMark({ monitor, tile }: { monitor: number; tile: number }) {
  const { t } = useI18n();
  const alertId = useAlertSelector((s) => {
    const a = s.alarm.active;
    return a && a.monitor === monitor && a.tile === tile ? a.alertId : null;
  }, null);
  if (!alertId) return null;
  return (
    <div className="tile-alarm pointer-events-none absolute inset-0" data-alarm={alertId}>
      <span className="absolute left-1/2 top-1 -translate-x-1/2 rounded bg-severity-critical px-2 text-sm font-black text-white">{t('alert.alarm')}</span>
    </div>
  );
}
