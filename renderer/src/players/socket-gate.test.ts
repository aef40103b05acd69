import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gateState, MAX_PENDING, openGated } from './socket-gate';

/** A WebSocket that connects only when the test says so. */
class FakeSocket extends EventTarget {
  static made: FakeSocket[] = [];
  constructor(readonly url: string) {
    super();
    FakeSocket.made.push(this);
  }
  open() {
    this.dispatchEvent(new Event('open'));
  }
  onmessage: unknown = null;
  onclose: unknown = null;
  closed = false;
  close() {
    this.closed = true;
  }
  fail() {
    this.dispatchEvent(new Event('error'));
    this.dispatchEvent(new Event('close'));
  }
}

const real = globalThis.WebSocket;
beforeEach(() => {
  FakeSocket.made = [];
  (globalThis as { WebSocket: unknown }).WebSocket = FakeSocket;
});
afterEach(() => {
  (globalThis as { WebSocket: unknown }).WebSocket = real;
});

describe('socket gate (Chromium delays a renderer\'s new WebSockets exponentially in the handshakes pending)', () => {
  it(`opens at most ${MAX_PENDING} at once and the next as each handshake ends, in order`, () => {
    const got: string[] = [];
    for (let i = 0; i < 10; i++) openGated(`ws://127.0.0.1/live/${i}`, (ws) => got.push(ws.url));
    expect(got).toEqual(['0', '1', '2', '3'].map((i) => `ws://127.0.0.1/live/${i}`));
    expect(gateState()).toEqual({ pending: 4, waiting: 6 });
    FakeSocket.made[0]!.open();
    FakeSocket.made[1]!.fail(); // a failed handshake frees its place too, once
    expect(got.map((u) => u.split('/').pop())).toEqual(['0', '1', '2', '3', '4', '5']);
    for (const s of [...FakeSocket.made]) s.open();
    for (const s of [...FakeSocket.made]) s.open();
    for (const s of [...FakeSocket.made]) s.open();
    expect(got).toHaveLength(10);
    expect(gateState()).toEqual({ pending: 0, waiting: 0 });
  });

  it('never opens a socket whose feed closed while it waited', () => {
    const gates = Array.from({ length: 6 }, (_, i) => openGated(`ws://127.0.0.1/live/${i}`, () => undefined));
    gates[5]!.close();
    expect(gates[5]!.socket).toBeNull();
    for (const s of [...FakeSocket.made]) s.open();
    for (const s of [...FakeSocket.made]) s.open();
    expect(FakeSocket.made.map((s) => s.url.split('/').pop())).toEqual(['0', '1', '2', '3', '4']);
    // Closing one that exists closes the socket, with its handlers dropped first.
    FakeSocket.made[0]!.onclose = () => undefined;
    gates[0]!.close();
    expect(FakeSocket.made[0]).toMatchObject({ closed: true, onclose: null });
    expect(gateState()).toEqual({ pending: 0, waiting: 0 });
  });
});
