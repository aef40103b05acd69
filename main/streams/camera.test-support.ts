/**
 * For gateway tests and benchmarks: a catalog camera in Miroto (Semarang Tengah, real codes) that
 * reads `main`, and `sub` when given; RT `number` of RW 1.
 */
import type { Camera } from '../catalog/camera.js';

export function testCamera(id: string, number: number, main: string, sub: string | null = null): Camera {
  return {
    id,
    number,
    name: id,
    type: 'rt',
    kecamatanCode: '33.74.01',
    kecamatanName: 'Semarang Tengah',
    kelurahanCode: '33.74.01.1001',
    kelurahanName: 'Miroto',
    rw: 1,
    rt: number,
    hasSub: sub !== null,
    streams: { main, sub },
  };
}
