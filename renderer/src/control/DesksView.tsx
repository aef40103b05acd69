/**
 * Remote operator desks for supervisors (runtime: browser): make a desk (its token is shown here once,
 * and nowhere again: main keeps only its hash), see when each was last let in, and revoke one, which
 * shuts it out at once. Desks sign in at the console's desk address (`--listen`, HTTPS only).
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ConsoleApi, DeskInfo } from '../../../preload/contract';
import { useI18n } from '../i18n/i18n';
import { SupervisorDialog } from './SupervisorDialog';

export function DesksView({ api, onError, onClose }: { api: ConsoleApi; onError: (error: unknown) => void; onClose: () => void }) {
  const { t, lang } = useI18n();
  const format = useMemo(() => new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' }), [lang]);
  const fmtTime = (ms: number) => format.format(ms);
  const [desks, setDesks] = useState<DeskInfo[] | null>(null);
  const [name, setName] = useState('');
  const [made, setMade] = useState<{ name: string; token: string } | null>(null);

  const refresh = useCallback(() => void api.call('desks.list', {}).then((r) => setDesks(r.desks), onError), [api, onError]);
  useEffect(refresh, [refresh]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void api.call('desks.add', { name: name.trim() }).then((r) => {
      setMade(r);
      setName('');
      refresh();
    }, onError);
  };

  return (
    <SupervisorDialog title={t('desks.title')} testId="desks-view" onClose={onClose}>
      <p className="text-ink-dim">{t('desks.intro')}</p>
      <form className="flex flex-wrap items-end gap-2" onSubmit={submit} autoComplete="off">
        <label className="flex flex-col">
          {t('desks.name')}
          <input required value={name} maxLength={40} onChange={(e) => setName(e.target.value)} className="w-56 rounded border border-edge bg-panel px-1" />
        </label>
        <button type="submit" data-action="desk-add" className="rounded bg-accent px-3 font-bold text-black">
          {t('desks.add')}
        </button>
      </form>
      {made && (
        <div role="status" data-testid="desk-token" className="flex flex-col gap-1 rounded border border-severity-warning p-2">
          <span className="font-bold">{t('desks.tokenOnce', { name: made.name })}</span>
          <code className="select-all break-all font-mono">{made.token}</code>
          <button type="button" className="self-start rounded bg-edge px-2" onClick={() => setMade(null)}>
            {t('desks.tokenDone')}
          </button>
        </div>
      )}
      <ul className="min-h-0 flex-1 overflow-y-auto" data-testid="desks-list">
        {desks?.length === 0 && <li className="text-ink-dim">{t('desks.none')}</li>}
        {desks?.map((d) => (
          <li key={d.name} data-desk={d.name} className="flex items-center gap-2 border-t border-edge py-0.5">
            <span className="w-48 truncate font-semibold" title={d.name}>
              {d.name}
            </span>
            <span className="text-ink-dim">{t('desks.madeBy', { by: d.createdBy, at: fmtTime(d.createdAt) })}</span>
            <span className="text-ink-dim">{d.lastSeen === null ? t('desks.neverSeen') : t('desks.lastSeen', { at: fmtTime(d.lastSeen) })}</span>
            <button
              type="button"
              data-action="desk-revoke"
              className="ml-auto rounded bg-severity-critical px-2 text-xs text-white"
              onClick={() => void api.call('desks.revoke', { name: d.name }).then(refresh, onError)}
            >
              {t('desks.revoke')}
            </button>
          </li>
        ))}
      </ul>
    </SupervisorDialog>
  );
}
