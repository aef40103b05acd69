/**
 * A page's session made supervisor as a person does it: the preset panel's "Masuk supervisor", the
 * PIN, "Kirim" (runtime: Node, Playwright).
 */
import type { Page } from '@playwright/test';

export async function elevateInPanel(page: Page, pin: string): Promise<void> {
  const panel = page.getByTestId('preset-panel');
  await panel.locator('[data-action="session-elevate"]').click();
  await panel.getByLabel('PIN supervisor').fill(pin);
  await panel.getByRole('button', { name: 'Kirim' }).click();
}
