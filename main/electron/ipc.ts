/**
 * IPC wiring (runtime: Electron main): one invoke channel for commands, one push channel for events.
 *
 * Every message's sender is checked: it must be a window Pantau created. Each window is one session
 * main opened for it; the session's role (decided by main) must allow the command. The frame is parsed as unknown; any failure is answered as a typed error.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { API_VERSION, ApiError, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, RequestFrame, describeZodError } from '../../preload/contract.js';
import { oversized } from '../access/payload-size.js';
import type { Console } from '../console.js';

export interface WindowRegistry {
  /** The session of the window owning these webContents, or null for anything Pantau did not create. */
  sessionOf(contents: WebContents): string | null;
  all(): WebContents[];
}

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ApiError['shape'] };

export async function handleInvoke(consoleApp: Console, windows: WindowRegistry, event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, raw: unknown): Promise<IpcReply> {
  const fail = (e: ApiError): IpcReply => ({ ok: false, error: e.shape });
  const session = windows.sessionOf(event.sender);
  if (session === null) return fail(new ApiError('forbidden', 'message from an unknown sender'));
  // Only the top frame of our own page may talk to main.
  if (event.senderFrame && event.senderFrame.parent !== null) return fail(new ApiError('forbidden', 'message from a sub-frame'));
  // Bounded like the web shell's 64 KiB frames, before anything is parsed.
  const tooBig = oversized(raw);
  if (tooBig) return fail(new ApiError('bad_request', `request refused: ${tooBig}`));
  const frame = RequestFrame.omit({ id: true }).safeParse(raw);
  if (!frame.success) return fail(new ApiError('bad_request', `malformed request: ${describeZodError(frame.error)}`));
  if (frame.data.v !== API_VERSION) return fail(new ApiError('version_mismatch', `renderer speaks API v${frame.data.v}, main speaks v${API_VERSION}`));
  try {
    return { ok: true, result: await consoleApp.dispatch(frame.data.command, frame.data.args, { session }) };
  } catch (err) {
    return fail(err instanceof ApiError ? err : new ApiError('internal', (err as Error).message));
  }
}

export function setupIpc(ipcMain: IpcMain, consoleApp: Console, windows: WindowRegistry): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, raw: unknown) => handleInvoke(consoleApp, windows, event, raw));
  const off = consoleApp.onEvent((event, payload) => {
    for (const wc of windows.all()) {
      if (wc.isDestroyed()) continue;
      // Each window hears what its session may: a kiosk only of its own cameras (Console.eventFor).
      const session = windows.sessionOf(wc);
      const mine = session === null ? null : consoleApp.eventFor(session, event, payload);
      if (mine !== null) wc.send(IPC_EVENT_CHANNEL, { event, payload: mine });
    }
  });
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    off();
  };
}
