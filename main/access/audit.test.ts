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

  it('filters by desk, role and command (a family by its prefix), and keeps telling whether the whole chain holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-audit-'));
    const log = new AuditLog({ dir });
    log.append({ ...entry('presets.save'), role: 'supervisor', desk: 'meja-2' });
    log.append(entry('presets.saveAll'));
    log.append(entry('wall.show'));
    log.append({ ...entry('presets.delete', false), desk: 'meja-2' });
    const commands = (f: Parameters<AuditLog['list']>[2]) => log.list(undefined, 100, f).entries.map((e) => e.command);
    expect(commands({ desk: 'meja-2' })).toEqual(['presets.save', 'presets.delete']);
    expect(commands({ role: 'supervisor' })).toEqual(['presets.save']);
    // "presets" is the family; "presets.save" is that command only, not presets.saveAll.
    expect(commands({ command: 'presets' })).toEqual(['presets.save', 'presets.saveAll', 'presets.delete']);
    expect(commands({ command: 'presets.save' })).toEqual(['presets.save']);
    expect(commands({ desk: 'meja-2', command: 'presets', role: 'operator' })).toEqual(['presets.delete']);
    expect(log.list(undefined, 100, { desk: 'nobody' })).toEqual({ entries: [], intact: true });
  });

  it('exports CSV with a header, quoted cells, and formulas a spreadsheet would run escaped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-audit-'));
    const log = new AuditLog({ dir, now: () => Date.UTC(2026, 11, 2, 9, 30) });
    log.append({ ...entry('presets.save'), summary: '{"name":"Malam, \\"Banjir\\""}' });
    log.append({ ...entry('wall.assign', false), summary: '=HYPERLINK("http://evil.example")' });
    const { csv, rows, intact } = log.csv({});
    expect([rows, intact]).toEqual([2, true]);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('seq,time,desk,role,session,command,result,summary');
    expect(lines[1]).toBe('0,2026-12-02T09:30:00.000Z,meja-1,operator,s-1,presets.save,ok,"{""name"":""Malam, \\""Banjir\\""""}"');
    expect(lines[2]).toBe(`1,2026-12-02T09:30:00.000Z,meja-1,operator,s-1,wall.assign,refused,"'=HYPERLINK(""http://evil.example"")"`);
    expect(log.csv({ command: 'wall' }).rows).toBe(1);
  });
});
