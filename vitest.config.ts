import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __PANTAU_TEST_HOOKS__: 'true' },
  test: {
    include: ['main/**/*.test.ts', 'bench/**/*.test.ts', 'preload/**/*.test.ts', 'renderer/src/**/*.test.ts', 'scripts/**/*.test.mjs'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One file at a time by default (Vitest's default on 2 cores). `npm test` runs the files two at a
    // time, except the CPU-bound H.265 transcode tests, which it runs alone afterwards: three at a time
    // (53-66 s), a fresh clone's transcodes missed their deadlines beside the other files' ffmpegs.
    maxWorkers: 1,
  },
});
