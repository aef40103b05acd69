/** CPU time of processes from /proc, as a percentage of one core over an interval. */
import { readFileSync, readdirSync } from 'node:fs';

const TICKS = 100; // USER_HZ on Linux

/** CPU ticks so far (utime + stime) from a /proc stat file, a process's or a thread's; null once it has ended. */
function statTicks(file: string): number | null {
  try {
    const stat = readFileSync(file, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return null;
  }
}

const ticks = (pid: number) => statTicks(`/proc/${pid}/stat`);

/** Every descendant of `root`, found through /proc/<pid>/stat parent links. */
export function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* exited */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parent)
      if (pp === p) {
        out.push(c);
        walk(c);
      }
  };
  walk(root);
  return out;
}

/** The bench's Chromium processes (its browser is this process's child, as are the console's ffmpegs: picked by name). */
export function chromiumPids(): number[] {
  return descendants(process.pid).filter((p) => /chrom|headless/i.test(comm(p)));
}

export async function cpuPercent(pids: () => number[], ms: number): Promise<number> {
  return (await cpuByGroup({ all: pids }, ms)).all!;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** CPU % of one core for several groups of processes over the same interval (pids read at the start), unrounded. */
export async function cpuByGroup(groups: Record<string, () => number[]>, ms: number): Promise<Record<string, number>> {
  // Each process counts for what it used while it ran in the interval: one that exited in it can't
  // be read at the end and is left out (it used to count as 0 - its start: the negative ingest CPU
  // of wall-trace's first runs).
  const before = Object.entries(groups).map(([k, f]) => [k, f().map((p) => [p, ticks(p)] as const)] as const);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const secs = (performance.now() - t0) / 1000;
  return Object.fromEntries(
    before.map(([k, ps]) => {
      let used = 0;
      for (const [p, t] of ps) {
        const now = ticks(p);
        if (t !== null && now !== null) used += now - t;
      }
      return [k, (used / TICKS / secs) * 100];
    }),
  );
}

/** The short command name of a process ('' once it has exited). */
export function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The full command line of a process, arguments NUL-separated ('' once it has exited). */
export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** The whole machine's CPU over an interval, from /proc/stat: busy and steal (time the hypervisor
 * gave to other guests), as percentages of all cores' time. Steal says whether a slow run was this
 * machine's neighbours rather than the code. */
export function machineTicks(): { total: number; busy: number; steal: number } {
  // user nice system idle iowait irq softirq steal ...
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const at = (i: number) => f[i] ?? 0;
  return { total: f.reduce((a, b) => a + b, 0), busy: at(0) + at(1) + at(2) + at(5) + at(6), steal: at(7) };
}
export function machineShare(before: ReturnType<typeof machineTicks>, after: ReturnType<typeof machineTicks>): { busy: number; steal: number } {
  const t = after.total - before.total || 1;
  return { busy: ((after.busy - before.busy) / t) * 100, steal: ((after.steal - before.steal) / t) * 100 };
}

/** Each thread of `pid` and its CPU ticks so far, keyed by thread name (/proc/<pid>/task/<tid>/comm). */
function threadTicks(pid: number): Map<number, { name: string; ticks: number }> {
  const out = new Map<number, { name: string; ticks: number }>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    const t = statTicks(`/proc/${pid}/task/${tid}/stat`);
    try {
      if (t !== null) out.set(Number(tid), { name: readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim(), ticks: t });
    } catch {
      /* the thread ended */
    }
  }
  return out;
}

/**
 * Where Chromium's CPU goes, by process type and thread, as % of one core over `ms`: e.g.
 * "renderer: DedicatedWorker" (the media worker: demuxing and drawing), "renderer: ThreadPoolForeg"
 * (WebCodecs' software decoders run in the renderer's thread pool), "renderer: Compositor",
 * "renderer: CrRendererMain" (the page's main thread), "gpu-process: VizCompositorTh" (compositing
 * the screen in software here). Threads that started during the interval count from zero. Rows under
 * `floor` % are summed into "other".
 */
export async function cpuByThread(pids: () => number[], ms: number, floor = 1): Promise<Record<string, number>> {
  const procs = pids().map((pid) => ({ pid, type: /--type=([a-z-]+)/.exec(cmdline(pid).replace(/\0/g, ' '))?.[1] ?? 'browser', before: threadTicks(pid) }));
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const secs = (performance.now() - t0) / 1000;
  const sums = new Map<string, number>();
  for (const p of procs)
    for (const [tid, t] of threadTicks(p.pid)) {
      const key = `${p.type}: ${t.name.replace(/\d+$/, '')}`;
      sums.set(key, (sums.get(key) ?? 0) + t.ticks - (p.before.get(tid)?.ticks ?? 0));
    }
  const pct = [...sums].map(([k, v]) => [k, (v / TICKS / secs) * 100] as const).sort((a, b) => b[1] - a[1]);
  const out: Record<string, number> = {};
  let other = 0;
  for (const [k, v] of pct) {
    if (v >= floor) out[k] = Math.round(v * 10) / 10;
    else other += v;
  }
  out.other = Math.round(other * 10) / 10;
  return out;
}
