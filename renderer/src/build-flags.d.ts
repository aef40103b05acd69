/**
 * Build flags (runtime: browser), replaced at build time by Vite's define (scripts/build.mjs).
 * __PANTAU_TEST_HOOKS__: true only in the build for e2e tests and benchmarks (`--test-hooks`): the
 * media worker's counters and `?player=mse`. What ships is built with false, and they are gone.
 */
declare const __PANTAU_TEST_HOOKS__: boolean;
