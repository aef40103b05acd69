/**
 * The audit trail for supervisors (runtime: browser): who did what, from which desk and in which role,
 * filtered by desk, role and command, and exported as CSV. Main refuses `audit.list` and
 * `audit.exportCsv` to anyone else; this view is only offered in a supervisor session.
 */
import { useEffect, useMemo, useState } from 'react';
import { Role, type AuditEntry, type AuditFilter, type ConsoleApi } from '../../../preload/contract';
import { useI18n } from '../i18n/i18n';
import { downloadText, today } from '../ui/download';

/** How many of the newest entries the view reads; the CSV export has them all. */
const SHOWN = 500;

export function AuditView({ api, onError, onClose }: { api: ConsoleApi; onError: (error: unknown) => void; onClose: () => void }) {
  const { t, lang } = useI18n();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [intact, setIntact] = useState(true);
  const [desks, setDesks] = useState<string[]>([]);

  // The desks to choose from: those in the newest entries, whatever the filter.
  useEffect(() => {
    void api.call('audit.list', { limit: 1000 }).then((r) => setDesks([...new Set(r.entries.map((e) => e.desk))].sort()), onError);
  }, [api, onError]);
  useEffect(() => {
    // A command typed in part waits for the operator to pause.
    const id = window.setTimeout(
      () =>
        void api.call('audit.list', { ...filter, limit: SHOWN }).then((r) => {
          setEntries([...r.entries].reverse());
          setIntact(r.intact);
        }, onError),
      200,
    );
    return () => window.clearTimeout(id);
  }, [api, onError, filter]);

  const format = useMemo(() => new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' }), [lang]);
  const set = (patch: AuditFilter) => setFilter((cur) => ({ ...cur, ...patch }));
  const exportCsv = () => void api.call('audit.exportCsv', filter).then(({ csv }) => downloadText(`pantau-audit-${today()}.csv`, csv, 'text/csv'), onError);

  return (
    <section role="dialog" aria-label={t('audit.title')} data-testid="audit-view" className="absolute inset-0 z-30 flex flex-col bg-wall text-sm">
      <div className="flex flex-wrap items-center gap-3 border-b border-edge bg-panel px-3 py-1.5">
        <h2 className="font-bold uppercase tracking-wide">{t('audit.title')}</h2>
        <label className="flex items-center gap-1">
          {t('audit.desk')}
          <select data-testid="audit-desk" value={filter.desk ?? ''} onChange={(e) => set({ desk: e.target.value || undefined })} className="rounded border border-edge bg-wall px-1">
            <option value="">{t('audit.any')}</option>
            {desks.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-1">
          {t('audit.role')}
          <select
            data-testid="audit-role"
            value={filter.role ?? ''}
            onChange={(e) => set({ role: e.target.value ? Role.parse(e.target.value) : undefined })}
            className="rounded border border-edge bg-wall px-1"
          >
            <option value="">{t('audit.any')}</option>
            {Role.options.map((r) => (
              <option key={r} value={r}>
                {t(`session.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-1">
          {t('audit.command')}
          <input
            data-testid="audit-command"
            type="search"
            value={filter.command ?? ''}
            placeholder={t('audit.commandHint')}
            onChange={(e) => set({ command: e.target.value.trim() || undefined })}
            className="w-44 rounded border border-edge bg-wall px-1"
          />
        </label>
        <button type="button" data-action="audit-export" className="rounded bg-accent px-2 font-bold text-black" onClick={exportCsv}>
          {t('audit.exportCsv')}
        </button>
        <button type="button" className="ml-auto rounded bg-edge px-2" onClick={onClose}>
          {t('audit.close')}
        </button>
      </div>
      <div
        data-testid="audit-chain"
        data-intact={intact ? '1' : '0'}
        className={`px-3 py-1 text-xs ${intact ? 'text-ink-dim' : 'bg-severity-critical font-bold text-white'}`}
        role={intact ? undefined : 'alert'}
      >
        {intact ? t('audit.intact') : t('audit.broken')} · {t('audit.count', { shown: entries.length, total: SHOWN })}
      </div>
      <div className="min-h-0 flex-1 overflow-auto px-3">
        <table className="w-full border-collapse text-left" data-testid="audit-table">
          <thead className="sticky top-0 bg-panel text-xs uppercase text-ink-dim">
            <tr>
              <th className="py-1 pr-2">{t('audit.time')}</th>
              <th className="pr-2">{t('audit.desk')}</th>
              <th className="pr-2">{t('audit.role')}</th>
              <th className="pr-2">{t('audit.command')}</th>
              <th className="pr-2">{t('audit.result')}</th>
              <th>{t('audit.summary')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq} data-audit-seq={e.seq} data-command={e.command} data-role={e.role} data-desk={e.desk} className="border-t border-edge align-top">
                <td className="whitespace-nowrap py-0.5 pr-2 font-mono text-xs">{format.format(e.at)}</td>
                <td className="pr-2">{e.desk}</td>
                <td className="pr-2">{t(`session.${e.role}`)}</td>
                <td className="pr-2 font-mono">{e.command}</td>
                <td className={`pr-2 ${e.ok ? '' : 'font-bold text-severity-warning'}`}>{e.ok ? t('audit.ok') : t('audit.refused')}</td>
                {/* Summaries quote what callers sent (camera names, preset names): text, never markup. */}
                <td className="break-all font-mono text-xs">{e.summary}</td>
              </tr>
            ))}
            {!entries.length && (
              <tr>
                <td colSpan={6} className="py-2 text-ink-dim">
                  {t('audit.none')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
