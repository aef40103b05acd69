/**
 * Test fixtures: one console host per worker, and a page that fails the test on any console error.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { startConsoleHost, type ConsoleHost } from './console-host';

export const test = base.extend<{ consoleErrors: string[] }, { host: ConsoleHost }>({
  host: [
    async ({}, use) => {
      const host = await startConsoleHost();
      await use(host);
      await host.stop();
    },
    { scope: 'worker', timeout: 200_000 },
  ],
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await use(errors);
    expect(errors, 'the page logged errors').toEqual([]);
  },
});

export { expect, type Page };
