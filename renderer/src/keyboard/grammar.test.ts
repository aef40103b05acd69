import { describe, expect, it } from 'vitest';
import { initialKeys, press, type KeyAction, type KeyContext, type KeyState } from './grammar';

const ctx: KeyContext = {
  monitors: [1, 2],
  tilesOf: (m) => (m === 1 ? 4 : 16),
  colsOf: (m) => (m === 1 ? 2 : 4),
  enlarged: (m) => (m === 2 ? 3 : null),
};

/** Types a sequence of keys; returns the final state and every action and error on the way. */
function type(keys: string[], start: KeyState = initialKeys(1)) {
  let state = start;
  const actions: KeyAction[] = [];
  const errors: string[] = [];
  for (const k of keys) {
    const r = press(state, k, ctx);
    state = r.state;
    if (r.action) actions.push(r.action);
    if (r.error) errors.push(`${r.error.code}:${r.error.value}`);
  }
  return { state, actions, errors };
}
const keys = (s: string) => s.split(' ').flatMap((w) => (/^\d+$/.test(w) ? w.split('') : [w]));

describe('CCTV keyboard grammar', () => {
  it('routes "2 MON 5 TILE 10234 CAM" to monitor 2, tile 5', () => {
    const r = type(keys('2 M 5 T 10234 C'));
    expect(r.actions).toEqual([{ kind: 'route', monitor: 2, tile: 5, number: 10234 }]);
    expect(r.state).toMatchObject({ monitor: 2, tile: 5, buffer: '' });
    expect(type(keys('2 m 5 t 10234 Enter')).actions).toEqual(r.actions); // lower case and Enter work too
  });

  it('names what does not exist and forgets the bad entry', () => {
    expect(type(keys('9 M')).errors).toEqual(['noMonitor:9']);
    expect(type(keys('5 T')).errors).toEqual(['noTile:5']); // monitor 1 has 4 tiles
    expect(type(keys('9 L')).errors).toEqual(['noLayout:9']);
    expect(type(['M']).errors).toEqual(['needNumber:M']);
    expect(type(['C']).errors).toEqual(['needNumber:C']);
    expect(type(keys('2 S')).errors).toEqual(['badDwell:2']);
    expect(type(keys('123456789')).errors).toEqual(['tooLong:12345678']);
    expect(type(keys('9 M')).state.buffer).toBe('');
  });

  it('Enter enlarges the selected tile; Esc clears the entry first, then restores the layout', () => {
    expect(type(keys('3 T Enter')).actions).toEqual([{ kind: 'enlarge', monitor: 1, tile: 3 }]);
    const typing = type(keys('2 M 12'));
    expect(type(['Escape'], typing.state).state.buffer).toBe('');
    expect(type(['Escape'], typing.state).actions).toEqual([]);
    expect(type(['Escape', 'Escape'], typing.state).actions).toEqual([{ kind: 'enlarge', monitor: 2, tile: null }]);
  });

  it('maps layouts, hotspots included, and keeps the selected tile inside the new layout', () => {
    expect(type(keys('4 L')).actions).toEqual([{ kind: 'layout', monitor: 1, layout: '4x4' }]);
    expect(type(keys('17 L')).actions[0]).toMatchObject({ layout: '1+7' });
    expect(type(keys('112 L')).actions[0]).toMatchObject({ layout: '1+12' });
    expect(type(keys('2 M 16 T 1 L')).state.tile).toBe(1);
  });

  it('has next/previous camera, history, page, sequence, clear and identify keys', () => {
    const r = type(keys('2 T N P B F PageDown PageUp S 6 S Delete I'));
    expect(r.actions.map((a) => a.kind + ('direction' in a ? `:${a.direction}` : '') + ('to' in a ? `:${a.to}` : '') + ('dwellSeconds' in a ? `:${a.dwellSeconds}` : ''))).toEqual([
      'step:next',
      'step:prev',
      'history:back',
      'history:forward',
      'page:next',
      'page:prev',
      'sequence:null',
      'sequence:6',
      'clear',
      'identify',
    ]);
    expect(r.actions.every((a) => a.kind === 'identify' || ('tile' in a ? a.tile === 2 : true))).toBe(true);
  });

  it('loads preset n with "n P"; P alone still steps to the previous camera', () => {
    expect(type(keys('3 P')).actions).toEqual([{ kind: 'preset', number: 3 }]);
    expect(type(keys('P')).actions).toEqual([{ kind: 'step', monitor: 1, tile: 1, direction: 'prev' }]);
    expect(type(keys('12 p')).state.buffer).toBe('');
  });

  it('moves the selection with arrows within the grid, and edits the entry with Backspace', () => {
    expect(type(['ArrowRight', 'ArrowDown']).state.tile).toBe(4);
    expect(type(['ArrowLeft', 'ArrowUp']).state.tile).toBe(1); // stays put at the edge
    expect(type(keys('2 M ArrowDown ArrowDown ArrowRight')).state.tile).toBe(10);
    expect(type(keys('123 Backspace')).state.buffer).toBe('12');
  });

  it('toggles help with ?, and Esc closes it before anything else', () => {
    const open = type(['?']);
    expect(open.state.help).toBe(true);
    expect(type(['Escape'], open.state).state.help).toBe(false);
    expect(type(['x', 'Tab', 'F5']).actions).toEqual([]); // unknown keys do nothing
  });
});
