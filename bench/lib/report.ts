/**
 * A benchmark run's figures (runtime: Node). `npm run bench` runs each benchmark several times
 * (BENCH_RUNS, default 3), each run writing its raw figures to BENCH_RUN_FILE, and then folds them
 * into bench/results/<name>.json: every figure's median with its min-max, goals judged on the medians
 * (finish.ts). A benchmark started by hand, without BENCH_RUN_FILE, writes its one run as the result.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Goal } from './aggregate';
import { writeResult } from './finish';

export function report(name: string, figures: Record<string, unknown>, notes: string[] = [], goals: Goal[] = []): void {
  console.log(`\n=== ${name} (this run) ===`);
  for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(44)} ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  for (const n of notes) console.log(`note: ${n}`);
  const run = { figures, notes, goals };
  const file = process.env.BENCH_RUN_FILE;
  if (file) {
    mkdirSync(file.replace(/\/[^/]*$/, ''), { recursive: true });
    writeFileSync(file, JSON.stringify(run) + '\n');
  } else writeResult(name, [run]);
}
