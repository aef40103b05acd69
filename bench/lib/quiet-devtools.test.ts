import { describe, expect, it } from 'vitest';
import { answerHere } from './quiet-devtools';

describe('the quiet DevTools relay', () => {
  it('answers Network.enable itself, on the session it was sent on', () => {
    expect(JSON.parse(answerHere('{"id":33,"method":"Network.enable","sessionId":"2EC3"}')!)).toEqual({ id: 33, result: {}, sessionId: '2EC3' });
    expect(JSON.parse(answerHere('{"id":4,"method":"Network.enable","params":{}}')!)).toEqual({ id: 4, result: {} });
  });

  it('passes everything else through, whatever it is', () => {
    expect(answerHere('{"id":5,"method":"Runtime.evaluate","params":{"expression":"Network.enable"}}')).toBeNull();
    expect(answerHere('{"id":6,"method":"Network.disable"}')).toBeNull();
    expect(answerHere('{"method":"Network.enable"}')).toBeNull();
    expect(answerHere('not json')).toBeNull();
  });
});
