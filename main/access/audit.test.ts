import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog, firstBrokenLine } from './audit.js';

const entry = (command: string, ok = true) => ({ session: 's-1', role: 'operator' as const, desk: 'meja-1', command, ok, summary: '{}' });

describe('audit trail', () => {
  it('appends numbered lines, each carrying the hash of the one before, and goes on after a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-audit-'));
    const log = new AuditLog({ dir, now: () => 42 });
    log.append(entry('wall.assign'));
    log.append(entry('presets.save', false));
    const again = new AuditLog({ dir });
    again.append(entry('wall.show'));
    const { entries, intact } = again.list(undefined, 100);
    expect(intact).toBe(true);
    expect(entries.map((e) => [e.seq, e.command, e.ok])).toEqual([
      [0, 'wall.assign', true],
      [1, 'presets.save', false],
      [2, 'wall.show', true],
    ]);
    expect(again.list(0, 1).entries.map((e) => e.seq)).toEqual([2]);
  });

  it('shows an edited, removed or inserted line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-audit-'));
    const log = new AuditLog({ dir });
    for (const c of ['a', 'b', 'c', 'd']) log.append(entry(c));
    const file = join(dir, 'audit.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(firstBrokenLine(lines)).toBe(-1);
    expect(firstBrokenLine(lines.map((l, i) => (i === 1 ? l.replace('"ok":true', '"ok":false') : l)))).toBe(2);
    expect(firstBrokenLine(lines.filter((_, i) => i !== 1))).toBe(1);
    expect(firstBrokenLine([lines[0]!, lines[0]!, ...lines.slice(1)])).toBe(1);
    writeFileSync(file, lines.map((l, i) => (i === 2 ? l.replace('meja-1', 'meja-9') : l)).join('\n') + '\n');
    expect(new AuditLog({ dir }).list(undefined, 10).intact).toBe(false);
  });

  it('rotates by size, keeps the chain across files and drops the oldest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-audit-'));
    const log = new AuditLog({ dir, maxBytes: 600, keep: 2 });
    for (let i = 0; i < 20; i++) log.append(entry(`cmd.${i}`));
    expect(existsSync(join(dir, 'audit.1.jsonl'))).toBe(true);
    expect(existsSync(join(dir, 'audit.2.jsonl'))).toBe(true);
    expect(existsSync(join(dir, 'audit.3.jsonl'))).toBe(false);
    const { entries, intact } = log.list(undefined, 100);
    expect(intact).toBe(true);
    expect(entries.at(-1)!.command).toBe('cmd.19');
    expect(entries.length).toBeLessThan(20);
    const seqs = entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });
});
