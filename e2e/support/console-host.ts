/**
 * Starts the built web-mode console as a user would (`node dist/main/web/cli.js --demo`), on a free
 * port with a fresh data directory, and stops it. Waits on its printed URL, never on a sleep.
 */
import type { CommandResult } from '../../preload/contract';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** GET /api/health, as the contract types it. */
export type Health = CommandResult<'console.health'>;

export interface ConsoleHost {
  url: string;
  /** GET /api/health with the API token (a script's view of the console). */
  health(): Promise<Health>;
  /** Headers a client that is not a browser sends: the API token the console printed. */
  auth: { Authorization: string };
  pid: number;
  dataDir: string;
  log: () => string;
  stop(): Promise<void>;
}

/**
 * `nodeArgs`: flags for Node itself, before the script (the kiosk soak's `--inspect`). A spec that plays
 * few cameras passes `--demo-cameras N`: an idle demo farm of 16 cameras takes about 38 % of a core
 * here (its RTSP server 15, publishers 15, the console 8), one of 4 about 11 %, one of 1 about 5 %,
 * and on 2 cores that is taken from the browser under test.
 */
export async function startConsoleHost(extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): Promise<ConsoleHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pantau-e2e-'));
  // The simulator publishes only what a test posts to /sim/alerts: random alarms would move cameras.
  // Nor does it backfill history unless a test asks (the statistics test does).
  const demo = extraArgs.includes('--catalog')
    ? []
    : ['--demo', ...(extraArgs.includes('--sim-rate') ? [] : ['--sim-rate', '0']), ...(extraArgs.includes('--sim-backfill') ? [] : ['--sim-backfill', '0'])];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, 'dist/main/web/cli.js', ...demo, '--port', '0', ...extraArgs], {
    // Every command's result is held to its contract schema too: a handler that breaks it fails the call.
    env: { ...process.env, PANTAU_DATA_DIR: dataDir, PANTAU_CHECK_RESULTS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const { url, token } = await new Promise<{ url: string; token: string }>((resolve, reject) => {
    // A console that never says it is ready is stopped, with its demo farm: left running, it would
    // load the machine for every later test.
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`console did not start within 180 s:\n${output}`));
    }, 180_000);
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /Pantau (?:web console|kiosk): (http:\/\/127\.0\.0\.1:\d+)\/[\s\S]*API token: ([0-9a-f]{64})/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, token: m[2]! });
      }
    });
    child.on('close', (code) => reject(new Error(`console exited (${code}):\n${output}`)));
  });
  const auth = { Authorization: `Bearer ${token}` };
  return {
    url,
    auth,
    health: async () => {
      const res = await fetch(`${url}/api/health`, { headers: auth });
      if (!res.ok) throw new Error(`GET /api/health: HTTP ${res.status}`);
      return (await res.json()) as Health;
    },
    pid: child.pid!,
    dataDir,
    log: () => output,
    // The console bounds its own shutdown (15 s); past 20 s it is killed, and the run says so.
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const hard = setTimeout(() => {
          process.stderr.write(`console host ${child.pid} did not stop within 20 s; killed. Its log ends:\n${output.slice(-2000)}\n`);
          child.kill('SIGKILL');
        }, 20_000);
        child.once('close', (code) => {
          clearTimeout(hard);
          if (code !== 0) process.stderr.write(`console host ${child.pid} stopped with code ${code}:\n${output.slice(-2000)}\n`);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
