// `npm test`: type checks, the layer check, the build, unit and integration tests (Vitest), and e2e
// tests (Playwright, web mode in Debian Chromium). Every step runs even if an earlier one failed, and
// the last line counts every test and check: "tests: N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const bin = (name) => `node_modules/.bin/${name}`;
const results = { passed: 0, failed: 0 };
const lines = [];
const started = Date.now();

function step(label, cmd, args) {
  const t0 = Date.now();
  process.stdout.write(`\n── ${label} ──\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  const ok = r.status === 0;
  lines.push(`${ok ? 'ok  ' : 'FAIL'} ${label} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return ok;
}

function check(label, cmd, args) {
  if (step(label, cmd, args)) results.passed++;
  else results.failed++;
}

function countFromJson(label, file, read) {
  if (!existsSync(file)) {
    results.failed++;
    lines.push(`FAIL ${label}: no report (${file})`);
    return;
  }
  const { passed, failed } = read(JSON.parse(readFileSync(file, 'utf8')));
  results.passed += passed;
  results.failed += failed;
  lines.push(`     ${label}: ${passed} passed, ${failed} failed`);
}

mkdirSync('test-results', { recursive: true });
for (const f of ['test-results/unit.json', 'test-results/e2e.json']) rmSync(f, { force: true });

for (const p of ['node', 'web', 'electron', 'tools']) check(`typecheck ${p}`, bin('tsc'), ['-p', `tsconfig.${p}.json`, '--noEmit']);
check('layer check', process.execPath, ['scripts/check-layers.mjs']);
const built = step('build', process.execPath, ['scripts/build.mjs']);
if (built) results.passed++;
else results.failed++;

step('unit and integration tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/unit.json']);
countFromJson('vitest', 'test-results/unit.json', (j) => ({ passed: j.numPassedTests, failed: j.numFailedTests + (j.numRuntimeErrorTestSuites ?? 0) }));

if (built) {
  step('end-to-end tests (playwright, web mode in Chromium)', bin('playwright'), ['test']);
  countFromJson('playwright', 'test-results/e2e.json', (j) => ({ passed: j.stats.expected + j.stats.flaky, failed: j.stats.unexpected }));
} else lines.push('FAIL e2e skipped: the build failed');

process.stdout.write(`\n── summary (${((Date.now() - started) / 1000).toFixed(0)} s) ──\n${lines.join('\n')}\n`);
process.stdout.write(`tests: ${results.passed} passed, ${results.failed} failed\n`);
process.exit(results.failed ? 1 : 0);
