import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __PANTAU_TEST_HOOKS__: 'true' },
  test: {
    include: ['main/**/*.test.ts', 'bench/**/*.test.ts', 'preload/**/*.test.ts', 'renderer/src/**/*.test.ts', 'scripts/**/*.test.mjs'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
