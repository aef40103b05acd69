/**
 * The routing rules (runtime: browser, supervisors): which agency each alert goes to, by type and
 * district, first matching rule first, and how long an alert may wait before it escalates. Saved with
 * `alerts.setRouting`; main validates every rule again.
 */
import { useEffect, useState } from 'react';
import { AgencyId, AlertType, NodeId, type ConsoleApi, type RoutingConfig, type RoutingRule } from '../../../preload/contract';
import { useAlertStore } from '../alerts/store';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { SupervisorDialog } from './SupervisorDialog';

export function RoutingView({ api, onError, onClose }: { api: ConsoleApi; onError: (e: unknown) => void; onClose: () => void }) {
  const { t } = useI18n();
  const store = useAlertStore();
  const [draft, setDraft] = useState<RoutingConfig | null>(null);
  const [districts, setDistricts] = useState<{ code: string; name: string }[]>([]);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!draft && store?.routing) setDraft(store.routing);
  }, [draft, store?.routing]);
  useEffect(() => {
    void api.call('catalog.districts', {}).then((r) => setDistricts(r.kecamatan.map((k) => ({ code: k.code, name: k.name }))), onError);
  }, [api, onError]);
  if (!draft) return null;
  const setRule = (i: number, rule: RoutingRule) => setDraft({ ...draft, rules: draft.rules.map((r, j) => (j === i ? rule : r)) });
  const move = (i: number, d: -1 | 1) => {
    const rules = [...draft.rules];
    const [r] = rules.splice(i, 1);
    rules.splice(Math.max(0, Math.min(rules.length, i + d)), 0, r!);
    setDraft({ ...draft, rules });
  };
  const save = () =>
    void api.call('alerts.setRouting', draft).then((r) => {
      setDraft(r);
      setSaved(true);
    }, onError);
  return (
    <SupervisorDialog
      title={t('agency.rules')}
      testId="routing-view"
      onClose={onClose}
      scroll
      actions={
        <>
          <label className="flex items-center gap-1">
            {t('agency.escalateMinutes')}
            <input
              type="number"
              min={0.1}
              max={1440}
              step="any"
              value={draft.escalateMinutes}
              data-testid="routing-escalate"
              className="w-20 rounded border border-edge bg-wall px-1"
              onChange={(e) => setDraft({ ...draft, escalateMinutes: Number(e.target.value) })}
            />
          </label>
          <button
            type="button"
            className="rounded bg-edge px-2"
            data-action="routing-add"
            onClick={() => setDraft({ ...draft, rules: [...draft.rules, { types: [], districts: [], agency: 'polrestabes' }] })}
          >
            {t('agency.addRule')}
          </button>
          <button type="button" className="rounded bg-accent px-2 font-bold text-black" data-action="routing-save" onClick={save}>
            {t('agency.save')}
          </button>
          {saved && <span className="text-accent">✓</span>}
        </>
      }
    >
      <p className="text-xs text-ink-dim">{t('agency.rulesHint')}</p>
      <table className="w-full text-xs" data-testid="routing-rules">
        <tbody>
          {draft.rules.map((r, i) => (
            <tr key={i} className="border-b border-edge" data-rule={i}>
              <td className="pr-2 font-mono">{i + 1}</td>
              <td className="py-1 pr-2">
                <div className="flex flex-wrap gap-x-2">
                  {AlertType.options.map((ty) => (
                    <label key={ty} className="flex items-center gap-0.5">
                      <input type="checkbox" checked={r.types.includes(ty)} onChange={(e) => setRule(i, { ...r, types: e.target.checked ? [...r.types, ty] : r.types.filter((x) => x !== ty) })} />
                      {t(`alert.type.${ty}` as MessageKey)}
                    </label>
                  ))}
                  {r.types.length === 0 && <span className="text-ink-dim">({t('agency.anyType')})</span>}
                </div>
              </td>
              <td className="pr-2">
                <select
                  value={r.districts[0] ?? ''}
                  className="rounded border border-edge bg-wall px-1"
                  onChange={(e) => setRule(i, { ...r, districts: e.target.value ? [NodeId.parse(e.target.value)] : [] })}
                >
                  <option value="">{t('agency.city')}</option>
                  {districts.map((d) => (
                    <option key={d.code} value={`kec:${d.code}`}>
                      {d.name}
                    </option>
                  ))}
                  {r.districts[0] && !r.districts[0].startsWith('kec:') && <option value={r.districts[0]}>{r.districts[0]}</option>}
                </select>
              </td>
              <td className="pr-2">
                <select
                  value={r.agency}
                  className="rounded border border-edge bg-wall px-1"
                  data-testid="routing-agency"
                  onChange={(e) => setRule(i, { ...r, agency: AgencyId.parse(e.target.value) })}
                >
                  {AgencyId.options.map((a) => (
                    <option key={a} value={a}>
                      {t(`agency.${a}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td className="whitespace-nowrap">
                <button type="button" className="rounded bg-edge px-1" aria-label="↑" onClick={() => move(i, -1)}>
                  ↑
                </button>
                <button type="button" className="ml-1 rounded bg-edge px-1" aria-label="↓" onClick={() => move(i, 1)}>
                  ↓
                </button>
                <button type="button" className="ml-1 rounded bg-edge px-1" onClick={() => setDraft({ ...draft, rules: draft.rules.filter((_, j) => j !== i) })}>
                  {t('agency.removeRule')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </SupervisorDialog>
  );
}
