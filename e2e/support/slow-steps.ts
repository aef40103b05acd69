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
    this.lines.push(`${(result.duration / 1000).toFixed(1)} s  ${test.location.file.split('/').pop()}:${test.location.line} ${test.title.slice(0, 90)}`);
    // Each step of 0.7 s or more, whole (its children's time included), and those of its children.
    const list = (steps: TestStep[], depth: number) => {
      for (const s of steps) {
        if (s.duration < 700) continue;
        this.lines.push(`   ${'  '.repeat(depth)}${(s.duration / 1000).toFixed(1).padStart(5)} ${`${s.category}: ${s.title}`.replace(/\s+/g, ' ').slice(0, 140)}`);
        if (depth < 1) list(s.steps, depth + 1);
      }
    };
    list(result.steps, 0);
  }

  onEnd(): void {
    writeFileSync(file, `${this.lines.join('\n')}\n`);
  }
}
