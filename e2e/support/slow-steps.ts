/**
 * A Playwright reporter that lists, per test, the steps (fixtures, hooks, expects, actions) that took
 * longest: where an e2e test spends its time. Opt in with PW_SLOW_STEPS=<file>; it writes there.
 */
import { writeFileSync } from 'node:fs';
import type { Reporter, TestCase, TestResult, TestStep } from '@playwright/test/reporter';

const file = process.env.PW_SLOW_STEPS ?? 'test-results/slow-steps.txt';

export default class SlowSteps implements Reporter {
  private readonly lines: string[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    const steps: { ms: number; title: string; depth: number }[] = [];
    const walk = (s: TestStep, depth: number) => {
      // Leaf-level cost: a step's own time is what its children don't account for.
      steps.push({ ms: s.duration, title: `${s.category}: ${s.title}`.replace(/\s+/g, ' ').slice(0, 140), depth });
      for (const c of s.steps) walk(c, depth + 1);
    };
    for (const s of result.steps) walk(s, 0);
    const top = steps.filter((s) => s.ms >= 700 && s.depth <= 1);
    this.lines.push(`${(result.duration / 1000).toFixed(1)} s  ${test.location.file.split('/').pop()}:${test.location.line} ${test.title.slice(0, 90)}`);
    for (const s of top) this.lines.push(`   ${'  '.repeat(s.depth)}${(s.ms / 1000).toFixed(1).padStart(5)} ${s.title}`);
  }

  onEnd(): void {
    writeFileSync(file, `${this.lines.join('\n')}\n`);
  }
}
