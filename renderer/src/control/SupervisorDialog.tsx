/**
 * The frame of a supervisor view in the control window (runtime: browser): it covers the monitor
 * preview, with its title, any actions beside it, and a close button, then the view itself.
 */
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

export function SupervisorDialog({
  title,
  testId,
  onClose,
  actions,
  scroll = false,
  children,
}: {
  title: string;
  testId: string;
  onClose: () => void;
  /** Buttons and status shown after the title. */
  actions?: ReactNode;
  /** The whole view scrolls (one whose content can be taller than the window). */
  scroll?: boolean;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <section role="dialog" aria-label={title} data-testid={testId} className={`absolute inset-0 z-30 flex flex-col gap-2 ${scroll ? 'overflow-auto ' : ''}bg-wall p-3 text-sm`}>
      <div className="flex items-center gap-3">
        <h2 className="font-bold uppercase tracking-wide">{title}</h2>
        {actions}
        <button type="button" className="ml-auto rounded bg-edge px-2" onClick={onClose}>
          {t('audit.close')}
        </button>
      </div>
      {children}
    </section>
  );
}
