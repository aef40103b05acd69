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
    expect(s.get('language')).toBe('id');
    expect(readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toHaveLength(1);
    // The fresh file holds valid defaults, not the bad values.
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual(defaults);
  });
});
