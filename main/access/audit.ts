/**
 * The audit trail (runtime: Node): every state-changing command and every refusal, one JSON line each,
 * appended to `audit.jsonl`. Each line carries the SHA-256 of the line before it (`prev`), so an edited,
 * removed or inserted line breaks the chain from there on. The file is rotated by size to
 * `audit.1.jsonl`, `audit.2.jsonl`… (`keep` of them); the chain runs on across a rotation.
 */
import { appendFileSync, existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { AuditEntry, type AuditFilter } from '../../preload/contract.js';

const GENESIS = '0'.repeat(64);
const Line = AuditEntry.extend({ prev: z.string().regex(/^[0-9a-f]{64}$/) });

export interface AuditOptions {
  dir: string;
  maxBytes?: number;
  keep?: number;
  now?: () => number;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The first line of `lines` (oldest first) whose `prev` is not the hash of the line before it, or -1. */
export function firstBrokenLine(lines: string[], prevOfFirst: string | null = null): number {
  let prev = prevOfFirst;
  for (let i = 0; i < lines.length; i++) {
    let parsed: z.infer<typeof Line>;
    try {
      parsed = Line.parse(JSON.parse(lines[i]!));
    } catch {
      return i;
    }
    if (prev !== null && parsed.prev !== prev) return i;
    prev = sha256(lines[i]!);
  }
  return -1;
}

export class AuditLog {
  private readonly file: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly now: () => number;
  private prev: string;
  private seq: number;

  constructor(o: AuditOptions) {
    this.file = join(o.dir, 'audit.jsonl');
    this.maxBytes = o.maxBytes ?? 5 * 1024 * 1024;
    this.keep = o.keep ?? 5;
    this.now = o.now ?? Date.now;
    const current = this.lines(this.file);
    const last = current.at(-1) ?? this.lines(this.rotated(1)).at(-1);
    this.prev = last ? sha256(last) : GENESIS;
    let seq = 0;
    try {
      if (last) seq = (JSON.parse(last) as { seq: number }).seq + 1;
    } catch {
      // An unreadable last line still chains (by its hash); numbering goes on from the line count.
      seq = current.length;
    }
    this.seq = seq;
  }

  private rotated(n: number): string {
    return this.file.replace(/\.jsonl$/, `.${n}.jsonl`);
  }

  private lines(file: string): string[] {
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  }

  append(entry: Omit<AuditEntry, 'seq' | 'at'>): AuditEntry {
    const full: AuditEntry = { seq: this.seq++, at: this.now(), ...entry, summary: entry.summary.slice(0, 300) };
    const line = JSON.stringify({ ...full, prev: this.prev });
    if (existsSync(this.file) && statSync(this.file).size + line.length + 1 > this.maxBytes) this.rotate();
    appendFileSync(this.file, line + '\n', { mode: 0o600 });
    this.prev = sha256(line);
    return full;
  }

  private rotate(): void {
    for (let n = this.keep - 1; n >= 1; n--) if (existsSync(this.rotated(n))) renameSync(this.rotated(n), this.rotated(n + 1));
    renameSync(this.file, this.rotated(1));
  }

  /**
   * Entries with seq > after that match the filter, oldest first, at most `limit` (the newest ones
   * when more match); and whether the chain holds over the whole trail, not only what matched.
   */
  list(after: number | undefined, limit: number, filter: AuditFilter = {}): { entries: AuditEntry[]; intact: boolean } {
    const { entries, intact } = this.read(filter);
    return { entries: entries.filter((e) => after === undefined || e.seq > after).slice(-limit), intact };
  }

  /**
   * The matching entries as CSV for a spreadsheet, oldest first, with a header row. Cells that a
   * spreadsheet would run as a formula (a camera name can start with "=") are escaped with a quote.
   */
  csv(filter: AuditFilter = {}): { csv: string; rows: number; intact: boolean } {
    const { entries, intact } = this.read(filter);
    const rows = entries.map((e) => [e.seq, new Date(e.at).toISOString(), e.desk, e.role, e.session, e.command, e.ok ? 'ok' : 'refused', e.summary]);
    const csv = stringify([['seq', 'time', 'desk', 'role', 'session', 'command', 'result', 'summary'], ...rows], { escape_formulas: true });
    return { csv, rows: rows.length, intact };
  }

  private read(filter: AuditFilter): { entries: AuditEntry[]; intact: boolean } {
    const files = [...Array.from({ length: this.keep }, (_, i) => this.rotated(this.keep - i)), this.file];
    const lines = files.flatMap((f) => this.lines(f));
    const intact = firstBrokenLine(lines) === -1;
    const command = filter.command?.trim().toLowerCase();
    const entries: AuditEntry[] = [];
    for (const l of lines) {
      const parsed = Line.safeParse(safeJson(l));
      if (!parsed.success) continue;
      const { prev: _prev, ...e } = parsed.data;
      if (filter.desk !== undefined && e.desk !== filter.desk) continue;
      if (filter.role !== undefined && e.role !== filter.role) continue;
      // "presets" matches every presets.* command; "presets.load" only that one.
      if (command && e.command !== command && !e.command.startsWith(`${command}.`)) continue;
      entries.push(e);
    }
    return { entries, intact };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
