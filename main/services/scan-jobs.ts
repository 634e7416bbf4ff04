/** Turns stored hosts and a check selection into the runner's jobs and checks. */
import { homedir } from 'node:os';
import path from 'node:path';
import type { CheckSelection } from '../../shared/api/schemas/scans.js';
import type { Check } from '../../shared/checks/schema.js';
import { FoureyesError } from '../../shared/model/errors.js';
import { SEVERITIES } from '../../shared/model/results.js';
import type { SshEndpoint } from '../../shared/model/target.js';
import type { Host } from '../../shared/model/workspace.js';
import type { ScanJob } from '../scan/runner.js';
import type { Workspace } from '../store/db.js';
import { isLocalHost } from './local.js';

/**
 * The checks a selection names, from the catalogue a profile gave (already tailored and narrowed to its checks) or
 * the whole catalogue; the other filters combine with AND.
 */
export function selectChecks(all: readonly Check[], sel: Omit<CheckSelection, 'profile'>): Check[] {
  const ids = sel.checkIds ? new Set(sel.checkIds) : undefined;
  const min = sel.minSeverity ? SEVERITIES.indexOf(sel.minSeverity) : 0;
  const out = all.filter(
    (c) =>
      (!ids || ids.has(c.id)) &&
      (!sel.families || sel.families.includes(c.family)) &&
      (!sel.areas || sel.areas.includes(c.area)) &&
      SEVERITIES.indexOf(c.severity) >= min,
  );
  if (out.length === 0) throw new FoureyesError('bad_input', 'the check selection matches no check of the catalogue');
  return out;
}

/** The user's known_hosts file, as ssh reads it. */
export function defaultKnownHostsFiles(): string[] {
  return [path.join(homedir(), '.ssh', 'known_hosts')];
}

/** A stored host as an SSH endpoint: its pinned fingerprint decides when set, else the known_hosts files. */
export function sshEndpoint(h: Host, knownHostsFiles: readonly string[] = defaultKnownHostsFiles()): SshEndpoint {
  return {
    name: h.name,
    address: h.address,
    port: h.port,
    user: h.user,
    auth: h.auth,
    hostKey: {
      knownHostsFiles: [...knownHostsFiles],
      ...(h.pinnedFingerprint !== null ? { pinnedFingerprint: h.pinnedFingerprint } : {}),
      acceptNew: false,
    },
  };
}

/**
 * One job per host; the local host runs through the local transport. Jump hosts: the host's jumpHostId, followed
 * through each jump host's own jumpHostId (first hop first, as ProxyJump chains are).
 */
export function jobsFor(
  ws: Workspace,
  engagementId: string,
  hostIds: readonly string[],
  knownHostsFiles: readonly string[] = defaultKnownHostsFiles(),
): { job: ScanJob; host: Host }[] {
  const endpoint = (h: Host): SshEndpoint => sshEndpoint(h, knownHostsFiles);
  // Refused before anything is stored: a host twice would be one run recorded twice and refused by the runner.
  const seen = new Set<string>();
  for (const id of hostIds) {
    if (seen.has(id)) {
      const name = ws.hosts.get(id)?.name ?? id;
      throw new FoureyesError('bad_input', `host ${name} is listed twice; nothing was scanned`);
    }
    seen.add(id);
  }
  return hostIds.map((id) => {
    const h = ws.hosts.require(id);
    if (h.engagementId !== engagementId) throw new FoureyesError('bad_input', `host ${h.name} is not in this engagement`);
    if (isLocalHost(h)) return { host: h, job: { name: h.name, target: { kind: 'local', name: h.name } } };
    const jumps = ws.hosts.jumpChain(h.id).map(endpoint);
    return { host: h, job: { name: h.name, target: { kind: 'ssh', target: { ...endpoint(h), jumps, privilege: h.privilege } } } };
  });
}
