import { describe, expect, it } from 'vitest';
import { ApiError, reason, REASON_CODES } from '../../../preload/contract';
import { en, errorText, id, reasonText } from './messages';

describe('errors in the window language', () => {
  it('has Indonesian and English words for every reason code and every API error code', () => {
    for (const code of REASON_CODES) {
      expect(id[`reason.${code}`], code).toBeTruthy();
      expect(en[`reason.${code}`], code).toBeTruthy();
    }
  });

  it('fills a reason in both languages and keeps the English detail out of the Indonesian line', () => {
    expect(reasonText('id', reason('tile_unknown', { monitor: 2, tile: 40, count: 16 }))).toBe('monitor 2 punya tile 1..16, bukan 40');
    const r = reason('decoder_rejected', undefined, 'Decoding error');
    expect(reasonText('id', r)).toBe('dekoder menolak stream');
    expect(reasonText('en', r)).toBe('the decoder rejected the stream (Decoding error)');
  });

  it('says what a refused call asked for, not the English message main logged', () => {
    const err = new ApiError('not_found', 'no camera numbered 99999 in the catalog', reason('camera_number_unknown', { number: 99999 }));
    expect(errorText('id', err)).toBe('tidak ada kamera bernomor 99999');
    expect(errorText('en', err)).toBe('no camera numbered 99999');
  });

  it('gives an API error without a reason the words of its code; English adds the message', () => {
    const err = new ApiError('unavailable', 'cannot reach Pantau main');
    expect(errorText('id', err)).toBe('tidak tersedia saat ini');
    expect(errorText('en', err)).toBe('not available now: cannot reach Pantau main');
  });

  it('marks anything else as a console error and shows its text', () => {
    expect(errorText('id', new Error('boom'))).toBe('galat di konsol (boom)');
    expect(errorText('en', 'boom')).toBe('boom');
  });
});
