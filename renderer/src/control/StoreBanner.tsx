/**
 * Says when a stored file (settings, presets, access) was found damaged at start (runtime: browser):
 * main moved it aside, kept it, and restored the last good backup, or started from defaults. The
 * operator should know, and a supervisor may want the kept file; so it is said until dismissed.
 */
import { useEffect, useState } from 'react';
import type { ConsoleApi, Health } from '../../../preload/contract';
import { useI18n } from '../i18n/i18n';

export function StoreBanner({ api }: { api: ConsoleApi }) {
  const { t } = useI18n();
  const [problems, setProblems] = useState<Health['storeProblems']>([]);
  useEffect(() => {
    // Health is a report, not a control: if it fails, the status bar already says the console is away.
    void api.call('console.health', {}).then(
      (h) => setProblems(h.storeProblems),
      () => undefined,
    );
  }, [api]);
  if (!problems.length) return null;
  const name = (path: string) => path.split(/[\\/]/).at(-1) ?? path;
  return (
    <div role="alert" data-testid="store-banner" className="flex items-start gap-3 bg-severity-warning px-4 py-2 text-sm font-semibold text-black">
      <ul className="flex-1">
        {problems.map((p) => (
          // What the parser said is English: the Indonesian line leaves it out, and the hover shows it.
          <li key={p.movedTo} data-store-file={name(p.file)} title={p.message}>
            {t('store.movedAside', { file: name(p.file), message: p.message, movedTo: name(p.movedTo), restored: p.restored ? t('store.restored') : t('store.notRestored') })}
          </li>
        ))}
      </ul>
      <button type="button" className="rounded bg-black/20 px-2" onClick={() => setProblems([])}>
        {t('store.dismiss')}
      </button>
    </div>
  );
}
