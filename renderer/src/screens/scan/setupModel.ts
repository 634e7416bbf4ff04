/**
 * Pure helpers for setting up a scan: which secrets a host may need, how each secret field looks (stored, may be
 * remembered), how many checks a selection gives, and the scan.start and secret.remember inputs built from what the
 * user chose.
 */
import type { CheckSummary } from '../../../../shared/api/schemas/catalogue.js';
import type { CheckSelection, ScanCredential } from '../../../../shared/api/schemas/scans.js';
import type { SecretPurpose, StoredSecret } from '../../../../shared/api/schemas/secrets.js';
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

/** Secrets typed for one host (empty strings are "not given"), and which ones to remember. */
export interface HostSecrets {
  login?: string;
  sudo?: string;
  /** "Remember" ticked for this purpose (acted on only where secrets can be stored). */
  remember?: Partial<Record<SecretPurpose, boolean>>;
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

/** Stored secrets by host id (from secret.status); empty where nothing can be stored (a stored one is not used). */
export function storedByHost(
  stored: readonly Pick<StoredSecret, 'hostId' | 'purpose'>[],
  persistent: boolean,
): Record<string, SecretPurpose[]> {
  const out: Record<string, SecretPurpose[]> = {};
  if (!persistent) return out;
  for (const s of stored) (out[s.hostId] ??= []).push(s.purpose);
  return out;
}

/** One secret field of a host's row, as the scan screen shows it. */
export interface SecretField {
  purpose: SecretPurpose;
  kind: 'password' | 'passphrase' | 'sudo';
  label: string;
  value: string;
  placeholder: string;
  /** A secret is stored for it: the field may stay empty (a Forget button goes with it). */
  stored: boolean;
  /** Offer "Remember (encrypted by the OS keychain)": only where secrets can be stored. */
  canRemember: boolean;
  remember: boolean;
  /** A warning under the field, or ''. */
  hint: string;
}

const FIELD_TEXT = {
  password: { label: 'Login password', placeholder: '' },
  passphrase: { label: 'Key passphrase', placeholder: 'leave empty if the key has none' },
  sudo: { label: 'sudo password', placeholder: 'leave empty if sudo asks for none' },
} as const;

/** The secret fields of one asked host, login first. */
export function secretFields(
  asked: Pick<AskedHost, 'need'>,
  typed: HostSecrets | undefined,
  stored: readonly SecretPurpose[],
  persistent: boolean,
): SecretField[] {
  const kinds: SecretField['kind'][] = [];
  if (asked.need.login) kinds.push(asked.need.login);
  if (asked.need.sudo) kinds.push('sudo');
  return kinds.map((kind) => {
    const purpose: SecretPurpose = kind === 'sudo' ? 'sudo' : 'login';
    const value = typed?.[purpose] ?? '';
    const isStored = persistent && stored.includes(purpose);
    const remember = persistent && typed?.remember?.[purpose] === true;
    let hint = '';
    if (isStored && value)
      hint = remember ? 'replaces the stored one' : 'used for this scan instead of the stored one';
    else if (!isStored && !value && kind === 'password')
      hint = 'without it this host fails; the others still run';
    return {
      purpose,
      kind,
      label: FIELD_TEXT[kind].label,
      value,
      placeholder: isStored ? 'stored: leave empty to use it' : FIELD_TEXT[kind].placeholder,
      stored: isStored,
      canRemember: persistent,
      remember,
      hint,
    };
  });
}

/** The typed secrets to store with secret.remember at scan start: "Remember" ticked, only where they can be stored. */
export function credentialsToRemember(
  hosts: readonly Host[],
  chosen: ReadonlySet<string>,
  secrets: Readonly<Record<string, HostSecrets>>,
  persistent: boolean,
): ScanCredential[] {
  if (!persistent) return [];
  return credentialsFor(hosts, chosen, secrets).filter(
    (c) => secrets[c.hostId]?.remember?.[c.purpose] === true,
  );
}

/** What the user picked: families (empty = none) and the lowest severity. */
export interface SelectionDraft {
  families: readonly Family[];
  minSeverity: Severity;
  /** A profile's id: only its checks (tailored as it says); null: the whole catalogue. */
  profile?: string | null;
  /** The profiles' check ids, by profile id (from catalogue.list). */
  profileChecks?: ReadonlyMap<string, readonly string[]>;
}

/** Families present in the catalogue, in the catalogue's order of first appearance. */
export function familiesOf(checks: readonly CheckSummary[]): Family[] {
  return [...new Set(checks.map((c) => c.family))];
}

/** Checks the draft selects (the same rule main applies: families AND minimum severity). */
export function selectedChecks(checks: readonly CheckSummary[], d: SelectionDraft): CheckSummary[] {
  const min = SEVERITIES.indexOf(d.minSeverity);
  const inProfile = d.profile ? new Set(d.profileChecks?.get(d.profile) ?? []) : null;
  return checks.filter(
    (c) => (!inProfile || inProfile.has(c.id)) && d.families.includes(c.family) && SEVERITIES.indexOf(c.severity) >= min,
  );
}

/** The selection for scan.start; filters that select everything are left out. */
export function selectionInput(checks: readonly CheckSummary[], d: SelectionDraft): CheckSelection {
  const all = familiesOf(checks);
  const sel: CheckSelection = {};
  if (d.profile) sel.profile = d.profile;
  if (!all.every((f) => d.families.includes(f))) sel.families = [...d.families];
  if (d.minSeverity !== 'info') sel.minSeverity = d.minSeverity;
  return sel;
}
