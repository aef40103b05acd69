/**
 * Layout presets and the session's role (runtime: browser). Operators search, and load a preset with one
 * click (or `<n> P` on the keypad). A supervisor session also saves, overwrites, renames, reorders,
 * deletes, exports and imports; those controls show only then, and main refuses them to anyone else.
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ConsoleApi, Preset, SessionInfo } from '../../../preload/contract';
import { useI18n } from '../i18n/i18n';
import { downloadText, today } from '../ui/download';

type ImportReport = { imported: { name: string }[]; conflicts: string[]; errors: string[] };

export function PresetPanel({ api, onError, onSession }: { api: ConsoleApi; onError: (error: unknown) => void; onSession?: (session: SessionInfo | null) => void }) {
  const { t, lang } = useI18n();
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [presets, setPresets] = useState<Preset[]>([]);
  const [query, setQuery] = useState('');
  const [pinOpen, setPinOpen] = useState(false);
  const [pin, setPin] = useState('');
  const [name, setName] = useState('');
  const [group, setGroup] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; name: string; group: string } | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [report, setReport] = useState<(ImportReport & { json: string }) | null>(null);
  const [loaded, setLoaded] = useState<string | null>(null);
  const supervisor = session?.role === 'supervisor';
  // The control view shows supervisor-only views (the audit trail) from the same session.
  useEffect(() => onSession?.(session), [session, onSession]);

  const refreshSession = useCallback(() => void api.call('session.whoami', {}).then(setSession, onError), [api, onError]);
  useEffect(() => {
    refreshSession();
    void api.call('presets.list', {}).then((r) => setPresets(r.presets), onError);
    return api.on('presets.changed', (p) => setPresets(p.presets));
  }, [api, onError, refreshSession]);
  // A supervisor session falls back to operator when it idles out: ask again then.
  useEffect(() => {
    if (!session?.expiresAt) return;
    const id = window.setTimeout(refreshSession, Math.max(0, session.expiresAt - Date.now()) + 500);
    return () => window.clearTimeout(id);
  }, [session, refreshSession]);

  const run = <T,>(p: Promise<T>, then?: (value: T) => void) =>
    void p.then((v) => {
      then?.(v);
      // A supervisor action extends the session: show the new expiry.
      if (supervisor) refreshSession();
    }, onError);

  const submitPin = (e: FormEvent) => {
    e.preventDefault();
    const command = session?.pinSet ? 'session.elevate' : 'session.setPin';
    run(api.call(command, { pin }), (s) => {
      setSession(s);
      setPin('');
      setPinOpen(false);
    });
  };

  const shown = useMemo(() => {
    const q = query.trim().toLocaleLowerCase('id');
    const hits = presets.filter((p) => !q || `${p.number} ${p.name} ${p.group}`.toLocaleLowerCase('id').includes(q));
    const groups = new Map<string, Preset[]>();
    for (const p of hits) groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
    return [...groups.entries()];
  }, [presets, query]);

  const move = (id: string, by: -1 | 1) => {
    const ids = presets.map((p) => p.id);
    const i = ids.indexOf(id);
    const j = i + by;
    if (j < 0 || j >= ids.length) return;
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    run(api.call('presets.reorder', { ids }));
  };

  const exportAll = () => run(api.call('presets.export', {}), ({ json }) => downloadText(`pantau-presets-${today()}.json`, json, 'application/json'));

  const importFile = (file: File | undefined) => {
    if (!file) return;
    void file.text().then((json) => run(api.call('presets.import', { json }), (r) => setReport({ ...r, json })), onError);
  };

  const time = (ms: number) => new Date(ms).toLocaleTimeString(lang === 'id' ? 'id-ID' : 'en-GB', { hour: '2-digit', minute: '2-digit' });

  return (
    <section className="flex max-h-[45%] min-h-0 flex-col border-t border-edge" aria-label={t('preset.title')} data-testid="preset-panel" data-role={session?.role ?? ''}>
      <div className="flex items-center gap-2 px-3 py-1.5">
        <h2 className="text-sm font-bold uppercase tracking-wide text-ink-dim">{t('preset.title')}</h2>
        {session && (
          <span data-testid="session-role" className={`ml-auto rounded px-1.5 text-xs font-bold ${supervisor ? 'bg-severity-warning text-black' : 'bg-edge'}`} title={session.desk}>
            {t(`session.${session.role}`)}
            {session.expiresAt ? ` ${t('session.until', { time: time(session.expiresAt) })}` : ''}
          </span>
        )}
        {session && session.role !== 'kiosk' && (
          <button
            type="button"
            data-action={supervisor ? 'session-drop' : 'session-elevate'}
            className="rounded bg-edge px-2 text-xs"
            onClick={() => (supervisor ? run(api.call('session.drop', {}), setSession) : setPinOpen((o) => !o))}
          >
            {supervisor ? t('session.drop') : session.pinSet ? t('session.elevate') : t('session.setPin')}
          </button>
        )}
      </div>
      {pinOpen && !supervisor && (
        <form className="flex items-center gap-2 px-3 pb-2" onSubmit={submitPin} data-testid="pin-form">
          {!session?.pinSet && <span className="text-xs">{t('session.noPin')}</span>}
          <input
            type="password"
            inputMode="numeric"
            autoComplete="off"
            aria-label={t('session.pin')}
            placeholder={t('session.pin')}
            value={pin}
            maxLength={12}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
            className="w-28 rounded border border-edge bg-wall px-1"
          />
          <button type="submit" className="rounded bg-accent px-2 text-xs font-bold text-black">
            {t('session.submit')}
          </button>
        </form>
      )}
      <div className="px-3 pb-1">
        <input
          type="search"
          value={query}
          placeholder={t('preset.search')}
          aria-label={t('preset.search')}
          onChange={(e) => setQuery(e.target.value)}
          className="w-full rounded border border-edge bg-wall px-2 py-0.5 text-sm"
        />
      </div>
      <ul className="min-h-0 flex-1 overflow-y-auto px-3 text-sm" data-testid="preset-list">
        {!presets.length && <li className="py-1 text-ink-dim">{t('preset.none')}</li>}
        {shown.map(([g, list]) => (
          <li key={g} data-group={g}>
            <div className="mt-1 truncate text-xs font-semibold uppercase text-ink-dim" title={g || undefined}>
              {g || t('preset.ungrouped')}
            </div>
            <ul>
              {list.map((p) => (
                <li key={p.id} className="flex items-center gap-1 py-0.5" data-preset={p.id} data-preset-name={p.name}>
                  {renaming?.id === p.id ? (
                    <form
                      className="flex flex-1 gap-1"
                      onSubmit={(e) => {
                        e.preventDefault();
                        run(api.call('presets.rename', { id: p.id, name: renaming.name, group: renaming.group }), () => setRenaming(null));
                      }}
                    >
                      <input
                        aria-label={t('preset.name')}
                        value={renaming.name}
                        onChange={(e) => setRenaming({ ...renaming, name: e.target.value })}
                        className="w-24 rounded border border-edge bg-wall px-1"
                      />
                      <input
                        aria-label={t('preset.group')}
                        value={renaming.group}
                        onChange={(e) => setRenaming({ ...renaming, group: e.target.value })}
                        className="w-20 rounded border border-edge bg-wall px-1"
                      />
                      <button type="submit" className="rounded bg-accent px-1 text-xs text-black">
                        ✓
                      </button>
                      <button type="button" className="rounded bg-edge px-1 text-xs" onClick={() => setRenaming(null)}>
                        {t('session.cancel')}
                      </button>
                    </form>
                  ) : (
                    <button
                      type="button"
                      data-action="preset-load"
                      className="flex min-w-0 flex-1 items-center gap-2 rounded px-1 text-left hover:bg-edge"
                      title={t('preset.load')}
                      onClick={() => run(api.call('presets.load', { id: p.id }), () => setLoaded(p.name))}
                    >
                      <span className="w-8 shrink-0 font-mono text-ink-dim">{p.number} P</span>
                      <span className="truncate font-semibold" title={p.name}>
                        {p.name}
                      </span>
                      <span className="ml-auto shrink-0 text-xs text-ink-dim">{p.monitors.length}×</span>
                    </button>
                  )}
                  {supervisor && renaming?.id !== p.id && (
                    <span className="flex gap-0.5 text-xs">
                      <button type="button" className="rounded bg-edge px-1" aria-label={t('preset.up')} onClick={() => move(p.id, -1)}>
                        ↑
                      </button>
                      <button type="button" className="rounded bg-edge px-1" aria-label={t('preset.down')} onClick={() => move(p.id, 1)}>
                        ↓
                      </button>
                      <button type="button" className="rounded bg-edge px-1" data-action="preset-update" title={t('preset.overwrite')} onClick={() => run(api.call('presets.update', { id: p.id }))}>
                        ⟳
                      </button>
                      <button
                        type="button"
                        className="rounded bg-edge px-1"
                        data-action="preset-rename"
                        title={t('preset.rename')}
                        onClick={() => setRenaming({ id: p.id, name: p.name, group: p.group })}
                      >
                        ✎
                      </button>
                      <button
                        type="button"
                        data-action="preset-delete"
                        className={`rounded px-1 ${deleting === p.id ? 'bg-severity-critical text-white' : 'bg-edge'}`}
                        title={deleting === p.id ? t('preset.confirmDelete', { name: p.name }) : t('preset.delete')}
                        onClick={() => (deleting === p.id ? run(api.call('presets.delete', { id: p.id }), () => setDeleting(null)) : setDeleting(p.id))}
                      >
                        {deleting === p.id ? `${t('preset.delete')}?` : '✕'}
                      </button>
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {loaded && (
        <div role="status" className="px-3 text-xs text-ink-dim" data-testid="preset-loaded">
          {t('preset.loaded', { name: loaded })}
        </div>
      )}
      {supervisor && (
        <div className="space-y-1 border-t border-edge px-3 py-2 text-xs" data-testid="preset-supervisor">
          <form
            className="flex flex-wrap gap-1"
            onSubmit={(e) => {
              e.preventDefault();
              run(api.call('presets.save', { name, group }), () => setName(''));
            }}
          >
            <input
              required
              aria-label={t('preset.name')}
              placeholder={t('preset.name')}
              value={name}
              onChange={(e) => setName(e.target.value)}
              className="min-w-0 flex-1 rounded border border-edge bg-wall px-1"
            />
            <input
              aria-label={t('preset.group')}
              placeholder={t('preset.group')}
              value={group}
              onChange={(e) => setGroup(e.target.value)}
              className="min-w-0 flex-[2] rounded border border-edge bg-wall px-1"
            />
            <button type="submit" data-action="preset-save" className="w-full rounded bg-accent px-2 font-bold text-black">
              {t('preset.save')}
            </button>
          </form>
          <div className="flex items-center gap-2">
            <button type="button" className="rounded bg-edge px-2" data-action="preset-export" onClick={exportAll}>
              {t('preset.export')}
            </button>
            <label className="cursor-pointer rounded bg-edge px-2">
              {t('preset.import')}
              <input type="file" accept="application/json,.json" className="hidden" data-testid="preset-import" onChange={(e) => importFile(e.target.files?.[0])} />
            </label>
          </div>
          {report && (
            <div role="status" data-testid="preset-import-report">
              <div>{t('preset.importReport', { imported: report.imported.length, conflicts: report.conflicts.length, errors: report.errors.length })}</div>
              {report.errors.map((e) => (
                <div key={e} className="font-mono text-severity-warning">
                  {e}
                </div>
              ))}
              {report.conflicts.length > 0 && (
                <div className="flex items-center gap-2">
                  <span>{t('preset.confirmOverwrite', { names: report.conflicts.join(', ') })}</span>
                  <button
                    type="button"
                    data-action="preset-import-overwrite"
                    className="rounded bg-severity-warning px-2 font-bold text-black"
                    onClick={() => run(api.call('presets.import', { json: report.json, overwrite: true }), (r) => setReport({ ...r, json: report.json }))}
                  >
                    {t('preset.overwrite')}
                  </button>
                  <button type="button" className="rounded bg-edge px-2" onClick={() => setReport(null)}>
                    {t('session.cancel')}
                  </button>
                </div>
              )}
            </div>
          )}
        </div>
      )}
    </section>
  );
}
