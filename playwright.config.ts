import { defineConfig } from '@playwright/test';

// Web mode in Debian Chromium (the Electron binary can't be downloaded here). As root, Chromium needs
// --no-sandbox; the networking flags stop it reaching for the closed network.
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  workers: 1,
  // One retry: a test that fails, then passes, is reported as flaky by `npm test` (named, with its
  // first error) and counted as passed; one that fails twice fails the run.
  retries: 1,
  fullyParallel: false,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    viewport: { width: 1600, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--autoplay-policy=no-user-gesture-required',
      ],
    },
  },
});
