import { describe, expect, it } from 'vitest';
import { METHOD_NAMES, methodChannel } from '../../../shared/api/names.js';
import type { Dispatch } from '../../../main/api/registry.js';
import { EventHub } from '../../../main/api/event-hub.js';
import {
  forwardEvents,
  registerIpcHandlers,
  type IpcMainLike,
  type SenderFrame,
} from '../../../main/shell/ipc.js';
import { memoryLogger } from '../api/helpers.js';

type Listener = (event: { senderFrame: SenderFrame | null }, ...args: unknown[]) => unknown;

function setup() {
  const handlers = new Map<string, Listener>();
  const ipcMain: IpcMainLike = {
    handle: (channel, l) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, l);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  const calls: [string, unknown, unknown][] = [];
  const dispatch: Dispatch = async (method, input, ctx) => {
    calls.push([method, input, ctx]);
    return { ok: true, value: method };
  };
  const log = memoryLogger();
  const dispose = registerIpcHandlers(ipcMain, dispatch, log);
  return { handlers, calls, log, dispose };
}

const top = { url: 'app://foureyes/index.html', parent: null };

describe('IPC transport', () => {
  it('registers one handler per contract method and nothing else', () => {
    const { handlers, dispose } = setup();
    expect([...handlers.keys()].sort()).toEqual(METHOD_NAMES.map(methodChannel).sort());
    dispose();
    expect(handlers.size).toBe(0);
  });

  it('dispatches calls from the application frame', async () => {
    const { handlers, calls } = setup();
    const r = await handlers.get(methodChannel('scan.get'))!({ senderFrame: top }, { scanId: 's1' });
    expect(r).toEqual({ ok: true, value: 'scan.get' });
    expect(calls).toEqual([['scan.get', { scanId: 's1' }, { transport: 'ipc' }]]);
  });

  it('refuses calls from another origin, a subframe or a vanished frame', async () => {
    const { handlers, calls, log } = setup();
    const frames = [
      { url: 'https://evil.example/', parent: null },
      { url: 'app://foureyes/index.html', parent: top },
      { url: 'file:///tmp/x.html', parent: null },
      null,
    ];
    for (const senderFrame of frames) {
      const r = await handlers.get(methodChannel('host.remove'))!({ senderFrame }, { hostId: 'h1' });
      expect(r).toMatchObject({
        ok: false,
        error: { code: 'internal', message: expect.stringContaining('refused') },
      });
    }
    expect(calls).toEqual([]);
    expect(log.entries).toHaveLength(frames.length);
  });

  it('forwards events only to windows showing our content', () => {
    const hub = new EventHub(memoryLogger());
    const sent: [string, string, unknown][] = [];
    const win = (url: string) => ({
      url: () => url,
      send: (c: string, p: unknown) => sent.push([url, c, p]),
    });
    forwardEvents(hub, () => [win('app://foureyes/index.html'), win('https://evil.example/')]);
    const payload = {
      scanId: 's1',
      state: 'done',
      counts: { pass: 0, fail: 0, not_applicable: 0, error: 0, manual: 0 },
    } as const;
    hub.emit('scan.finished', payload);
    expect(sent).toEqual([['app://foureyes/index.html', 'foureyes:event:scan.finished', payload]]);
  });
});
