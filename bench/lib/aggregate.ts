/**
 * Folds the figures of several runs of one benchmark into one result (runtime: Node, pure): every
 * number becomes its median with the min-max over the runs that produced it; a yes/no becomes how
 * many runs said yes; text is kept when the runs agree. Goals are judged on the medians.
 */

export type Figures = Record<string, unknown>;

export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Runs that gave this figure. */
  n: number;
}

/** A goal on one figure, by its path (`'cold.p50'`), judged on the median of the runs. */
export interface Goal {
  label: string;
  figure: string;
  atMost?: number;
  atLeast?: number;
}

export interface RunOutcome {
  figures: Figures | null;
  /** Why a run gave no figures (it crashed or timed out). */
  error?: string;
  notes?: string[];
  goals?: Goal[];
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The median rounded as the runs' own figures were (whole numbers stay whole). */
function spread(xs: number[]): Spread {
  const whole = xs.every((x) => Number.isInteger(x));
  const m = median(xs);
  return { median: whole ? Math.round(m) : Math.round(m * 1000) / 1000, min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}

function fold(values: unknown[]): unknown {
  const present = values.filter((v) => v !== undefined && v !== null);
  if (!present.length) return null;
  if (present.every((v) => typeof v === 'number' && Number.isFinite(v))) return spread(present as number[]);
  if (present.every((v) => typeof v === 'boolean')) return `${present.filter(Boolean).length} of ${present.length} runs`;
  if (present.every((v) => typeof v === 'object' && !Array.isArray(v))) {
    const keys = [...new Set(present.flatMap((v) => Object.keys(v)))];
    return Object.fromEntries(keys.map((k) => [k, fold(present.map((v) => (v as Record<string, unknown>)[k]))]));
  }
  const texts = present.map((v) => JSON.stringify(v));
  return texts.every((t) => t === texts[0]) ? present[0] : present;
}

/** The value at a dotted path of folded figures: a Spread's median, or a number. */
function valueAt(figures: Figures, path: string): number | null {
  let at: unknown = figures;
  for (const part of splitPath(figures, path)) at = (at as Record<string, unknown> | null)?.[part];
  if (typeof at === 'number') return at;
  if (at && typeof at === 'object' && typeof (at as Spread).median === 'number') return (at as Spread).median;
  return null;
}

/** Figure names hold dots and spaces; a path is a figure name, then '.'-separated keys inside it. */
function splitPath(figures: Figures, path: string): string[] {
  const name = Object.keys(figures)
    .filter((k) => path === k || path.startsWith(`${k}.`))
    .sort((a, b) => b.length - a.length)[0];
  if (name === undefined) return path.split('.');
  const rest = path.slice(name.length + 1);
  return [name, ...(rest ? rest.split('.') : [])];
}

export interface Aggregate {
  runs: number;
  failedRuns: number;
  failures: string[];
  figures: Figures;
  goals: { label: string; figure: string; median: number | null; met: boolean }[];
  notes: string[];
}

export function aggregate(outcomes: RunOutcome[]): Aggregate {
  const ok = outcomes.filter((o) => o.figures !== null);
  const keys = [...new Set(ok.flatMap((o) => Object.keys(o.figures!)))];
  const figures = Object.fromEntries(keys.map((k) => [k, fold(ok.map((o) => o.figures![k]))]));
  const goals = (ok.at(-1)?.goals ?? []).map((g) => {
    const m = valueAt(figures, g.figure);
    const met = m !== null && (g.atMost === undefined || m <= g.atMost) && (g.atLeast === undefined || m >= g.atLeast);
    return { label: g.label, figure: g.figure, median: m, met };
  });
  return {
    runs: outcomes.length,
    failedRuns: outcomes.length - ok.length,
    failures: outcomes.filter((o) => o.figures === null).map((o) => o.error ?? 'no figures'),
    figures,
    goals,
    notes: ok.at(-1)?.notes ?? [],
  };
}
