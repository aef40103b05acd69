import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/support/chromium';

// Web mode in Debian Chromium (the Electron binary can't be downloaded here), with the flags this
// machine needs (e2e/support/chromium.ts, which the benchmarks use too).
/** Specs that start their own console (startConsoleHost) or camera rig and never use the shared one. */
const OWN_CONSOLES = /\/(desks|faults|hostile|kiosk|presets|stats)\.spec\.ts$/;

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
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }], ...(process.env.PW_SLOW_STEPS ? [['./e2e/support/slow-steps.ts'] as [string]] : [])],
  // The specs that start consoles of their own run first, then those sharing the per-worker demo
  // console (fixtures.ts). In one project the shared console, once started by the first spec, kept
  // its demo cameras streaming through every later spec: about a quarter of this 2-core machine
  // spent beside the kiosk, desk, preset and statistics consoles. A new project gets a new worker, and
  // the old one (and its console) stops first.
  projects: [
    { name: 'own-consoles', testMatch: OWN_CONSOLES },
    { name: 'shared-console', testIgnore: OWN_CONSOLES },
  ],
  use: {
    viewport: { width: 1600, height: 900 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] },
  },
});
