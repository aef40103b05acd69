/**
 * The RT kiosk (runtime: browser): a 20-inch monitor in a neighbourhood showing its own 1 to 4
 * cameras, the RT's name, a clock readable from 3 m and the kelurahan's announcements. No controls are
 * visible. A long press in the top-left corner (3 s) or Ctrl+Alt+Shift+K shows the PIN pad; the
 * supervisor PIN opens maintenance, which locks again after 2 minutes without input. Main enforces
 * all of it: the page can only ask. DESIGN.md §7.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { KIOSK_UNLOCK_CHORD, type AlertView, type ConsoleApi, type KioskLayout, type KioskView as View } from '../../../preload/contract';
import { I18nProvider, useI18n } from '../i18n/i18n';
import { errorText } from '../i18n/messages';
import { clockText, KioskTile } from './KioskTile';
import { LayoutOptions, tickerFrom } from './profile-fields';

/** How long an alert for one of the kiosk's cameras stays on its tile. */
const ALERT_SHOW_MS = 60_000;
const LONG_PRESS_MS = 3_000;
const RELOCK_MS = 2 * 60_000;

function layoutOf(layout: KioskLayout, count: number): Exclude<KioskLayout, 'auto'> {
  if (layout !== 'auto') return layout;
  return count <= 1 ? '1x1' : count === 2 ? '1x2' : '2x2';
}

const GRID: Record<Exclude<KioskLayout, 'auto'>, { template: string; areas: string[] }> = {
  '1x1': { template: '"a" / 1fr', areas: ['a'] },
  '1x2': { template: '"a b" / 1fr 1fr', areas: ['a', 'b'] },
  '2x2': { template: '"a b" 1fr "c d" 1fr / 1fr 1fr', areas: ['a', 'b', 'c', 'd'] },
  '1+3': { template: '"a b" 1fr "a c" 1fr "a d" 1fr / 2fr 1fr', areas: ['a', 'b', 'c', 'd'] },
};

export function KioskView({ api, onConnection }: { api: ConsoleApi; onConnection?: (l: (up: boolean) => void) => () => void }) {
  const [view, setView] = useState<View | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [closed, setClosed] = useState(false);
  const load = useCallback(() => {
    api.call('kiosk.view', {}).then(
      (v) => {
        setView(v);
        setProblem(null);
      },
      (e: unknown) => setProblem(e),
    );
  }, [api]);
  useEffect(() => {
    load();
    const offs = [api.on('kiosk.changed', setView), onConnection?.((up) => up && load()) ?? (() => undefined)];
    return () => offs.forEach((off) => off());
  }, [api, load, onConnection]);
  // A kiosk that could not reach main keeps asking: it runs unattended.
  useEffect(() => {
    if (view || !problem) return;
    const id = window.setTimeout(load, 3_000);
    return () => window.clearTimeout(id);
  }, [view, problem, load]);

  const lang = view?.language ?? 'id';
  return (
    <I18nProvider lang={lang} setLang={() => undefined}>
      {closed ? <Closed /> : view ? <Kiosk api={api} view={view} onView={setView} onClosed={() => setClosed(true)} /> : <Waiting problem={problem} />}
    </I18nProvider>
  );
}

function Waiting({ problem }: { problem: unknown }) {
  const { t, lang } = useI18n();
  return (
    <div className="flex h-screen flex-col items-center justify-center gap-4 bg-black text-ink" data-testid="kiosk-waiting">
      <div className="text-4xl font-bold">{t('kiosk.connectingConsole')}</div>
      {problem !== null && <div className="text-xl text-ink-dim">{errorText(lang, problem)}</div>}
    </div>
  );
}

function Closed() {
  const { t } = useI18n();
  return <div className="flex h-screen items-center justify-center bg-black text-3xl font-bold text-ink-dim">{t('kiosk.closed')}</div>;
}

function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(id);
  }, [everyMs]);
  return now;
}

/** The kiosk's own alerts (main sends only those), newest per camera while recent. */
function useKioskAlerts(api: ConsoleApi): Map<string, AlertView> {
  const [alerts, setAlerts] = useState<Map<string, AlertView>>(new Map());
  const now = useNow(5_000);
  useEffect(() => {
    const take = (list: AlertView[]) =>
      setAlerts((cur) => {
        const next = new Map(cur);
        for (const a of list) {
          const held = next.get(a.cameraId);
          if (!held || Date.parse(a.time) >= Date.parse(held.time)) next.set(a.cameraId, a);
        }
        return next;
      });
    const off = api.on('alerts.changed', (e) => take(e.alerts));
    api.call('kiosk.alerts', {}).then(
      (r) => take([...r.alerts].reverse()),
      () => undefined,
    );
    return off;
  }, [api]);
  return new Map([...alerts].filter(([, a]) => a.ack === null && now - Date.parse(a.time) < ALERT_SHOW_MS));
}

function Kiosk({ api, view, onView, onClosed }: { api: ConsoleApi; view: View; onView: (v: View) => void; onClosed: () => void }) {
  const { t, lang } = useI18n();
  const now = useNow(1_000);
  const alerts = useKioskAlerts(api);
  const [pinPad, setPinPad] = useState(false);
  // Stable, so the pad's own minute of patience is not restarted by the clock's every tick.
  const closePad = useCallback(() => setPinPad(false), []);
  const maintaining = view.maintenanceUntil !== null && view.maintenanceUntil > now;
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `Pantau · ${view.name}`;
  }, [lang, view.name]);

  // The hidden way in: Ctrl+Alt+Shift+K, or a long press in the top-left corner. The key listener is
  // added as the kiosk is committed (a layout effect), not after it is painted: a passive effect runs
  // in a later task, and a key pressed as the kiosk first shows was handled before it and lost (seen
  // under load: the chord opened no pad).
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey === KIOSK_UNLOCK_CHORD.control && e.altKey === KIOSK_UNLOCK_CHORD.alt && e.shiftKey === KIOSK_UNLOCK_CHORD.shift && e.key.toUpperCase() === KIOSK_UNLOCK_CHORD.key) {
        e.preventDefault();
        setPinPad(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const press = useRef<number | null>(null);
  const startPress = () => {
    press.current = window.setTimeout(() => setPinPad(true), LONG_PRESS_MS);
  };
  const endPress = () => {
    if (press.current !== null) window.clearTimeout(press.current);
    press.current = null;
  };
  // Nothing to right-click, select or drag on a kiosk.
  useEffect(() => {
    const stop = (e: Event) => e.preventDefault();
    for (const ev of ['contextmenu', 'dragstart', 'selectstart']) window.addEventListener(ev, stop);
    return () => {
      for (const ev of ['contextmenu', 'dragstart', 'selectstart']) window.removeEventListener(ev, stop);
    };
  }, []);

  const layout = layoutOf(view.layout, view.cameras.length);
  const grid = GRID[layout];
  const date = new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(now);
  const spare = grid.areas.slice(view.cameras.length);
  return (
    <div className="kiosk flex h-screen cursor-none select-none flex-col overflow-hidden bg-black text-ink" data-testid="kiosk" data-layout={layout}>
      <header className="flex items-center justify-between gap-6 px-8 py-3">
        <div className="min-w-0">
          <div className="truncate text-[clamp(30px,3.2vw,56px)] font-extrabold leading-tight text-white" data-testid="kiosk-rt">
            {t('kiosk.rt', { rt: String(view.rt.rt).padStart(2, '0'), rw: String(view.rt.rw).padStart(2, '0') })}
          </div>
          <div className="truncate text-[clamp(18px,1.8vw,30px)] text-ink-dim">{t('kiosk.place', { kelurahan: view.rt.kelurahanName, kecamatan: view.rt.kecamatanName })}</div>
        </div>
        {view.clock.show && (
          <div className="shrink-0 text-right">
            <div className="font-mono text-[clamp(44px,4.6vw,80px)] font-bold leading-none text-white" data-testid="kiosk-clock">
              {clockText(lang, now, view.clock.seconds)}
            </div>
            <div className="text-[clamp(16px,1.5vw,26px)] text-ink-dim">{date}</div>
          </div>
        )}
      </header>
      <main className="grid min-h-0 flex-1 gap-3 px-3 pb-3" style={{ gridTemplate: grid.template }}>
        {view.cameras.map((c, i) => (
          <KioskTile key={c.id} api={api} camera={c} alert={alerts.get(c.id) ?? null} style={{ gridArea: grid.areas[i] ?? 'a' }} />
        ))}
        {spare.map((area) => (
          <div key={area} className="flex flex-col items-center justify-center rounded-lg bg-panel text-center" style={{ gridArea: area }}>
            <div className="max-w-full truncate px-4 text-[clamp(26px,2.8vw,48px)] font-bold text-white">{view.name}</div>
            <div className="mt-2 text-[clamp(18px,1.8vw,30px)] text-ink-dim">{t('kiosk.place', { kelurahan: view.rt.kelurahanName, kecamatan: view.rt.kecamatanName })}</div>
          </div>
        ))}
      </main>
      {view.ticker && <Ticker messages={view.ticker.messages} seconds={view.ticker.secondsPerMessage} />}
      {/* The corner a long press unlocks: invisible, and nothing else to touch. */}
      <div className="absolute left-0 top-0 h-24 w-24" data-testid="kiosk-corner" onPointerDown={startPress} onPointerUp={endPress} onPointerLeave={endPress} onPointerCancel={endPress} />
      {pinPad && !maintaining && (
        <PinPad
          api={api}
          onClose={closePad}
          onUnlocked={(v) => {
            closePad();
            onView(v);
          }}
        />
      )}
      {maintaining && <Maintenance api={api} view={view} onView={onView} onClosed={onClosed} now={now} />}
    </div>
  );
}

function Ticker({ messages, seconds }: { messages: string[]; seconds: number }) {
  const [i, setI] = useState(0);
  useEffect(() => {
    const id = window.setInterval(() => setI((n) => n + 1), seconds * 1000);
    return () => window.clearInterval(id);
  }, [seconds]);
  return (
    <footer className="bg-accent/20 px-8 py-3 text-[clamp(22px,2.2vw,38px)] font-semibold text-white" data-testid="kiosk-ticker">
      <div className="truncate">{messages[i % messages.length]}</div>
    </footer>
  );
}

function PinPad({ api, onClose, onUnlocked }: { api: ConsoleApi; onClose: () => void; onUnlocked: (v: View) => void }) {
  const { t, lang } = useI18n();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = useCallback(() => {
    if (!pin || busy) return;
    setBusy(true);
    api.call('kiosk.unlock', { pin }).then(
      (v) => onUnlocked(v),
      (e: unknown) => {
        setError(errorText(lang, e));
        setPin('');
        setBusy(false);
      },
    );
  }, [api, pin, busy, lang, onUnlocked]);
  // Closes by itself when left alone, like maintenance.
  useEffect(() => {
    const id = window.setTimeout(onClose, 60_000);
    return () => window.clearTimeout(id);
  }, [onClose, pin]);
  // A layout effect, as above: the digits typed right after the pad shows must reach it.
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (/^\d$/.test(e.key)) setPin((p) => (p + e.key).slice(0, 12));
      else if (e.key === 'Backspace') setPin((p) => p.slice(0, -1));
      else if (e.key === 'Enter') submit();
      else if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [submit, onClose]);
  const key = (label: string, onClick: () => void, action?: string) => (
    <button type="button" key={label} data-action={action} className="h-20 rounded-lg bg-edge text-3xl font-bold text-white active:bg-accent" onClick={onClick}>
      {label}
    </button>
  );
  return (
    <div className="absolute inset-0 flex cursor-default items-center justify-center bg-black/85" role="dialog" aria-label={t('kiosk.pin.title')} data-testid="kiosk-pinpad">
      <div className="w-[420px] rounded-xl bg-panel p-6">
        <div className="text-2xl font-bold">{t('kiosk.pin.title')}</div>
        <div className="text-ink-dim">{t('kiosk.pin.hint')}</div>
        <div className="my-4 h-12 rounded bg-black text-center font-mono text-4xl tracking-[0.4em] text-white" data-testid="kiosk-pin-dots">
          {'•'.repeat(pin.length)}
        </div>
        {error && (
          <div role="alert" className="mb-3 text-lg font-semibold text-severity-critical" data-testid="kiosk-pin-error">
            {error}
          </div>
        )}
        <div className="grid grid-cols-3 gap-3">
          {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => key(d, () => setPin((p) => (p + d).slice(0, 12)), `pin-${d}`))}
          {key(t('kiosk.pin.clear'), () => setPin(''), 'pin-clear')}
          {key('0', () => setPin((p) => (p + '0').slice(0, 12)), 'pin-0')}
          {key(t('kiosk.pin.ok'), submit, 'pin-ok')}
        </div>
        <button type="button" className="mt-4 w-full rounded-lg border border-edge py-3 text-xl" data-action="pin-cancel" onClick={onClose}>
          {t('kiosk.pin.cancel')}
        </button>
      </div>
    </div>
  );
}

function Maintenance({ api, view, onView, onClosed, now }: { api: ConsoleApi; view: View; onView: (v: View) => void; onClosed: () => void; now: number }) {
  const { t, lang } = useI18n();
  const [layout, setLayout] = useState<KioskLayout>(view.layout);
  const [language, setLanguage] = useState(view.language);
  const [clock, setClock] = useState(view.clock);
  const [ticker, setTicker] = useState((view.ticker?.messages ?? []).join('\n'));
  const [note, setNote] = useState<string | null>(null);
  const lastInput = useRef(Date.now());
  const lastTouch = useRef(Date.now());
  const fail = (e: unknown) => setNote(errorText(lang, e));

  // Any input keeps maintenance open (main hears of it at most every 20 s); 2 minutes without locks it.
  useEffect(() => {
    const onInput = () => {
      lastInput.current = Date.now();
      if (Date.now() - lastTouch.current > 20_000) {
        lastTouch.current = Date.now();
        api.call('kiosk.touch', {}).then(onView, () => undefined);
      }
    };
    for (const ev of ['pointerdown', 'keydown', 'input']) window.addEventListener(ev, onInput, true);
    return () => {
      for (const ev of ['pointerdown', 'keydown', 'input']) window.removeEventListener(ev, onInput, true);
    };
  }, [api, onView]);
  useEffect(() => {
    if (now - lastInput.current >= RELOCK_MS) api.call('kiosk.relock', {}).then(onView, () => undefined);
  }, [now, api, onView]);

  const save = () => {
    api.call('kiosk.configure', { layout, language, clock, ticker: tickerFrom(ticker, view.ticker?.secondsPerMessage) }).then((v) => {
      onView(v);
      setNote(t('kiosk.maint.saved'));
    }, fail);
  };
  const loadFile = (file: File | undefined) => {
    if (!file) return;
    void file.text().then((json) => api.call('kiosk.replaceProfile', { json }).then(onView, fail));
  };
  const exit = () => {
    if (!window.confirm(t('kiosk.maint.exitConfirm'))) return;
    api.call('kiosk.exit', {}).then(onClosed, fail);
  };
  const left = Math.max(0, Math.ceil(((view.maintenanceUntil ?? now) - now) / 1000));
  const field = 'rounded border border-edge bg-black px-3 py-2 text-lg';
  return (
    <div className="absolute inset-0 flex cursor-default items-center justify-center bg-black/85" role="dialog" aria-label={t('kiosk.maint.title')} data-testid="kiosk-maintenance">
      <div className="flex w-[640px] flex-col gap-4 rounded-xl bg-panel p-6 text-lg">
        <div className="flex items-baseline justify-between">
          <div className="text-2xl font-bold">{t('kiosk.maint.title')}</div>
          <div className="text-sm text-ink-dim">{t('kiosk.maint.relocksIn', { s: Math.min(left, Math.ceil((RELOCK_MS - (now - lastInput.current)) / 1000)) })}</div>
        </div>
        <label className="flex items-center justify-between gap-4">
          {t('kiosk.maint.layout')}
          <select className={field} value={layout} onChange={(e) => setLayout(e.target.value as KioskLayout)} data-testid="kiosk-layout">
            <LayoutOptions />
          </select>
        </label>
        <label className="flex items-center justify-between gap-4">
          {t('kiosk.maint.language')}
          <select className={field} value={language} onChange={(e) => setLanguage(e.target.value as 'id' | 'en')} data-testid="kiosk-language">
            <option value="id">Bahasa Indonesia</option>
            <option value="en">English</option>
          </select>
        </label>
        <div className="flex gap-6">
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={clock.show} onChange={(e) => setClock({ ...clock, show: e.target.checked })} />
            {t('kiosk.maint.clock')}
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={clock.seconds} onChange={(e) => setClock({ ...clock, seconds: e.target.checked })} />
            {t('kiosk.maint.seconds')}
          </label>
        </div>
        <label className="flex flex-col gap-1">
          {t('kiosk.maint.ticker')}
          <textarea className={`${field} h-28`} value={ticker} maxLength={20 * 281} onChange={(e) => setTicker(e.target.value)} data-testid="kiosk-ticker-text" />
        </label>
        {note && (
          <div role="status" className="text-base" data-testid="kiosk-maint-note">
            {note}
          </div>
        )}
        <div className="flex flex-wrap gap-3">
          <button type="button" className="rounded-lg bg-accent px-5 py-3 font-bold text-black" data-action="kiosk-save" onClick={save}>
            {t('kiosk.maint.save')}
          </button>
          <label className="cursor-pointer rounded-lg border border-edge px-5 py-3">
            {t('kiosk.maint.loadFile')}
            <input type="file" accept="application/json,.json" className="hidden" data-testid="kiosk-profile-file" onChange={(e) => loadFile(e.target.files?.[0])} />
          </label>
          <button type="button" className="rounded-lg border border-edge px-5 py-3" data-action="kiosk-lock" onClick={() => void api.call('kiosk.relock', {}).then(onView, fail)}>
            {t('kiosk.maint.lock')}
          </button>
          <button type="button" className="ml-auto rounded-lg bg-severity-critical px-5 py-3 font-bold text-white" data-action="kiosk-exit" onClick={exit}>
            {t('kiosk.maint.exit')}
          </button>
        </div>
      </div>
    </div>
  );
}
