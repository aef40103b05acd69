// One build for all three parts: main (web CLI and Electron, ESM), preload (CJS, bundled: sandboxed
// preloads can't load modules), renderer (Vite + React + Tailwind).
// `--test-hooks` builds the renderer with its test hooks (the media worker's counters, `?player=mse`),
// for the e2e tests and benchmarks; what ships is built without them.
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';

const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, logLevel: 'warning' };
const started = Date.now();
await Promise.all([
  esbuild({ ...common, entryPoints: ['main/web/cli.ts'], outfile: 'dist/main/web/cli.js', format: 'esm', packages: 'external' }),
  esbuild({ ...common, entryPoints: ['main/demo/cli.ts'], outfile: 'dist/main/demo/cli.js', format: 'esm', packages: 'external' }),
  esbuild({ ...common, entryPoints: ['main/alerts/sim-cli.ts'], outfile: 'dist/main/alerts/sim-cli.js', format: 'esm', packages: 'external' }),
  esbuild({ ...common, entryPoints: ['main/electron/main.ts'], outfile: 'dist/main/electron/main.mjs', format: 'esm', packages: 'external' }),
  esbuild({ ...common, entryPoints: ['preload/index.ts'], outfile: 'dist/preload/index.cjs', format: 'cjs', external: ['electron'], target: 'chrome130' }),
]);
const testHooks = process.argv.includes('--test-hooks');
await vite({ configFile: 'vite.config.ts', logLevel: 'warn', define: { __PANTAU_TEST_HOOKS__: JSON.stringify(testHooks) } });
console.log(`build: main, preload and renderer${testHooks ? ' (with test hooks)' : ''} in dist/ (${((Date.now() - started) / 1000).toFixed(1)} s)`);
