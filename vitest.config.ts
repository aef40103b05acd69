import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __PANTAU_TEST_HOOKS__: 'true' },
  test: {
    include: ['main/**/*.test.ts', 'bench/**/*.test.ts', 'preload/**/*.test.ts', 'renderer/src/**/*.test.ts', 'scripts/**/*.test.mjs'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default on 2 cores is one worker (cores - 1): the integration tests mostly wait on real
    // ffmpeg and RTSP servers (0.5 of a core on average), so 127 s ran one file after another. Three
    // files at a time keep both cores busy.
    maxWorkers: 3,
  },
});
