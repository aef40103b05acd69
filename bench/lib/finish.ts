/**
 * Writes a benchmark's result from its runs (runtime: Node): bench/results/<name>.json with the
 * machine, the commit, whether it ran from a fresh clone, the runs, and each figure's median and
 * min-max; prints the same. `node dist/bench/finish.mjs <name> <run.json|!error>…` is how
 * scripts/bench.mjs calls it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { aggregate, type RunOutcome, type Spread } from './aggregate';
import { machine } from './machine';

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

const show = (v: unknown): string => {
  if (v && typeof v === 'object' && 'median' in v) {
    const s = v as Spread;
    return s.min === s.max ? `${s.median}` : `${s.median} (${s.min}-${s.max})`;
  }
  if (v && typeof v === 'object' && !Array.isArray(v))
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${k}: ${show(x)}`)
      .join(', ')} }`;
  return typeof v === 'string' ? v : JSON.stringify(v);
};

export function writeResult(name: string, outcomes: RunOutcome[]): boolean {
  const a = aggregate(outcomes);
  const out = {
    benchmark: name,
    date: new Date().toISOString(),
    machine: machine(),
    commit: git(['rev-parse', '--short', 'HEAD']),
    // BENCH_FRESH_CLONE=1: run from a fresh `git clone` after `bash scripts/setup.sh` (no warm build,
    // caches or processes of a working tree); bench/README marks such figures.
    freshClone: process.env.BENCH_FRESH_CLONE === '1',
    runsSideBySide: process.env.BENCH_PARALLEL === '1',
    uncommittedChanges: git(['status', '--porcelain', '--untracked-files=no']) !== '',
    ...a,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/${name}.json`, JSON.stringify(out, null, 2) + '\n');
  console.log(`\n=== ${name}: median (min-max) of ${a.runs - a.failedRuns} of ${a.runs} runs ===`);
  for (const [k, v] of Object.entries(a.figures)) console.log(`${k.padEnd(44)} ${show(v)}`);
  for (const g of a.goals) console.log(`goal ${g.met ? 'met    ' : 'NOT MET'} ${g.label} (median ${g.median})`);
  for (const f of a.failures) console.log(`failed run: ${f}`);
  for (const n of a.notes) console.log(`note: ${n}`);
  console.log(`machine: ${out.machine.cpu}, ${out.machine.cores} cores, ${out.machine.memoryGiB} GiB, ${out.machine.gpu}${out.freshClone ? ', fresh clone' : ''}`);
  return a.failedRuns < a.runs;
}

const [, script, name, ...runs] = process.argv;
if (script?.endsWith('finish.mjs') && name) {
  const outcomes: RunOutcome[] = runs.map((r) => {
    if (r.startsWith('!')) return { figures: null, error: r.slice(1) };
    if (!existsSync(r)) return { figures: null, error: `run wrote no figures (${r})` };
    return JSON.parse(readFileSync(r, 'utf8')) as RunOutcome;
  });
  process.exit(writeResult(name, outcomes) ? 0 : 1);
}
