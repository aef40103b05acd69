/**
 * The web console's command line refuses a bad number before anything starts, naming the flag and
 * the value (runs the built dist/main/web/cli.js, as `npm test` builds it first).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const cli = (...args: string[]) => spawnSync(process.execPath, ['dist/main/web/cli.js', ...args], { encoding: 'utf8', timeout: 20_000 });

describe('web console command line', () => {
  it.each([['0'], ['65'], ['four'], ['2.5']])('exits with code 2 for --demo-cameras %s, naming it', (value) => {
    const run = cli('--demo', '--demo-cameras', value, '--port', '0');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`--demo-cameras must be a whole number from 1 to 64, not "${value}"\n`);
  });
});
