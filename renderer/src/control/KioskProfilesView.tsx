/**
 * RT kiosk profiles for supervisors (runtime: browser): create and edit a profile (the RT, its 1 to
 * 4 cameras from the catalog or by URL, layout, language, clock and the kelurahan's announcements)
 * and export it as the file a kiosk machine starts from (`--kiosk <file>`). Main checks every profile
 * against the catalog and keeps no credentials: a residents' camera's password is set on the kiosk.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import {
  ApiError,
  KIOSK_FORMAT,
  KIOSK_MAX_CAMERAS,
  type CommandResult,
  type ConsoleApi,
  type KioskCameraSpec,
  type KioskLayout,
  type KioskProfile,
  type StoredKioskProfile,
} from '../../../preload/contract';
import { useI18n } from '../i18n/i18n';
import { errorText } from '../i18n/messages';
import { SupervisorDialog } from './SupervisorDialog';
import { downloadText } from '../ui/download';
import { LayoutOptions, tickerFrom } from '../kiosk/profile-fields';

const blank = (): KioskProfile => ({
  format: KIOSK_FORMAT,
  version: 1,
  name: '',
  rt: { kecamatanCode: '', kelurahanCode: '', rw: 1, rt: 1 },
  cameras: [],
  layout: 'auto',
  language: 'id',
  clock: { show: true, seconds: false },
  ticker: null,
});

export function KioskProfilesView({ api, onError, onClose }: { api: ConsoleApi; onError: (error: unknown) => void; onClose: () => void }) {
  const { t } = useI18n();
  const [profiles, setProfiles] = useState<StoredKioskProfile[]>([]);
  const [editing, setEditing] = useState<{ id?: string; profile: KioskProfile } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const refresh = useCallback(() => void api.call('kioskProfiles.list', {}).then((r) => setProfiles(r.profiles), onError), [api, onError]);
  useEffect(refresh, [refresh]);

  const exportOne = (id: string) => void api.call('kioskProfiles.export', { id }).then((r) => downloadText(r.fileName, r.json, 'application/json'), onError);
  const remove = (id: string) => void api.call('kioskProfiles.delete', { id }).then(refresh, onError);

  return (
    <SupervisorDialog
      title={t('kprof.title')}
      testId="kiosk-profiles-view"
      onClose={onClose}
      scroll
      actions={
        <>
          <button type="button" data-action="kprof-new" className="rounded bg-accent px-2 font-semibold text-black" onClick={() => setEditing({ profile: blank() })}>
            {t('kprof.new')}
          </button>
          {saved && (
            <span role="status" className="text-tile-live">
              {t('kprof.saved')}: {saved}
            </span>
          )}
        </>
      }
    >
      {profiles.length === 0 && !editing && <p className="text-ink-dim">{t('kprof.none')}</p>}
      <ul className="flex flex-col gap-1" data-testid="kiosk-profile-list">
        {profiles.map((p) => (
          <li key={p.id} data-profile={p.id} className="flex items-center gap-2 rounded border border-edge px-2 py-1">
            <span className="max-w-md truncate font-semibold" title={p.profile.name}>
              {p.profile.name}
            </span>
            <span className="text-ink-dim">
              {p.profile.rt.kelurahanCode} · RW {p.profile.rt.rw} · RT {p.profile.rt.rt} · {p.profile.cameras.length}
            </span>
            <span className="ml-auto flex gap-1">
              <button type="button" data-action="kprof-edit" className="rounded bg-edge px-2" onClick={() => setEditing({ id: p.id, profile: p.profile })}>
                {t('kprof.edit')}
              </button>
              <button type="button" data-action="kprof-export" className="rounded bg-edge px-2" onClick={() => exportOne(p.id)}>
                {t('kprof.export')}
              </button>
              <button type="button" data-action="kprof-delete" className="rounded bg-edge px-2" onClick={() => remove(p.id)}>
                {t('kprof.delete')}
              </button>
            </span>
          </li>
        ))}
      </ul>
      {editing && (
        <ProfileEditor
          key={editing.id ?? 'new'}
          api={api}
          initial={editing.profile}
          onError={onError}
          onSave={(profile) =>
            api.call('kioskProfiles.save', { ...(editing.id ? { id: editing.id } : {}), profile }).then((r) => {
              setSaved(r.profile.name);
              setEditing(null);
              refresh();
            })
          }
        />
      )}
    </SupervisorDialog>
  );
}

/** The form's fields by the path main's problems start with ("rt.rt: no RT 99 in RW 1 of …"). */
const FIELD_OF_PATH: Record<string, string> = { 'rt.kecamatanCode': 'kecamatan', 'rt.kelurahanCode': 'kelurahan', 'rt.rw': 'rw', 'rt.rt': 'rt' };

/** The fields a refused save names, which the form marks as invalid beside the refusal. */
function refusedFields(err: unknown): Set<string> {
  const detail = err instanceof ApiError ? (err.reason?.detail ?? '') : '';
  return new Set(detail.split('; ').flatMap((problem) => FIELD_OF_PATH[problem.split(':')[0]!] ?? []));
}

function ProfileEditor({ api, initial, onSave, onError }: { api: ConsoleApi; initial: KioskProfile; onSave: (p: KioskProfile) => Promise<void>; onError: (e: unknown) => void }) {
  const { t, lang } = useI18n();
  // A refused save stays in the form, with the fields it names marked, until the next attempt: a
  // passing status line would be gone before the supervisor has read which field is wrong.
  const [refusal, setRefusal] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [p, setP] = useState<KioskProfile>(initial);
  const [districts, setDistricts] = useState<CommandResult<'catalog.districts'>['kecamatan']>([]);
  const [catalogId, setCatalogId] = useState('');
  const [urlName, setUrlName] = useState('');
  const [url, setUrl] = useState('');
  const [ticker, setTicker] = useState((initial.ticker?.messages ?? []).join('\n'));
  useEffect(() => void api.call('catalog.districts', {}).then((r) => setDistricts(r.kecamatan), onError), [api, onError]);
  const kec = districts.find((k) => k.code === p.rt.kecamatanCode);
  const full = p.cameras.length >= KIOSK_MAX_CAMERAS;
  const add = (c: KioskCameraSpec) => !full && setP({ ...p, cameras: [...p.cameras, c] });
  const setRt = (rt: Partial<KioskProfile['rt']>) => setP({ ...p, rt: { ...p.rt, ...rt } });

  // The city's camera of this RT: the RW's camera whose RT number matches.
  const addCityCamera = () =>
    void api.call('catalog.tree', { node: `rw:${p.rt.kelurahanCode}:${p.rt.rw}` }).then((r) => {
      const cam = r.cameras.find((c) => c.rt === p.rt.rt);
      if (cam) add({ catalogId: cam.id });
    }, onError);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setRefusal(null);
    onSave({ ...p, ticker: tickerFrom(ticker, p.ticker?.secondsPerMessage) }).then(
      () => setSaving(false),
      (err: unknown) => {
        setSaving(false);
        setRefusal(err);
      },
    );
  };
  const refused = refusedFields(refusal);
  const invalid = (name: string) => (refused.has(name) ? { 'aria-invalid': true as const } : {});
  const field = 'rounded border border-edge bg-panel px-1 aria-[invalid=true]:border-severity-critical';
  // Until the districts have come, the kelurahan list is empty and the browser would refuse to submit
  // the form without a word (the select is required): saving waits for them.
  const ready = districts.length > 0 && !saving;
  return (
    <form className="flex flex-col gap-2 rounded border border-edge p-2" onSubmit={submit} autoComplete="off" data-testid="kiosk-profile-editor">
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col">
          {t('kprof.name')}
          <input required maxLength={80} value={p.name} onChange={(e) => setP({ ...p, name: e.target.value })} className={`${field} w-64`} data-field="name" />
        </label>
        <label className="flex flex-col">
          {t('kprof.kecamatan')}
          <select required value={p.rt.kecamatanCode} onChange={(e) => setRt({ kecamatanCode: e.target.value, kelurahanCode: '' })} className={field} data-field="kecamatan" {...invalid('kecamatan')}>
            <option value="" />
            {districts.map((k) => (
              <option key={k.code} value={k.code}>
                {k.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          {t('kprof.kelurahan')}
          <select required value={p.rt.kelurahanCode} onChange={(e) => setRt({ kelurahanCode: e.target.value })} className={field} data-field="kelurahan" {...invalid('kelurahan')}>
            <option value="" />
            {kec?.kelurahan.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          {t('kprof.rw')}
          <input type="number" min={1} max={999} required value={p.rt.rw} onChange={(e) => setRt({ rw: Number(e.target.value) })} className={`${field} w-16`} data-field="rw" {...invalid('rw')} />
        </label>
        <label className="flex flex-col">
          {t('kprof.rt')}
          <input type="number" min={1} max={999} required value={p.rt.rt} onChange={(e) => setRt({ rt: Number(e.target.value) })} className={`${field} w-16`} data-field="rt" {...invalid('rt')} />
        </label>
      </div>
      <fieldset className="flex flex-col gap-1">
        <legend className="font-semibold">{t('kprof.cameras')}</legend>
        <ol className="flex flex-col gap-1" data-testid="kiosk-profile-cameras">
          {p.cameras.map((c, i) => (
            <li key={i} className="flex items-center gap-2">
              <span className="font-mono">{'catalogId' in c ? c.catalogId : `${c.name} · ${c.url}`}</span>
              <button type="button" className="rounded bg-edge px-2" onClick={() => setP({ ...p, cameras: p.cameras.filter((_, j) => j !== i) })}>
                {t('kprof.remove')}
              </button>
            </li>
          ))}
        </ol>
        <div className="flex flex-wrap items-end gap-2">
          <button type="button" data-action="kprof-city-camera" disabled={full || !p.rt.kelurahanCode} className="rounded bg-edge px-2 disabled:opacity-50" onClick={addCityCamera}>
            {t('kprof.cityCamera')}
          </button>
          <label className="flex flex-col">
            {t('kprof.addCatalog')}
            <input value={catalogId} onChange={(e) => setCatalogId(e.target.value)} className={`${field} w-40 font-mono`} data-field="catalog-id" />
          </label>
          <button
            type="button"
            disabled={full || !catalogId.trim()}
            className="rounded bg-edge px-2 disabled:opacity-50"
            onClick={() => {
              add({ catalogId: catalogId.trim() });
              setCatalogId('');
            }}
          >
            {t('kprof.add')}
          </button>
        </div>
        <div className="flex flex-wrap items-end gap-2">
          <label className="flex flex-col">
            {t('kprof.cameraName')}
            <input value={urlName} maxLength={60} onChange={(e) => setUrlName(e.target.value)} className={`${field} w-40`} />
          </label>
          <label className="flex flex-col">
            {t('kprof.addUrl')}
            <input value={url} maxLength={2048} onChange={(e) => setUrl(e.target.value)} className={`${field} w-96 font-mono`} placeholder="rtsp://…" />
          </label>
          <button
            type="button"
            disabled={full || !urlName.trim() || !url.trim()}
            className="rounded bg-edge px-2 disabled:opacity-50"
            onClick={() => {
              add({ name: urlName.trim(), url: url.trim() });
              setUrl('');
              setUrlName('');
            }}
          >
            {t('kprof.add')}
          </button>
        </div>
        <p className="text-ink-dim">{t('kprof.credentialsNote')}</p>
      </fieldset>
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col">
          {t('kiosk.maint.layout')}
          <select value={p.layout} onChange={(e) => setP({ ...p, layout: e.target.value as KioskLayout })} className={field}>
            <LayoutOptions />
          </select>
        </label>
        <label className="flex flex-col">
          {t('kiosk.maint.language')}
          <select value={p.language} onChange={(e) => setP({ ...p, language: e.target.value as 'id' | 'en' })} className={field}>
            <option value="id">Bahasa Indonesia</option>
            <option value="en">English</option>
          </select>
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={p.clock.show} onChange={(e) => setP({ ...p, clock: { ...p.clock, show: e.target.checked } })} />
          {t('kiosk.maint.clock')}
        </label>
      </div>
      <label className="flex flex-col">
        {t('kiosk.maint.ticker')}
        <textarea value={ticker} onChange={(e) => setTicker(e.target.value)} className={`${field} h-20`} data-field="ticker" />
      </label>
      {refusal !== null && (
        <p role="alert" className="text-severity-critical" data-testid="kprof-refusal">
          {errorText(lang, refusal)}
          {refusal instanceof ApiError && refusal.reason?.detail && lang === 'id' && <span className="block font-mono text-xs text-ink-dim">{refusal.reason.detail}</span>}
        </p>
      )}
      <button type="submit" data-action="kprof-save" disabled={!ready} className="w-fit rounded bg-accent px-3 py-1 font-bold text-black disabled:opacity-50">
        {t('kprof.save')}
      </button>
    </form>
  );
}
