/**
 * Form pieces a kiosk profile is edited with (runtime: browser), shared by the control room's profile
 * editor and the kiosk's maintenance panel.
 */
import type { KioskLayout, KioskProfile } from '../../../preload/contract';
import { useI18n } from '../i18n/i18n';

export const KIOSK_LAYOUTS: readonly KioskLayout[] = ['auto', '1x1', '1x2', '2x2', '1+3'];

/** The layout's choices, `auto` in words. */
export function LayoutOptions() {
  const { t } = useI18n();
  return (
    <>
      {KIOSK_LAYOUTS.map((l) => (
        <option key={l} value={l}>
          {l === 'auto' ? t('kiosk.maint.layout.auto') : l}
        </option>
      ))}
    </>
  );
}

/** The announcements typed one per line, as the profile keeps them (none: no ticker). */
export function tickerFrom(text: string, secondsPerMessage = 12): KioskProfile['ticker'] {
  const messages = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 20);
  return messages.length ? { messages, secondsPerMessage } : null;
}
