/**
 * The console API over WebSocket (runtime: Node): the web-mode twin of the Electron IPC wiring.
 * Every frame is parsed as unknown; a malformed one gets a typed error frame and the socket lives on.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { API_VERSION, ApiError, RequestFrame, describeZodError } from '../../preload/contract.js';
import type { Console, RemoteDesk } from '../console.js';
import { rawText } from '../streams/live-sockets.js';

const MAX_FRAME_BYTES = 64 * 1024;

export class ApiSocket {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  constructor(private readonly console: Console) {}

  /**
   * Each connection is a session main opens for it (operator, or kiosk), ended when the socket closes;
   * a remote desk's session carries the desk's name and the origin it reaches the console by.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, base: 'operator' | 'kiosk', desk?: RemoteDesk): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws, this.console.openSession(base, desk).id));
  }

  private serve(ws: WebSocket, session: string): void {
    // Each session hears what it may: a kiosk only of its own cameras (Console.eventFor).
    const unsubscribe = this.console.onSessionEvent(session, (event, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ v: API_VERSION, event, payload }));
    });
    ws.on('message', (data: RawData, isBinary: boolean) => void this.onMessage(ws, data, isBinary, session));
    ws.on('close', () => {
      unsubscribe();
      this.console.closeSession(session);
    });
    ws.on('error', () => ws.terminate());
  }

  private async onMessage(ws: WebSocket, data: RawData, isBinary: boolean, session: string): Promise<void> {
    const fail = (id: number | null, error: ApiError) => ws.send(JSON.stringify({ v: API_VERSION, id, ok: false, error: error.shape }));
    if (isBinary) return fail(null, new ApiError('bad_request', 'binary frames are not part of the API'));
    let raw: unknown;
    try {
      raw = JSON.parse(rawText(data));
    } catch {
      return fail(null, new ApiError('bad_request', 'frame is not valid JSON'));
    }
    const frame = RequestFrame.safeParse(raw);
    if (!frame.success) return fail(null, new ApiError('bad_request', `malformed request: ${describeZodError(frame.error)}`));
    const { id, v, command, args } = frame.data;
    if (v !== API_VERSION) return fail(id, new ApiError('version_mismatch', `client speaks API v${v}, server speaks v${API_VERSION}`));
    try {
      const result = await this.console.dispatch(command, args, { session });
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ v: API_VERSION, id, ok: true, result }));
    } catch (err) {
      fail(id, err instanceof ApiError ? err : new ApiError('internal', (err as Error).message));
    }
  }

  close(): void {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
  }
}
