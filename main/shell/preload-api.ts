/**
 * What the preload exposes as `window.foureyes`: the typed client (one function per contract method, grouped by
 * namespace, plus `on`) built over ipcRenderer. Never a pass-through: the renderer cannot name a channel; each
 * function invokes exactly its method's channel, and `on` accepts only the contract's event names. The
 * IpcRendererEvent is never handed to the page (it would expose the sender). Electron-free, so Node tests build it.
 */
import { createApiClient, type ApiClient } from '../../shared/api/client-core.js';
import { eventChannel, isEventName, isMethodName, methodChannel } from '../../shared/api/names.js';
import type { Reply } from '../../shared/api/reply.js';

/** The part of ipcRenderer the preload uses. */
export interface PreloadIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export const EXPOSED_NAME = 'foureyes';

export function buildPreloadApi(ipc: PreloadIpc): ApiClient {
  return createApiClient({
    async call(method, input): Promise<Reply<unknown>> {
      if (!isMethodName(method))
        return { ok: false, error: { code: 'not_found', message: 'unknown API method' } };
      try {
        return (await ipc.invoke(methodChannel(method), input)) as Reply<unknown>;
      } catch {
        return { ok: false, error: { code: 'internal', message: `IPC call ${method} failed` } };
      }
    },
    on(event, cb) {
      if (!isEventName(event)) throw new TypeError('unknown event');
      const channel = eventChannel(event);
      const listener = (_event: unknown, payload: unknown): void => cb(payload);
      ipc.on(channel, listener);
      return () => {
        ipc.removeListener(channel, listener);
      };
    },
  });
}
