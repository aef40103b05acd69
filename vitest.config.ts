import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __PANTAU_TEST_HOOKS__: 'true' },
  test: {
    include: ['main/**/*.test.ts', 'bench/**/*.test.ts', 'preload/**/*.test.ts', 'renderer/src/**/*.test.ts', 'scripts/**/*.test.mjs'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One file at a time (Vitest's default on 2 cores). Three at a time took the run from 127 s to
    // 53-66 s, but on a fresh clone the H.265 transcode tests (CPU-bound real ffmpeg) then missed their
    // deadlines beside the other files' ffmpegs: 2 failures in 1 of 4 runs. Speed is not worth a flake.
    maxWorkers: 1,
  },
});
