/**
 * One-use tickets for stream sockets (runtime: Node): `stream.open` issues one, a socket's upgrade or
 * bind spends it. A ticket is a random 48-hex token that lives 30 s; the URL path is looked up here
 * and never built from input. A ticket may hold something to let go when it is spent or expires
 * (the gateway's head start for its stream).
 */
import { randomBytes } from 'node:crypto';
import type { StreamQuality } from '../../preload/contract.js';

export const TOKEN_TTL_MS = 30_000;

export interface Ticket {
  cameraId: string;
  quality: StreamQuality;
  /** MPEG-1 (JSMpeg) instead of the camera's own codec. */
  transcode: boolean;
  /** Lets go of the stream's head start (gateway.holdFor), once a viewer holds the stream or never will. */
  release: (() => void) | null;
}

interface Entry {
  ticket: Ticket;
  expires: number;
}

export class TicketBook {
  private readonly tickets = new Map<string, Entry>();

  constructor(private readonly ttlMs = TOKEN_TTL_MS) {}

  /** A new ticket's token; expired tickets go first. */
  issue(ticket: Ticket): string {
    const now = Date.now();
    for (const [token, e] of this.tickets) if (e.expires < now) this.drop(token);
    const token = randomBytes(24).toString('hex');
    this.tickets.set(token, { ticket, expires: now + this.ttlMs });
    return token;
  }

  /** The ticket for a token, once: a used or expired token gets nothing. */
  take(token: string): Ticket | null {
    const e = this.tickets.get(token);
    this.tickets.delete(token);
    if (e && e.expires >= Date.now()) return e.ticket;
    if (e) TicketBook.release(e.ticket);
    return null;
  }

  /** The ticket's hold on its stream is no longer needed. */
  static release(ticket: Ticket): void {
    ticket.release?.();
    ticket.release = null;
  }

  private drop(token: string): void {
    const e = this.tickets.get(token);
    if (e) TicketBook.release(e.ticket);
    this.tickets.delete(token);
  }

  close(): void {
    for (const token of [...this.tickets.keys()]) this.drop(token);
  }
}
