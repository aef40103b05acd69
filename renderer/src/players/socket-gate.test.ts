import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDLE_KEEP_MS, MAX_PENDING, SocketGate } from './socket-gate';

let gate: SocketGate;
const openGated = (url: string, ready: (ws: WebSocket) => void) => gate.open(url, ready);
const gateState = () => gate.state;

/** A WebSocket that connects only when the test says so. */
class FakeSocket extends EventTarget {
  static readonly OPEN = 1;
  static made: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  constructor(readonly url: string) {
    super();
    FakeSocket.made.push(this);
  }
  open() {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  send(text: string) {
    this.sent.push(text);
  }
  close() {
    this.closed = true;
    this.readyState = 3;
  }
  fail() {
    this.readyState = 3;
    this.dispatchEvent(new Event('error'));
    this.dispatchEvent(new Event('close'));
    this.onclose?.();
  }
  /** A message from the gateway. */
  receive(data: unknown) {
    this.onmessage?.({ data });
  }
}

const real = globalThis.WebSocket;
beforeEach(() => {
  gate = new SocketGate();
  FakeSocket.made = [];
  (globalThis as { WebSocket: unknown }).WebSocket = FakeSocket;
});
afterEach(() => {
  (globalThis as { WebSocket: unknown }).WebSocket = real;
});

describe("socket gate (Chromium delays a renderer's new WebSockets exponentially in the handshakes pending)", () => {
  it(`opens at most ${MAX_PENDING} at once and the next as each handshake ends, in order`, () => {
    const got: string[] = [];
    for (let i = 0; i < 10; i++) openGated(`ws://127.0.0.1/live/${i}`, (ws) => got.push(ws.url));
    expect(got).toEqual(['0', '1', '2', '3'].map((i) => `ws://127.0.0.1/live/${i}`));
    expect(gateState()).toMatchObject({ pending: 4, waiting: 6 });
    FakeSocket.made[0]!.open();
    FakeSocket.made[1]!.fail(); // a failed handshake frees its place too, once
    expect(got.map((u) => u.split('/').pop())).toEqual(['0', '1', '2', '3', '4', '5']);
    for (const s of [...FakeSocket.made]) s.open();
    for (const s of [...FakeSocket.made]) s.open();
    for (const s of [...FakeSocket.made]) s.open();
    expect(got).toHaveLength(10);
    expect(gateState()).toMatchObject({ pending: 0, waiting: 0 });
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
    expect(gateState()).toMatchObject({ pending: 0, waiting: 0 });
  });
});

describe('kept stream sockets (a switch rebinds open sockets instead of 16 new handshakes)', () => {
  const token = (n: number) => String(n).padStart(48, '0');
  const live = (n: number, host = '127.0.0.1:9') => `ws://${host}/live/${token(n)}`;
  afterEach(() => vi.useRealTimers());

  it('keeps an open socket when its feed ends, and rebinds it for the next feed once the gateway says "bound"', () => {
    vi.useFakeTimers();
    const first = openGated(live(1), () => undefined);
    const ws = FakeSocket.made[0]!;
    ws.open();
    first.close();
    expect(ws.closed).toBe(false);
    expect(ws.sent).toEqual(['{"type":"unbind"}']);
    expect(gateState().idle).toBe(1);

    const got: unknown[] = [];
    const second = openGated(live(2), (s) => got.push(s));
    expect(FakeSocket.made).toHaveLength(1); // no new handshake
    expect(JSON.parse(ws.sent[1]!)).toEqual({ type: 'bind', token: token(2) });
    expect(gateState().idle).toBe(0);
    // The old stream's tail and somebody else's "bound" are not the new stream's start.
    ws.receive(new ArrayBuffer(8));
    ws.receive(JSON.stringify({ type: 'bound', token: token(1) }));
    expect(got).toEqual([]);
    ws.receive(JSON.stringify({ type: 'bound', token: token(2) }));
    expect(got).toEqual([ws]);
    expect(second.socket).toBe(ws);
    // Another gateway's URL never gets it.
    second.close();
    openGated(live(3, '127.0.0.1:10'), () => undefined);
    expect(FakeSocket.made).toHaveLength(2);
    // Kept sockets nobody takes close after a while.
    vi.advanceTimersByTime(IDLE_KEEP_MS + 1);
    expect(ws.closed).toBe(true);
    expect(gateState().idle).toBe(0);
  });

  it('closes instead of keeping a socket that never opened, or that is not a gateway stream', () => {
    const a = openGated(live(4), () => undefined);
    a.close(); // still connecting
    expect(FakeSocket.made[0]!.closed).toBe(true);
    const b = openGated('ws://127.0.0.1:9/somewhere-else', () => undefined);
    FakeSocket.made[1]!.open();
    b.close();
    expect(FakeSocket.made[1]!.closed).toBe(true);
    expect(gateState().idle).toBe(0);
  });

  it('opens a socket of its own when the kept one closes before it is rebound', () => {
    const first = openGated(live(5), () => undefined);
    FakeSocket.made[0]!.open();
    first.close();
    const got: FakeSocket[] = [];
    openGated(live(6), (s) => got.push(s as unknown as FakeSocket));
    FakeSocket.made[0]!.fail();
    expect(FakeSocket.made).toHaveLength(2);
    expect(got).toEqual([FakeSocket.made[1]]);
    expect(FakeSocket.made[1]!.url).toBe(live(6));
  });
});
