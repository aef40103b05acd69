/**
 * The preload (runtime: Electron sandboxed preload): exposes window.pantau, implementing the contract
 * over ipcRenderer. It exposes one typed object, never ipcRenderer itself. Results and events are
 * parsed with the contract's schemas before the page sees them.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  API_VERSION,
  ApiError,
  ApiErrorShape,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  isEventName,
  parseEvent,
  parseResult,
  type CommandArgs,
  type CommandName,
  type CommandResult,
  type ConsoleApi,
  type EventName,
  type EventPayload,
} from './contract';

const listeners = new Map<EventName, Set<(p: unknown) => void>>();

ipcRenderer.on(IPC_EVENT_CHANNEL, (_e: IpcRendererEvent, frame: unknown) => {
  if (typeof frame !== 'object' || frame === null) return;
  const { event, payload } = frame as { event?: unknown; payload?: unknown };
  if (typeof event !== 'string' || !isEventName(event)) return;
  const parsed = parseEvent(event, payload);
  if (parsed !== null) for (const l of listeners.get(event) ?? []) l(parsed);
});

const api: ConsoleApi = {
  apiVersion: API_VERSION,
  async call<K extends CommandName>(command: K, args: CommandArgs<K>): Promise<CommandResult<K>> {
    const reply: unknown = await ipcRenderer.invoke(IPC_INVOKE_CHANNEL, { v: API_VERSION, command, args });
    const r = reply as { ok?: unknown; result?: unknown; error?: unknown };
    if (r && r.ok === true) return parseResult(command, r.result);
    const e = ApiErrorShape.safeParse(r?.error);
    throw e.success ? ApiError.from(e.data) : new ApiError('internal', `${command}: malformed reply`);
  },
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const l = listener as (p: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  },
};

contextBridge.exposeInMainWorld('pantau', api);
