// `npm run bench [name…]`: bundles each bench/*.bench.ts with esbuild and runs it with this Node.
// Each benchmark prints its figures beside a baseline measured in the same run and writes
// bench/results/<name>.json with the machine it ran on.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { build } from 'esbuild';

const only = process.argv.slice(2);
spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const benches = readdirSync('bench').filter((f) => f.endsWith('.bench.ts') && (!only.length || only.some((o) => f.startsWith(o))));
let failed = 0;
for (const file of benches) {
  const out = `dist/bench/${file.replace(/\.ts$/, '.mjs')}`;
  await build({ entryPoints: [`bench/${file}`], outfile: out, bundle: true, platform: 'node', format: 'esm', packages: 'external', target: 'node22', logLevel: 'warning' });
  console.log(`\n▶ ${file}`);
  const r = spawnSync(process.execPath, [out], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
console.log(`\nbenchmarks: ${benches.length - failed} ran, ${failed} failed`);
process.exit(failed ? 1 : 0);
