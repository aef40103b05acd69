/** Describes the machine a benchmark ran on, so figures travel with their context. */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem, release } from 'node:os';
import { CHROMIUM_PATH } from '../../e2e/support/chromium';

function version(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0]!.trim();
  } catch {
    return 'unknown';
  }
}

export function machine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    ffmpeg: version('ffmpeg', ['-version']),
    // The Chromium the benchmarks drive (CHROMIUM_PATH when set).
    chromium: version(CHROMIUM_PATH, ['--version']),
    gpu: 'none (software decode)',
  };
}
