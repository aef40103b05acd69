/** Writes a benchmark's figures to bench/results/<name>.json and prints them. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { machine } from './machine';

export function report(name: string, figures: Record<string, unknown>, notes: string[] = []): void {
  const out = { benchmark: name, date: new Date().toISOString(), machine: machine(), figures, notes };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/${name}.json`, JSON.stringify(out, null, 2) + '\n');
  console.log(`\n=== ${name} ===`);
  for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(44)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  for (const n of notes) console.log(`note: ${n}`);
  console.log(`machine: ${out.machine.cpu}, ${out.machine.cores} cores, ${out.machine.memoryGiB} GiB, ${out.machine.gpu}`);
}
