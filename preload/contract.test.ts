import { describe, expect, it } from 'vitest';
import { ApiError, commands, events, parseArgs, parseResult } from './contract';
import { LAYOUTS, tileCount } from './layouts';

describe('contract', () => {
  it('parses valid arguments and fills defaults', () => {
    expect(parseArgs('catalog.search', { query: 'miroto' })).toEqual({ query: 'miroto', limit: 50 });
    expect(parseArgs('wall.get', undefined)).toEqual({});
  });

  it('rejects malformed arguments with a typed error naming the field', () => {
    const attempt = (cmd: Parameters<typeof parseArgs>[0], args: unknown) => {
      try {
        parseArgs(cmd, args);
        return null;
      } catch (e) {
        return e as ApiError;
      }
    };
    const e = attempt('wall.assign', { monitor: 0, tile: 1, cameraId: 'x' });
    expect(e).toBeInstanceOf(ApiError);
    expect(e!.code).toBe('bad_request');
    expect(e!.message).toContain('monitor');
    expect(attempt('wall.assign', { monitor: 1, tile: 1, cameraId: '../../etc' })!.message).toContain('cameraId');
    expect(attempt('wall.get', { extra: 1 })!.code).toBe('bad_request');
    expect(attempt('catalog.search', 'nope')!.code).toBe('bad_request');
  });

  it('refuses malformed results on the receiving side', () => {
    expect(() => parseResult('settings.get', { language: 'fr' })).toThrow(ApiError);
  });

  it('has a schema for every command and event', () => {
    for (const c of Object.values(commands)) {
      expect(c.args).toBeDefined();
      expect(c.result).toBeDefined();
    }
    expect(Object.keys(events)).toContain('wall.changed');
  });
});

describe('layouts', () => {
  it.each([
    ['1x1', 1],
    ['2x2', 4],
    ['3x3', 9],
    ['4x4', 16],
    ['5x5', 25],
    ['6x6', 36],
    ['7x7', 49],
    ['8x8', 64],
    ['1+5', 6],
    ['1+7', 8],
    ['1+12', 13],
    ['2+8', 10],
  ] as const)('%s has %i tiles that cover the grid exactly once', (id, n) => {
    const l = LAYOUTS[id];
    expect(tileCount(id)).toBe(n);
    const cells = new Map<string, number>();
    for (const t of l.tiles) for (let x = t.x; x < t.x + t.w; x++) for (let y = t.y; y < t.y + t.h; y++) cells.set(`${x},${y}`, (cells.get(`${x},${y}`) ?? 0) + 1);
    expect(cells.size).toBe(l.cols * l.rows);
    expect([...cells.values()].every((c) => c === 1)).toBe(true);
  });
});
