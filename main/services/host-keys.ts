/**
 * Host keys. Probing connects only as far as the key exchange (main/ssh/probe.ts) and compares the presented key
 * with the host's pinned fingerprint, then with the known_hosts files, the order scans use. Accepting pins the
 * fingerprint on the host (scans then refuse any other key) and records who accepted it and when; when the last
 * probe of the host saw that very key, the record carries its real key type, else `pinned`.
 */
import type { HostKeyProbe } from '../../shared/api/schemas/workspace.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { SshTarget } from '../../shared/model/target.js';
import type { Host } from '../../shared/model/workspace.js';
import type { HostKeyService } from '../api/services.js';
import { preferredHostKeyAlgorithms } from '../ssh/host-key.js';
import { algorithmsForKeyType } from '../ssh/key-blob.js';
import { hostSpecMatches, knownHostsName } from '../ssh/known-hosts-parse.js';
import { loadKnownHosts, lookupIn } from '../ssh/known-hosts.js';
import { probeHostKey } from '../ssh/probe.js';
import type { Workspace } from '../store/db.js';
import { auditIf } from './audited.js';
import { isLocalHost } from './local.js';
import { defaultKnownHostsFiles, sshEndpoint } from './scan-jobs.js';
import { localUserName } from '../ssh/paths.js';

export interface HostKeyServiceOptions {
  /** known_hosts files consulted (default ~/.ssh/known_hosts, as scans use). */
  knownHostsFiles?: readonly string[];
  /** Whole probe, jump hops included (default 10 s). */
  probeTimeoutMs?: number;
  /** Fires at shutdown: a probe under way ends at once (its connections closed) and rejects with `cancelled`;
   * a probe asked for afterwards opens nothing. */
  signal?: AbortSignal;
}

/** Compares a presented key with what is known for the host; `expected` lists pinned first, then known_hosts. */
async function judge(
  host: Host,
  files: readonly string[],
  blob: Buffer,
  fingerprint: string,
): Promise<Pick<HostKeyProbe, 'status' | 'expected'>> {
  const { entries, notes } = await loadKnownHosts(files);
  const known = lookupIn(entries, notes, host.address, host.port, blob);
  const name = knownHostsName(host.address, host.port);
  const fromFiles = entries
    .filter((e) => !e.marker && hostSpecMatches(e.hosts, name))
    .map((e) => e.fingerprint);
  const pinned = host.pinnedFingerprint;
  const expected = [...new Set([...(pinned !== null ? [pinned] : []), ...fromFiles])];
  // Same order of decision as a scan's host key check (main/ssh/host-key.ts): revoked, pinned, known_hosts.
  if (known.status === 'revoked') return { status: 'revoked', expected };
  if (pinned !== null) return { status: pinned === fingerprint ? 'match' : 'mismatch', expected };
  if (known.status === 'match') return { status: 'match', expected };
  if (known.status === 'mismatch') return { status: 'mismatch', expected };
  return { status: 'unknown', expected };
}

export function hostKeyService(ws: Workspace, opts: HostKeyServiceOptions = {}): HostKeyService {
  const files = opts.knownHostsFiles ?? defaultKnownHostsFiles();
  /** The key each host presented at its last probe (kept in memory only: it is a hint for accept). */
  const lastProbe = new Map<string, { fingerprint: string; algorithm: string }>();

  const chainTo = (host: Host): SshTarget | undefined => {
    const chain = ws.hosts.jumpChain(host.id);
    const last = chain.at(-1);
    if (!last) return undefined;
    return {
      ...sshEndpoint(last, files),
      jumps: chain.slice(0, -1).map((h) => sshEndpoint(h, files)),
      privilege: 'none',
    };
  };

  /** Key types already known for the host first, so a host known by one type is not asked for another. */
  const algorithms = async (host: Host): Promise<string[]> => {
    const byPolicy = await preferredHostKeyAlgorithms(sshEndpoint(host, files).hostKey, host);
    const pinnedType = ws.hostKeys
      .list(host.id)
      .filter((k) => k.fingerprint === host.pinnedFingerprint && k.keyType !== 'pinned')
      .at(-1)?.keyType;
    const first =
      pinnedType !== undefined ? algorithmsForKeyType(pinnedType).filter((a) => byPolicy.includes(a)) : [];
    return [...new Set([...first, ...byPolicy])];
  };

  return {
    probe: async ({ hostId }) => {
      const host = ws.hosts.require(hostId);
      if (isLocalHost(host)) {
        throw new FoureyesError(
          'bad_input',
          `${host.name}: the local machine is scanned without SSH; it has no host key`,
        );
      }
      const via = chainTo(host);
      const key = await probeHostKey(
        { name: host.name, address: host.address, port: host.port },
        {
          hostKeyAlgorithms: await algorithms(host),
          ...(via ? { via } : {}),
          ...(opts.probeTimeoutMs !== undefined ? { timeoutMs: opts.probeTimeoutMs } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
        },
      );
      lastProbe.set(hostId, { fingerprint: key.fingerprint, algorithm: key.keyType });
      const verdict = await judge(host, files, key.blob, key.fingerprint);
      return { hostId, algorithm: key.keyType, fingerprint: key.fingerprint, ...verdict };
    },
    accept: ({ hostId, fingerprint, reason }, acting) => {
      const host = ws.hosts.require(hostId);
      ws.engagements.requireWritable(host.engagementId);
      // A key acceptance is a human decision: on record, it says why.
      if (acting && reason === undefined)
        throw new FoureyesError('bad_input', `accepting the host key of ${host.name}: a reason is required (how was the key checked?)`);
      const seen = lastProbe.get(hostId);
      const keyType = seen?.fingerprint === fingerprint ? seen.algorithm : 'pinned';
      const acceptedBy = acting?.actor.name ?? localUserName('unknown user');
      return ws.tx(() => {
        const rec = ws.hostKeys.record(hostId, { keyType, fingerprint, acceptedBy, how: 'pinned' });
        ws.hosts.pin(hostId, fingerprint);
        auditIf(ws, acting, {
          action: 'host_key.accept',
          object: { type: 'host', id: hostId },
          ...(reason !== undefined ? { reason } : {}),
          before: { pinnedFingerprint: host.pinnedFingerprint },
          after: { pinnedFingerprint: fingerprint, keyType },
        });
        return { hostId, fingerprint, acceptedAt: rec.acceptedAt };
      });
    },
  };
}
