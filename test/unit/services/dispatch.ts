/**
 * Test helpers for driving the real services through the real API dispatch, the way the UI does: start them on a
 * workspace file, call methods, add hosts pinned to in-process SSH servers, wait for a scan to finish.
 */
import type { Reply } from '../../../shared/api/reply.js';
import { createHandlers } from '../../../main/api/handlers.js';
import { createDispatch, type Dispatch } from '../../../main/api/registry.js';
import type { Services, ServicesContext } from '../../../main/api/services.js';
import { createServices } from '../../../main/services/index.js';
import type { TestSshServer } from './ssh2-server.js';

/** An event the services emitted, as recorded by the `emit` given to {@link startDispatch}. */
export interface EmittedEvent {
  event: string;
  payload: unknown;
}

/**
 * Creates the services on `workspacePath` and a dispatch over them with a silent log. `platform` is what
 * app.info reports (default: this process's).
 */
export async function startDispatch(opts: {
  workspacePath: string;
  emit: ServicesContext['emit'];
  mode: 'electron' | 'browser';
  secrets: ServicesContext['secrets'];
  platform?: NodeJS.Platform;
}): Promise<{ services: Services; dispatch: Dispatch }> {
  const services = await createServices({
    workspacePath: opts.workspacePath,
    emit: opts.emit,
    mode: opts.mode,
    secrets: opts.secrets,
  });
  const env = {
    name: 'foureyes',
    version: '0',
    mode: opts.mode,
    workspacePath: opts.workspacePath,
    platform: opts.platform ?? process.platform,
    secretStorage: opts.secrets.decision,
  };
  const dispatch = createDispatch(
    createHandlers(services, env),
    { error: () => undefined, warn: () => undefined },
    services.session,
  );
  return { services, dispatch };
}

/** Calls `method` through `d` as from `transport`; an error reply throws naming method, code and message. */
export async function callDispatch<T = unknown>(
  d: Dispatch,
  method: string,
  input: unknown,
  transport: 'http' | 'ipc',
): Promise<T> {
  const r = (await d(method, input, { transport })) as Reply<T>;
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/**
 * Creates engagement `engagementName` with one password-auth host (user `auditor`, no privilege) per server, in
 * the order given, each host key pinned the way a user would (probe, then accept). Returns the ids by name.
 */
export async function addPinnedPasswordHosts<N extends string>(
  d: Dispatch,
  transport: 'http' | 'ipc',
  engagementName: string,
  servers: Record<N, TestSshServer>,
): Promise<{ engagementId: string } & Record<N, string>> {
  const call = <T = unknown>(method: string, input: unknown) => callDispatch<T>(d, method, input, transport);
  const e = await call<{ id: string }>('engagement.create', { name: engagementName });
  const ids: Record<string, string> = { engagementId: e.id };
  for (const [name, s] of Object.entries(servers) as [N, TestSshServer][]) {
    const h = await call<{ id: string }>('host.add', {
      engagementId: e.id,
      host: {
        name,
        address: s.host,
        port: s.port,
        user: 'auditor',
        auth: { type: 'password' },
        privilege: 'none',
      },
    });
    const p = await call<{ fingerprint: string }>('hostKey.probe', { hostId: h.id });
    await call('hostKey.accept', { hostId: h.id, fingerprint: p.fingerprint });
    ids[name] = h.id;
  }
  return ids as { engagementId: string } & Record<N, string>;
}

/** Resolves once `events` holds scan.finished for `scanId`; throws after `timeoutMs`. */
export async function scanFinished(
  events: readonly EmittedEvent[],
  scanId: string,
  timeoutMs = 60_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (
    !events.some((e) => e.event === 'scan.finished' && (e.payload as { scanId: string }).scanId === scanId)
  ) {
    if (Date.now() > until) throw new Error('scan did not finish');
    await new Promise((r) => setTimeout(r, 50));
  }
}
