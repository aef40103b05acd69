import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JsonStore } from './json-store.js';

const Schema = z.object({ language: z.enum(['id', 'en']), count: z.number() });
const defaults = { language: 'id' as const, count: 0 };

describe('JSON store', () => {
  it('persists values across instances', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-store-'));
    new JsonStore(dir, 'settings', Schema, defaults).set('language', 'en');
    expect(new JsonStore(dir, 'settings', Schema, defaults).get('language')).toBe('en');
  });

  it('moves a corrupt file aside, reports it and restores the last good backup', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-store-'));
    const a = new JsonStore(dir, 'settings', Schema, defaults);
    a.set('count', 1);
    a.set('count', 2); // the backup now holds count 1, the file count 2
    writeFileSync(a.file, '{"language": "id", "count": 2');
    const b = new JsonStore(dir, 'settings', Schema, defaults);
    expect(b.problems).toHaveLength(1);
    expect(b.problems[0]!.message).toMatch(/JSON|Expected|Unexpected/);
    expect(b.problems[0]!.restored).toBe(true);
    const moved = readdirSync(dir).filter((f) => f.includes('.corrupt-'));
    expect(moved).toHaveLength(1);
    expect(readFileSync(join(dir, moved[0]!), 'utf8')).toBe('{"language": "id", "count": 2'); // nothing lost
    expect(b.get('count')).toBe(1);
  });

  it('treats a file that fails its schema as corrupt too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-store-'));
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ language: 'klingon', count: 'x' }));
    const s = new JsonStore(dir, 'settings', Schema, defaults);
    expect(s.problems[0]!.message).toContain('language');
    expect(s.problems[0]!.restored).toBe(false); // no backup yet: defaults
    expect(s.get('language')).toBe('id');
    expect(readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toHaveLength(1);
    // The fresh file holds valid defaults, not the bad values.
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ ...defaults, schemaVersion: 1 });
  });
});

describe('JSON store versions', () => {
  const V2 = z.object({ language: z.enum(['id', 'en']), count: z.number(), unit: z.string() });
  const versioning = {
    version: 2,
    migrations: {
      1: (v0: Record<string, unknown>) => ({ count: 0, ...v0 }),
      2: (v1: Record<string, unknown>) => ({ ...v1, unit: 'tile' }),
    },
  };
  const defaults2 = { language: 'id' as const, count: 0, unit: 'tile' };

  it('brings a file of every earlier version up to date, one step at a time, and keeps the original', () => {
    for (const [older, expected] of [
      [{ language: 'en' }, { language: 'en', count: 0, unit: 'tile' }], // version 0: before versions
      [
        { schemaVersion: 1, language: 'en', count: 7 },
        { language: 'en', count: 7, unit: 'tile' },
      ],
    ] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'pantau-store-'));
      writeFileSync(join(dir, 'settings.json'), JSON.stringify(older));
      const s = new JsonStore(dir, 'settings', V2, defaults2, undefined, versioning);
      expect(s.problems).toEqual([]);
      expect({ language: s.get('language'), count: s.get('count'), unit: s.get('unit') }).toEqual(expected);
      expect(JSON.parse(readFileSync(s.file, 'utf8'))).toMatchObject({ ...expected, schemaVersion: 2 });
      const kept = readdirSync(dir).filter((f) => /\.v\d\.bak$/.test(f));
      expect(kept).toEqual([`settings.json.v${'schemaVersion' in older ? older.schemaVersion : 0}.bak`]);
    }
  });

  it('moves aside a file a newer Pantau wrote, and says so, rather than reading it wrongly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-store-'));
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 3, language: 'en', count: 1, unit: 'x', more: true }));
    const s = new JsonStore(dir, 'settings', V2, defaults2, undefined, versioning);
    expect(s.problems[0]!.message).toMatch(/newer Pantau \(schema version 3; this one reads up to 2\)/);
    expect(s.get('language')).toBe('id');
    expect(readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toHaveLength(1);
  });

  it('reports an empty file, a truncated one and wrong types, and restores the backup each time', () => {
    for (const broken of ['', '{"language": "en", "cou', '{"language": 5, "count": "many"}', '[]']) {
      const dir = mkdtempSync(join(tmpdir(), 'pantau-store-'));
      const a = new JsonStore(dir, 'settings', Schema, defaults);
      a.set('count', 4);
      a.set('count', 5);
      writeFileSync(a.file, broken);
      const b = new JsonStore(dir, 'settings', Schema, defaults);
      expect(b.problems, JSON.stringify(broken)).toHaveLength(1);
      expect(b.get('count')).toBe(4);
      expect(b.version).toBe(1);
    }
  });
});
