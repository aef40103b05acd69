/**
 * Spawning helper processes that cannot outlive Pantau (runtime: Node, Linux-first).
 *
 * Node has no prctl(PR_SET_PDEATHSIG). On Linux, util-linux's `setpriv --pdeathsig SIGKILL` sets it
 * for the child, so the kernel kills the child if main dies however it dies (SIGKILL included).
 * SIGKILL, not SIGTERM: a demo publisher (ffmpeg 5.1, two looping inputs) once hung in a futex with
 * every signal blocked, and outlived a SIGKILLed console with the SIGTERM pending (session 27, the
 * orphans test). A helper left behind by a dead console has nothing to finish cleanly.
 * Elsewhere the command runs directly; ingest ffmpegs still exit on their broken stdout pipe.
 * Always an argument array, never a shell.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const SETPRIV = '/usr/bin/setpriv';
let setprivOk: boolean | null = null;

function hasSetpriv(): boolean {
  if (setprivOk === null) {
    try {
      accessSync(SETPRIV, constants.X_OK);
      setprivOk = process.platform === 'linux';
    } catch {
      setprivOk = false;
    }
  }
  return setprivOk;
}

export function spawnTied(command: string, args: string[], options: SpawnOptions): ChildProcess {
  // setpriv execs the command in place, so the pid is the command's own pid.
  return hasSetpriv() ? spawn(SETPRIV, ['--pdeathsig', 'SIGKILL', '--', command, ...args], options) : spawn(command, args, options);
}

/** SIGTERM, then SIGKILL after 2 s; resolves once the process is gone (at once if it already is). */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 2_000);
    child.once('close', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
