/**
 * Camera credentials for supervisors (runtime: browser): a user name and password are sent once to
 * main, which keeps them (sealed by the OS keyring in the desktop app) and puts them into the camera's
 * stream URL itself. Nothing here can read them back: the list holds camera ids only, and the view
 * says how well they are protected, loudly when they are not.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ConsoleApi, CredentialProtection } from '../../../preload/contract';
import { useI18n } from '../i18n/i18n';
import { SupervisorDialog } from './SupervisorDialog';

export function CredentialsView({ api, camera, onError, onClose }: { api: ConsoleApi; camera: string | null; onError: (error: unknown) => void; onClose: () => void }) {
  const { t } = useI18n();
  const [list, setList] = useState<{ cameraIds: string[]; protection: CredentialProtection } | null>(null);
  const [cameraId, setCameraId] = useState(camera ?? '');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [saved, setSaved] = useState<string | null>(null);

  const refresh = useCallback(() => void api.call('cameras.credentials', {}).then(setList, onError), [api, onError]);
  useEffect(refresh, [refresh]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void api.call('cameras.setCredentials', { cameraId: cameraId.trim(), user, password }).then((r) => {
      // The password leaves the page's memory as soon as main has it.
      setPassword('');
      setUser('');
      setSaved(r.cameraId);
      refresh();
    }, onError);
  };

  return (
    <SupervisorDialog title={t('cred.title')} testId="credentials-view" onClose={onClose}>
      <p className="text-ink-dim">{t('cred.intro')}</p>
      {list && (
        <p
          data-testid="credentials-protection"
          data-protection={list.protection}
          role={list.protection === 'basic-text' ? 'alert' : undefined}
          className={list.protection === 'basic-text' ? 'bg-severity-critical px-2 py-1 font-bold text-white' : 'text-ink-dim'}
        >
          {t(`cred.${list.protection}`)}
        </p>
      )}
      <form className="flex flex-wrap items-end gap-2" onSubmit={submit} autoComplete="off">
        <label className="flex flex-col">
          {t('cred.camera')}
          <input required value={cameraId} onChange={(e) => setCameraId(e.target.value)} className="w-56 rounded border border-edge bg-panel px-1 font-mono" />
        </label>
        <label className="flex flex-col">
          {t('cred.user')}
          <input required value={user} maxLength={128} onChange={(e) => setUser(e.target.value)} className="w-40 rounded border border-edge bg-panel px-1" />
        </label>
        <label className="flex flex-col">
          {t('cred.password')}
          <input type="password" value={password} maxLength={256} autoComplete="new-password" onChange={(e) => setPassword(e.target.value)} className="w-40 rounded border border-edge bg-panel px-1" />
        </label>
        <button type="submit" data-action="credentials-save" className="rounded bg-accent px-3 font-bold text-black">
          {t('cred.save')}
        </button>
        {saved && (
          <span role="status" data-testid="credentials-saved">
            {t('cred.saved', { camera: saved })}
          </span>
        )}
      </form>
      <ul className="min-h-0 flex-1 overflow-y-auto" data-testid="credentials-list">
        {list?.cameraIds.length === 0 && <li className="text-ink-dim">{t('cred.none')}</li>}
        {list?.cameraIds.map((id) => (
          <li key={id} data-credentials-camera={id} className="flex items-center gap-2 border-t border-edge py-0.5">
            <span className="font-mono">{id}</span>
            <button type="button" className="rounded bg-edge px-2 text-xs" onClick={() => void api.call('cameras.clearCredentials', { cameraId: id }).then(refresh, onError)}>
              {t('cred.clear')}
            </button>
          </li>
        ))}
      </ul>
    </SupervisorDialog>
  );
}
