import { describe, expect, it, vi } from 'vitest';
import type { AlertConfig, AlertView, Severity } from '../../preload/contract.js';
import { AlarmDesk, matches } from './alarms.js';
import { SseParser } from './sse.js';

const config: AlertConfig = { overlaySeconds: 10, muted: false, rules: [{ types: [], severities: ['critical', 'warning'], districts: [] }], alarmTile: { monitor: 1, tile: 1 }, popSeconds: 30 };

function alert(id: string, cameraId: string, severity: Severity, t: number, extra: Partial<AlertView> = {}): AlertView {
  return {
    id,
    cameraId,
    type: 'crime',
    severity,
    time: new Date(t).toISOString(),
    message: '',
    count: null,
    boxes: [],
    receivedAt: t,
    cameraNumber: 1,
    cameraName: cameraId,
    kecamatanCode: '33.74.01',
    kecamatanName: 'Semarang Tengah',
    ack: null,
    ...extra,
  };
}

function desk(cfg = config) {
  const tiles = new Map<string, string | null>([
    ['1:1', 'home'],
    ['1:2', 'b'],
  ]);
  const changes: unknown[] = [];
  const d = new AlarmDesk({
    wall: { cameraAt: (m, t) => tiles.get(`${m}:${t}`), assign: (m, t, c) => void tiles.set(`${m}:${t}`, c) },
    config: () => cfg,
    kelurahanOf: () => '33.74.01.1001',
    onChange: (s) => changes.push(s),
  });
  return { d, tiles, changes };
}

describe('alarm rules', () => {
  it('match by type, severity and district (kecamatan or kelurahan)', () => {
    const a = alert('a', 'c', 'critical', 0);
    expect(matches({ types: ['crime'], severities: [], districts: [] }, a, null)).toBe(true);
    expect(matches({ types: ['crowd'], severities: [], districts: [] }, a, null)).toBe(false);
    expect(matches({ types: [], severities: ['info'], districts: [] }, a, null)).toBe(false);
    expect(matches({ types: [], severities: [], districts: ['kec:33.74.01'] }, a, null)).toBe(true);
    expect(matches({ types: [], severities: [], districts: ['kec:33.74.02'] }, a, null)).toBe(false);
    expect(matches({ types: [], severities: [], districts: ['kel:33.74.01.1001'] }, a, '33.74.01.1001')).toBe(true);
  });
});

describe('alarm desk', () => {
  it('pops, queues by severity then time, and gives the tile back after the last ack', () => {
    const { d, tiles } = desk();
    expect(d.consider(alert('i', 'x', 'info', 1))).toBe(false); // no rule for info
    d.consider(alert('w1', 'cam-w1', 'warning', 1));
    expect(tiles.get('1:1')).toBe('cam-w1');
    d.consider(alert('w2', 'cam-w2', 'warning', 2));
    d.consider(alert('w0', 'cam-w0', 'warning', 0)); // older: ahead of w2
    expect(d.state().queued.map((q) => q.alertId)).toEqual(['w0', 'w2']);
    // A critical takes the tile from a warning; the warning goes back in the queue.
    d.consider(alert('c', 'cam-c', 'critical', 5));
    expect(tiles.get('1:1')).toBe('cam-c');
    expect(d.state().queued.map((q) => q.alertId)).toEqual(['w0', 'w1', 'w2']);
    d.acked('c');
    expect(tiles.get('1:1')).toBe('cam-w0');
    d.acked('w2'); // a queued one acknowledged leaves the queue
    expect(d.state().queued.map((q) => q.alertId)).toEqual(['w1']);
    d.acked('w0');
    d.acked('w1');
    expect(tiles.get('1:1')).toBe('home');
    expect(d.state()).toEqual({ active: null, queued: [] });
  });

  it('joins alerts for a camera already popped instead of queueing it twice', () => {
    const { d, tiles } = desk();
    d.consider(alert('a1', 'cam', 'warning', 1));
    d.consider(alert('a2', 'cam', 'critical', 2));
    expect(d.state().queued).toEqual([]);
    expect(d.state().active).toMatchObject({ alertId: 'a1', severity: 'critical' });
    d.acked('a2');
    expect(tiles.get('1:1')).toBe('home');
  });

  it('times out, and does not overwrite what the operator put on the tile meanwhile', () => {
    vi.useFakeTimers();
    try {
      const { d, tiles } = desk();
      d.consider(alert('a', 'cam-a', 'critical', 1));
      vi.advanceTimersByTime(29_000);
      expect(tiles.get('1:1')).toBe('cam-a');
      vi.advanceTimersByTime(1_000);
      expect(tiles.get('1:1')).toBe('home');
      d.consider(alert('b', 'cam-b', 'critical', 2));
      tiles.set('1:1', 'operator-choice');
      d.acked('b');
      expect(tiles.get('1:1')).toBe('operator-choice');
    } finally {
      vi.useRealTimers();
    }
  });

  it('skips an alarm when the alarm tile does not exist', () => {
    const { d, tiles } = desk({ ...config, alarmTile: { monitor: 3, tile: 9 } });
    expect(d.consider(alert('a', 'cam-a', 'critical', 1))).toBe(true);
    expect(d.state().active).toBeNull();
    expect(tiles.get('1:1')).toBe('home');
  });
});

describe('SSE parser', () => {
  it('reads events split anywhere, with CRLF, comments and multi-line data', () => {
    const p = new SseParser();
    const text = ': hello\r\nid: c-1\r\nevent: alert\r\ndata: {"a":\r\ndata: 1}\r\n\r\nid: c-2\ndata: x\n\n';
    const out = [];
    for (const ch of text) out.push(...p.push(ch));
    expect(out).toEqual([
      { kind: 'event', event: { id: 'c-1', event: 'alert', data: '{"a":\n1}' } },
      { kind: 'event', event: { id: 'c-2', event: 'message', data: 'x' } },
    ]);
    expect(p.lastEventId).toBe('c-2');
  });

  it('reports an oversized event and goes on with the next', () => {
    const p = new SseParser(100);
    const out = p.push(`id: big\ndata: ${'z'.repeat(500)}\n\nid: ok\ndata: small\n\n`);
    expect(out[0]).toMatchObject({ kind: 'oversized', id: 'big' });
    expect(out[1]).toEqual({ kind: 'event', event: { id: 'ok', event: 'message', data: 'small' } });
    // An endless line without a newline can't grow the buffer past the limit either.
    expect(p.push('data: ' + 'q'.repeat(1000))).toEqual([]);
    expect(p.push('\n\n')[0]).toMatchObject({ kind: 'oversized' });
  });
});
