/**
 * A Server-Sent Events parser (runtime: anywhere), fed text as it arrives.
 * Follows the WHATWG event-stream rules that matter here: `id:`, `event:`, `data:` (joined by "\n"),
 * comments, CR/LF/CRLF line ends, and an event ends at a blank line. An event whose data grows past
 * `maxEventBytes` is reported as oversized and skipped, so one hostile event can't exhaust memory.
 */
export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}
export type SseItem = { kind: 'event'; event: SseEvent } | { kind: 'oversized'; id: string | null; bytes: number };

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private dataBytes = 0;
  private event = '';
  private id: string | null = null;
  private oversized = false;
  /** The last event id seen (what a reconnect sends as Last-Event-ID). */
  lastEventId: string | null = null;

  constructor(private readonly maxEventBytes = 256 * 1024) {}

  push(chunk: string): SseItem[] {
    const out: SseItem[] = [];
    this.buffer += chunk;
    let start = 0;
    const eol = /\r\n|\r|\n/g;
    for (;;) {
      eol.lastIndex = start;
      const m = eol.exec(this.buffer);
      if (!m) break;
      // A lone CR at the very end may be the first half of CRLF: wait for the next chunk.
      if (m[0] === '\r' && m.index + 1 === this.buffer.length) break;
      this.line(this.buffer.slice(start, m.index), out);
      start = m.index + m[0].length;
    }
    this.buffer = this.buffer.slice(start);
    // A line without an end that is already too long can't become a valid event.
    if (this.buffer.length > this.maxEventBytes) {
      this.dataBytes += this.buffer.length;
      this.buffer = '';
      this.oversized = true;
    }
    return out;
  }

  private line(line: string, out: SseItem[]): void {
    if (line === '') return this.dispatch(out);
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      this.dataBytes += value.length + 1;
      if (this.dataBytes > this.maxEventBytes) this.oversized = true;
      else this.data.push(value);
    } else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }

  private dispatch(out: SseItem[]): void {
    if (this.id !== null) this.lastEventId = this.id;
    if (this.oversized) out.push({ kind: 'oversized', id: this.id, bytes: this.dataBytes });
    else if (this.data.length) out.push({ kind: 'event', event: { id: this.id, event: this.event || 'message', data: this.data.join('\n') } });
    this.data = [];
    this.dataBytes = 0;
    this.event = '';
    this.id = null;
    this.oversized = false;
  }
}
