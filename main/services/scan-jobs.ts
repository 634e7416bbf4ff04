/** Turns stored hosts and a check selection into the runner's jobs and checks. */
import { homedir } from 'node:os';
import path from 'node:path';
import type { CheckSelection } from '../../shared/api/schemas/scans.js';
import type { Check } from '../../shared/checks/schema.js';
import { FoureyesError } from '../../shared/model/errors.js';
import { SEVERITIES } from '../../shared/model/results.js';
import type { SshEndpoint } from '../../shared/model/target.js';
import type { Host } from '../../shared/model/workspace.js';
import type { ScanJob } from '../engine/runner.js';
import type { Workspace } from '../store/db.js';
import { isLocalHost } from './local.js';

/** Checks the selection names; filters combine with AND. Named profiles are not defined yet. */
export function selectChecks(all: readonly Check[], sel: CheckSelection): Check[] {
  if (sel.profile !== undefined) throw new FoureyesError('bad_input', `profile ${sel.profile}: profiles are not supported yet`);
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

function endpoint(h: Host): SshEndpoint {
  return {
    name: h.name,
    address: h.address,
    port: h.port,
    user: h.user,
    auth: h.auth,
    hostKey: {
      knownHostsFiles: [path.join(homedir(), '.ssh', 'known_hosts')],
      ...(h.pinnedFingerprint !== null ? { pinnedFingerprint: h.pinnedFingerprint } : {}),
      acceptNew: false,
    },
  };
}

/** One job per host; the local host runs through the local transport. One jump level (the host's jumpHostId). */
export function jobsFor(ws: Workspace, engagementId: string, hostIds: readonly string[]): { job: ScanJob; host: Host }[] {
  return hostIds.map((id) => {
    const h = ws.hosts.require(id);
    if (h.engagementId !== engagementId) throw new FoureyesError('bad_input', `host ${h.name} is not in this engagement`);
    if (isLocalHost(h)) return { host: h, job: { name: h.name, target: { kind: 'local', name: h.name } } };
    const jumps = h.jumpHostId !== null ? [endpoint(ws.hosts.require(h.jumpHostId))] : [];
    return { host: h, job: { name: h.name, target: { kind: 'ssh', target: { ...endpoint(h), jumps, privilege: h.privilege } } } };
  });
}
