/**
 * The Electron IPC transport: one ipcMain.handle per contract method, all through this wrapper, each checking that
 * the call comes from the top frame of a window showing app://foureyes before dispatching. Events go to every
 * window showing our content. No other module registers IPC handlers.
 */
import type { EventHub } from '../api/event-hub.js';
import type { ApiLogger } from '../api/log.js';
import type { Dispatch } from '../api/registry.js';
import { METHOD_NAMES, eventChannel, methodChannel } from '../../shared/api/names.js';
import type { Reply } from '../../shared/api/reply.js';
import { isAppUrl, isTrustedSender } from './security.js';

/** The frame fields the sender check reads (WebFrameMain has them). */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

/** The part of ipcMain used here. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: { senderFrame: SenderFrame | null }, ...args: unknown[]) => unknown,
  ): void;
  removeHandler(channel: string): void;
}

export function registerIpcHandlers(ipcMain: IpcMainLike, dispatch: Dispatch, log: ApiLogger): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(methodChannel(method), async (event, input): Promise<Reply<unknown>> => {
      const frame = event.senderFrame;
      if (!isTrustedSender(frame)) {
        log.warn('IPC call refused: sender is not the application frame', {
          method,
          url: String(frame?.url ?? 'none').slice(0, 200),
        });
        return {
          ok: false,
          error: { code: 'internal', message: 'IPC call refused: not from the application window' },
        };
      }
      return dispatch(method, input, { transport: 'ipc' });
    });
  }
  return () => {
    for (const method of METHOD_NAMES) ipcMain.removeHandler(methodChannel(method));
  };
}

/** A window that may receive events. */
export interface EventTarget {
  url(): string;
  send(channel: string, payload: unknown): void;
}

/** Forward hub events to every window currently showing our own content. */
export function forwardEvents(hub: EventHub, targets: () => EventTarget[]): () => void {
  return hub.subscribe(({ event, payload }) => {
    for (const t of targets()) if (isAppUrl(t.url())) t.send(eventChannel(event), payload);
  });
}
