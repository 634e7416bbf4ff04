/**
 * Pure helpers for setting up a scan: which secrets a host may need, how many checks a selection gives, and the
 * scan.start input built from what the user chose.
 */
import type { CheckSummary } from '../../../../shared/api/schemas/catalogue.js';
import type { CheckSelection, ScanCredential } from '../../../../shared/api/schemas/scans.js';
import type { Host } from '../../../../shared/api/schemas/workspace.js';
import { SEVERITIES, type Family, type Severity } from '../../../../shared/model/results.js';

/** The host that stands for this machine (scanned without SSH): the tag `local` on 127.0.0.1, as main decides. */
export function isLocalHost(h: Pick<Host, 'address' | 'tags'>): boolean {
  return h.tags.includes('local') && h.address === '127.0.0.1';
}

/** What to ask for one host at scan start. */
export interface CredentialNeed {
  /** password: the login password (password auth); passphrase: the key's passphrase, if the key has one. */
  login: 'password' | 'passphrase' | null;
  /**
   * The sudo password (privilege sudo). Privilege auto uses sudo only where it needs no password, so it is not
   * asked for there: a host that needs one is set to sudo on the Hosts screen.
   */
  sudo: boolean;
}

export function credentialNeed(h: Pick<Host, 'address' | 'tags' | 'auth' | 'privilege'>): CredentialNeed {
  if (isLocalHost(h)) return { login: null, sudo: false };
  const login = h.auth.type === 'password' ? 'password' : h.auth.type === 'key' ? 'passphrase' : null;
  return { login, sudo: h.privilege === 'sudo' };
}

export function needsAny(n: CredentialNeed): boolean {
  return n.login !== null || n.sudo;
}

/** Secrets typed for one host (empty strings are "not given"). */
export interface HostSecrets {
  login?: string;
  sudo?: string;
}

/** A host to ask secrets for: a chosen host, or a jump host on the way to one (it logs in too, never sudo). */
export interface AskedHost {
  host: Host;
  need: CredentialNeed;
  /** Not scanned itself: only a jump host of a chosen host. */
  jumpOnly: boolean;
}

/** Hosts whose secrets the scan may use, in inventory order: chosen hosts and the jump hosts they go through. */
export function askedHosts(hosts: readonly Host[], chosen: ReadonlySet<string>): AskedHost[] {
  const byId = new Map(hosts.map((h) => [h.id, h]));
  const jumps = new Set<string>();
  for (const id of chosen) {
    let hop = byId.get(id)?.jumpHostId ?? null;
    while (hop !== null && !jumps.has(hop)) {
      jumps.add(hop);
      hop = byId.get(hop)?.jumpHostId ?? null;
    }
  }
  const out: AskedHost[] = [];
  for (const h of hosts) {
    if (chosen.has(h.id)) out.push({ host: h, need: credentialNeed(h), jumpOnly: false });
    else if (jumps.has(h.id))
      out.push({ host: h, need: { login: credentialNeed(h).login, sudo: false }, jumpOnly: true });
  }
  return out.filter((a) => needsAny(a.need));
}

/** The credentials of scan.start: only for asked hosts, only what the host can use, only what was typed. */
export function credentialsFor(
  hosts: readonly Host[],
  chosen: ReadonlySet<string>,
  secrets: Readonly<Record<string, HostSecrets>>,
): ScanCredential[] {
  const out: ScanCredential[] = [];
  for (const { host, need } of askedHosts(hosts, chosen)) {
    const s = secrets[host.id];
    if (!s) continue;
    if (need.login && s.login) out.push({ hostId: host.id, purpose: 'login', secret: s.login });
    if (need.sudo && s.sudo) out.push({ hostId: host.id, purpose: 'sudo', secret: s.sudo });
  }
  return out;
}

/** What the user picked: families (empty = none) and the lowest severity. */
export interface SelectionDraft {
  families: readonly Family[];
  minSeverity: Severity;
}

/** Families present in the catalogue, in the catalogue's order of first appearance. */
export function familiesOf(checks: readonly CheckSummary[]): Family[] {
  return [...new Set(checks.map((c) => c.family))];
}

/** Checks the draft selects (the same rule main applies: families AND minimum severity). */
export function selectedChecks(checks: readonly CheckSummary[], d: SelectionDraft): CheckSummary[] {
  const min = SEVERITIES.indexOf(d.minSeverity);
  return checks.filter((c) => d.families.includes(c.family) && SEVERITIES.indexOf(c.severity) >= min);
}

/** The selection for scan.start; filters that select everything are left out. */
export function selectionInput(checks: readonly CheckSummary[], d: SelectionDraft): CheckSelection {
  const all = familiesOf(checks);
  const sel: CheckSelection = {};
  if (!all.every((f) => d.families.includes(f))) sel.families = [...d.families];
  if (d.minSeverity !== 'info') sel.minSeverity = d.minSeverity;
  return sel;
}
