import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES, eventChannel, methodChannel } from '../../../shared/api/names.js';
import { clientMethodNames } from '../../../shared/api/client-core.js';
import { buildPreloadApi, type PreloadIpc } from '../../../main/shell/preload-api.js';
// @ts-expect-error: plain ESM build script without type declarations
import { bundlePreload } from '../../../build/bundle-preload.mjs';

/** A recording stand-in for ipcRenderer (Electron cannot start here). */
function recordingIpc() {
  const invoked: [string, unknown[]][] = [];
  const listeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
  const ipc: PreloadIpc = {
    invoke: async (channel, ...args) => {
      invoked.push([channel, args]);
      return { ok: true, value: channel };
    },
    on: (channel, l) => listeners.set(channel, [...(listeners.get(channel) ?? []), l]),
    removeListener: (channel, l) =>
      listeners.set(
        channel,
        (listeners.get(channel) ?? []).filter((x) => x !== l),
      ),
  };
  return { ipc, invoked, listeners };
}

describe('preload API', () => {
  it('exposes exactly one function per contract method, plus on()', () => {
    const api = buildPreloadApi(recordingIpc().ipc);
    expect(clientMethodNames(api)).toEqual([...METHOD_NAMES].sort());
    expect(Object.keys(api).sort()).toEqual(
      [...new Set(METHOD_NAMES.map((m) => m.split('.')[0]!)), 'on'].sort(),
    );
  });

  it('invokes only the method’s own channel', async () => {
    const { ipc, invoked } = recordingIpc();
    const api = buildPreloadApi(ipc);
    expect(await api.scan.cancel({ scanId: 's1' })).toEqual({
      ok: true,
      value: methodChannel('scan.cancel'),
    });
    expect(invoked).toEqual([['foureyes:call:scan.cancel', [{ scanId: 's1' }]]]);
  });

  it('subscribes to contract events only, passes the payload but never the IPC event', () => {
    const { ipc, listeners } = recordingIpc();
    const api = buildPreloadApi(ipc);
    const got: unknown[][] = [];
    const off = api.on('scan.progress', (...args: unknown[]) => got.push(args));
    const l = listeners.get(eventChannel('scan.progress'))![0]!;
    l({ sender: 'secret webContents' }, { scanId: 's1' });
    expect(got).toEqual([[{ scanId: 's1' }]]);
    off();
    expect(listeners.get(eventChannel('scan.progress'))).toEqual([]);
    expect(() => api.on('ipc-message' as 'scan.progress', () => undefined)).toThrow();
    expect(listeners.has('ipc-message')).toBe(false);
  });
});

describe('preload bundle', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'foureyes-preload-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is one CommonJS file that requires nothing but electron and exposes the contract', async () => {
    const out: string = await bundlePreload(path.join(dir, 'preload.cjs'));
    const code = readFileSync(out, 'utf8');
    const exposed: Record<string, unknown> = {};
    const { ipc, invoked } = recordingIpc();
    const electron = {
      contextBridge: { exposeInMainWorld: (k: string, v: unknown) => (exposed[k] = v) },
      ipcRenderer: ipc,
    };
    // Like a sandboxed preload: require() knows 'electron' only; no process, no Buffer.
    const sandboxRequire = (id: string) => {
      if (id === 'electron') return electron;
      throw new Error(`sandboxed preload cannot require ${id}`);
    };
    const module = { exports: {} };
    vm.runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, console });
    expect(Object.keys(exposed)).toEqual(['foureyes']);
    const api = exposed.foureyes as ReturnType<typeof buildPreloadApi>;
    expect(clientMethodNames(api)).toEqual([...METHOD_NAMES].sort());
    await api.host.list({ engagementId: 'e1' });
    expect(invoked).toEqual([['foureyes:call:host.list', [{ engagementId: 'e1' }]]]);
    expect(code.length).toBeLessThan(20_000);
  });
});
