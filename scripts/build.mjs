// One build for all three parts: main (web CLI and Electron, ESM), preload (CJS, bundled: sandboxed
// preloads can't load modules), renderer (Vite + React + Tailwind).
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
await vite({ configFile: 'vite.config.ts', logLevel: 'warn' });
console.log(`build: main, preload and renderer in dist/ (${((Date.now() - started) / 1000).toFixed(1)} s)`);
