import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../../preload/contract';
import { AlertStore } from './store';

const alert = (n: number, cameraId = `cam-${n % 7}`) => ({ id: `a${n}`, cameraId, type: 'crowd', severity: 'info', receivedAt: 1_000 + n, time: '', message: '', boxes: [] }) as unknown as AlertView;

describe('the renderer alert store', () => {
  it('keeps the newest 2,000 alerts, newest first, and tells only the cameras concerned', () => {
    const store = new AlertStore();
    let cam0 = 0;
    let cam1 = 0;
    store.subscribeCamera('cam-0', () => cam0++);
    store.subscribeCamera('cam-1', () => cam1++);
    for (let n = 0; n < 2_100; n += 100) store.apply(Array.from({ length: 100 }, (_, k) => alert(n + k)));
    const list = store.list();
    expect(list).toHaveLength(2_000);
    expect(list[0]!.id).toBe('a2099');
    expect(list.at(-1)!.id).toBe('a100'); // the oldest hundred are gone
    expect(cam0).toBe(21); // once per batch that had one of its alerts
    store.apply([alert(5_000, 'cam-0')]);
    expect([cam0, cam1]).toEqual([22, 21]);
    // An update of a kept alert keeps the count and its camera's list length.
    store.apply([{ ...alert(2_099), severity: 'critical' }]);
    expect(store.list()).toHaveLength(2_000);
    expect(store.list().find((a) => a.id === 'a2099')!.severity).toBe('critical');
  });

  it('forgets an evicted alert on its camera too, so alerts from ever more cameras stay bounded', () => {
    const store = new AlertStore();
    let told = 0;
    store.subscribeCamera('cam-0', () => told++);
    store.apply([alert(0, 'cam-0')]);
    expect(store.forCamera('cam-0')).toHaveLength(1);
    // 10,000 alerts from 10,000 other cameras, as a city's backend sends them.
    for (let n = 1; n <= 10_000; n += 500) store.apply(Array.from({ length: 500 }, (_, k) => alert(n + k, `other-${n + k}`)));
    expect(store.list()).toHaveLength(2_000);
    expect(store.camerasWithAlerts).toBe(2_000);
    expect(store.forCamera('cam-0')).toEqual([]); // its overlay goes, and its tile hears of it
    expect(told).toBe(2);
    expect(store.forCamera('other-10000')).toHaveLength(1);
    expect(store.forCamera('other-1')).toEqual([]);
  });
});
