// `npm run bench [name…]`: bundles each bench/*.bench.ts with esbuild and runs it BENCH_RUNS times
// (default 3), each run in its own process. Each run prints its figures beside a baseline measured in
// the same run; then bench/lib/finish.ts writes bench/results/<name>.json: every figure's median and
// min-max over the runs, goals judged on the medians, and the machine. A run that crashes or times out
// is recorded as failed (with its last words) and the others carry on. BENCH_PARALLEL=1 runs the runs
// side by side: only for soaks, which measure memory and recovery over wall-clock time, not speed (three
// one-hour kiosk soaks then take one hour); a speed benchmark's runs must never share the machine.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const only = process.argv.slice(2);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const parallel = process.env.BENCH_PARALLEL === '1';
if (!Number.isInteger(runs) || runs < 1) throw new Error(`BENCH_RUNS must be a whole number ≥ 1, not ${process.env.BENCH_RUNS}`);
spawnSync(process.execPath, ['scripts/build.mjs', '--test-hooks'], { stdio: 'inherit' });
const bundle = (entry, outfile) => build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', target: 'node22', logLevel: 'warning' });
await bundle('bench/lib/finish.ts', 'dist/bench/finish.mjs');
const all = readdirSync('bench').filter((f) => f.endsWith('.bench.ts'));
// In the order named (so the figures wanted first come first), else all of them.
const benches = only.length ? [...new Set(only.flatMap((o) => all.filter((f) => f.startsWith(o))))] : all;
let failed = 0;
for (const file of benches) {
  const name = file.replace(/\.bench\.ts$/, '');
  const out = `dist/bench/${name}.bench.mjs`;
  await bundle(`bench/${file}`, out);
  const dir = `dist/bench/runs/${name}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  /** One run in its own process: its result file, or why it failed. */
  const runOnce = (i) =>
    new Promise((resolve) => {
      console.log(`\n▶ ${file}, run ${i} of ${runs}${parallel ? ' (side by side)' : ''}`);
      const runFile = `${dir}/run-${i}.json`;
      const child = spawn(process.execPath, [out], { stdio: ['ignore', 'inherit', 'pipe'], env: { ...process.env, BENCH_RUN_FILE: runFile } });
      let err = '';
      child.stderr.on('data', (d) => {
        err = (err + d).slice(-64 * 1024);
        process.stderr.write(d);
      });
      child.on('close', (status, signal) => {
        if (status === 0) return resolve(runFile);
        // The error's own line says what went wrong; a stack's last lines do not.
        const lines = err
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
        const why =
          lines.find((l) => /^[A-Za-z]*Error\b/.test(l)) ??
          lines
            .filter((l) => !l.startsWith('at ') && !l.startsWith('Node.js'))
            .slice(-2)
            .join(' / ');
        resolve(`!exit ${status ?? signal}: ${why.slice(0, 400) || 'no message'}`);
      });
    });
  const numbers = Array.from({ length: runs }, (_, i) => i + 1);
  const results = [];
  if (parallel) results.push(...(await Promise.all(numbers.map(runOnce))));
  else for (const i of numbers) results.push(await runOnce(i));
  const f = spawnSync(process.execPath, ['dist/bench/finish.mjs', name, ...results], { stdio: 'inherit' });
  if (f.status !== 0) failed++;
}
console.log(`\nbenchmarks: ${benches.length - failed} ran, ${failed} failed (${runs} runs each)`);
process.exit(failed ? 1 : 0);
