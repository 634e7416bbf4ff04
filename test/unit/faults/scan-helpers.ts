/**
 * The fault matrix drives hostile servers through the path a scan from the UI takes: the real services behind
 * the API dispatch (scan.start with several hosts), a real SQLite workspace, then reads back what was stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MethodOutput } from '../../../shared/api/contract.js';
import type { FactSnapshot } from '../../../shared/facts/snapshot.js';
import type { HostRunStats } from '../../../shared/model/workspace.js';
import type { Dispatch } from '../../../main/api/registry.js';
import type { Services } from '../../../main/api/services.js';
import { openWorkspace, type Workspace } from '../../../main/store/db.js';
import { callDispatch, scanFinished, startDispatch, type EmittedEvent } from '../services/dispatch.js';

/** A few checks that read files, commands and sshd's configuration: a real collector run, small output. */
export const CHECKS = ['sshd-permit-root-login', 'accounts-root-only-uid0', 'accounts-unique-uids'];

export interface HostSpec {
  name: string;
  port: number;
  privilege?: 'none' | 'auto' | 'sudo';
}

export interface FaultWorkspace {
  dir: string;
  wsPath: string;
  events: EmittedEvent[];
  services: Services;
  d: Dispatch;
  call<T>(method: string, input: unknown): Promise<T>;
  engagementId: string;
  /** Host ids by name. */
  ids: Record<string, string>;
  /** Adds the hosts (password login, host key probed and accepted as a user would). */
  addHosts(hosts: readonly HostSpec[]): Promise<void>;
  /** Starts a scan of the named hosts with a deadline per host and waits for scan.finished. */
  scan(names: readonly string[], deadlineSeconds: number): Promise<string>;
  get(scanId: string): Promise<MethodOutput<'scan.get'>>;
  /** The stored snapshot of a host run (read from the workspace file, as a reviewer's next start would). */
  snapshot(hostRunId: string): { snapshot: FactSnapshot; sizeRaw: number; complete: boolean } | undefined;
  /** The stored run statistics (bytes kept from the target's stdout, channels). */
  stats(hostRunId: string): HostRunStats | null | undefined;
  close(): Promise<void>;
}

export async function faultWorkspace(prefix: string): Promise<FaultWorkspace> {
  const dir = mkdtempSync(path.join(tmpdir(), `fe-faults-${prefix}-`));
  const wsPath = path.join(dir, 'ws.sqlite');
  const events: EmittedEvent[] = [];
  const { services, dispatch: d } = await startDispatch({
    workspacePath: wsPath,
    emit: (event, payload) => events.push({ event, payload }),
    mode: 'browser',
    secrets: { cipher: null, decision: { persistent: false, detail: 'test' } },
  });
  const call = <T>(method: string, input: unknown): Promise<T> => callDispatch<T>(d, method, input, 'http');
  const e = await call<{ id: string }>('engagement.create', { name: `faults ${prefix}` });
  const ids: Record<string, string> = {};
  let reader: Workspace | undefined;
  const fw: FaultWorkspace = {
    dir,
    wsPath,
    events,
    services,
    d,
    call,
    engagementId: e.id,
    ids,
    addHosts: async (hosts) => {
      for (const h of hosts) {
        const added = await call<{ id: string }>('host.add', {
          engagementId: e.id,
          host: { name: h.name, address: '127.0.0.1', port: h.port, user: 'auditor', auth: { type: 'password' }, privilege: h.privilege ?? 'none' },
        });
        const p = await call<{ fingerprint: string }>('hostKey.probe', { hostId: added.id });
        await call('hostKey.accept', { hostId: added.id, fingerprint: p.fingerprint });
        ids[h.name] = added.id;
      }
    },
    scan: async (names, deadlineSeconds) => {
      const hostIds = names.map((n) => ids[n]!);
      const { scanId } = await call<{ scanId: string }>('scan.start', {
        engagementId: e.id,
        hostIds,
        selection: { checkIds: CHECKS },
        credentials: hostIds.map((hostId) => ({ hostId, purpose: 'login', secret: 'any password' })),
        deadlineSeconds,
      });
      // Bounded by the deadline: every host ends by then, whatever its server does.
      await scanFinished(events, scanId, (deadlineSeconds + 60) * 1000);
      return scanId;
    },
    get: (scanId) => call<MethodOutput<'scan.get'>>('scan.get', { scanId }),
    snapshot: (hostRunId) => {
      reader ??= openWorkspace(wsPath);
      const info = reader.snapshots.info(hostRunId);
      if (!info) return undefined;
      return { snapshot: reader.snapshots.loadSnapshot(hostRunId), sizeRaw: info.sizeRaw, complete: info.complete };
    },
    stats: (hostRunId) => {
      reader ??= openWorkspace(wsPath);
      return reader.hostRuns.require(hostRunId).stats;
    },
    close: async () => {
      reader?.close();
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fw;
}

/** Every C0 and C1 control and DEL (what a terminal acts on), but tab and line feed. */
// eslint-disable-next-line no-control-regex -- the bytes a terminal acts on are what this looks for
export const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
