import { FoureyesError } from '../../shared/model/errors.js';
import type { HostKeyPolicy } from '../../shared/model/target.js';
import { hostLabel } from './errors.js';
import { algorithmsForKeyType, fingerprintSha256, isSha256Fingerprint, keyTypeOfBlob } from './key-blob.js';
import { appendKnownHost, loadKnownHosts, lookupIn } from './known-hosts.js';

/** A key accepted on first contact under an accept-new policy. Callers store it (inventory, audit log). */
export interface AcceptedHostKey {
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  /** ISO 8601 time of acceptance. */
  time: string;
  /** known_hosts file the key was appended to, when one was given. */
  recordedIn?: string;
}

/** Which endpoint a key belongs to, for lookups (address, port) and messages (name). */
export interface HostKeySubject {
  name: string;
  address: string;
  port: number;
}

export interface HostKeyCheckOptions {
  /** recordAcceptedKey appends an accept-new key here (created 0600 if missing). Without it the key is accepted
   * but not written. checkHostKey itself never writes. */
  recordFile?: string;
  /** Write the recorded host name hashed. */
  hashRecorded?: boolean;
  now?: () => Date;
}

export interface HostKeyDecision {
  acceptedBy: 'known_hosts' | 'pinned' | 'accept_new';
  keyType: string;
  fingerprint: string;
  acceptedNewKey?: AcceptedHostKey;
  /** accept-new: the key blob, for recordAcceptedKey once the connection is established. */
  newKeyBlob?: Buffer;
  /** known_hosts lines skipped while deciding ("file:line: why"). */
  notes: string[];
}

/** ssh2's default host key algorithms (Node 20 has Ed25519), in its order. */
const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/**
 * Decides whether `keyBlob`, presented by `subject`, may be trusted under `policy`. Order: a revoked key is
 * refused; a pinned fingerprint decides when set; then known_hosts (match accepts, any other key for the host is a
 * change); an unknown host is accepted only with acceptNew. Throws host_key_revoked, host_key_changed or
 * host_key_unknown with a message that names the host and the fingerprints. Writes nothing: an accept-new
 * decision is recorded by recordAcceptedKey, once the connection it was made for is established.
 */
export async function checkHostKey(
  policy: HostKeyPolicy,
  subject: HostKeySubject,
  keyBlob: Buffer,
  opts: HostKeyCheckOptions = {},
): Promise<HostKeyDecision> {
  const keyType = keyTypeOfBlob(keyBlob) ?? 'unknown-key-type';
  const fingerprint = fingerprintSha256(keyBlob);
  const presented = `${keyType} ${fingerprint}`;
  const { entries, notes, missing } = await loadKnownHosts(policy.knownHostsFiles);
  const known = lookupIn(entries, notes, subject.address, subject.port, keyBlob);

  if (known.status === 'revoked') {
    throw new FoureyesError(
      'host_key_revoked',
      `host key of ${hostLabel(subject)} is revoked (${known.file}:${known.line}): ${presented}. Connection stopped before authentication.`,
      { host: subject.address, port: subject.port, presented: fingerprint },
    );
  }

  if (policy.pinnedFingerprint !== undefined) {
    const pin = policy.pinnedFingerprint.trim();
    if (!isSha256Fingerprint(pin)) {
      throw new FoureyesError('bad_input', `pinned host key fingerprint for ${hostLabel(subject)} is not "SHA256:<43 base64 characters>": "${pin.slice(0, 80)}"`);
    }
    if (pin === fingerprint) return { acceptedBy: 'pinned', keyType, fingerprint, notes };
    throw new FoureyesError(
      'host_key_changed',
      `host key of ${hostLabel(subject)} does not match the pinned fingerprint: expected ${pin}, presented ${presented}. ` +
        'Connection stopped before authentication. If the key was changed on purpose, check the new fingerprint with the host administrator and update the pin.',
      { host: subject.address, port: subject.port, expected: pin, presented: fingerprint },
    );
  }

  if (known.status === 'match') return { acceptedBy: 'known_hosts', keyType, fingerprint, notes };
  if (known.status === 'mismatch') {
    const expected = (known.expectedKeys ?? []).map((k) => `${k.keyType} ${k.fingerprint}`).join(', ');
    throw new FoureyesError(
      'host_key_changed',
      `host key of ${hostLabel(subject)} changed: expected ${expected} (${known.file}:${known.line}), presented ${presented}. ` +
        `Connection stopped before authentication. If the change is expected, remove the old entry from ${known.file} after checking the new fingerprint with the host administrator.`,
      { host: subject.address, port: subject.port, expected: (known.expected ?? []).join(','), presented: fingerprint },
    );
  }

  if (!policy.acceptNew) {
    const absent = missing.length ? ` (${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist)` : '';
    const where = policy.knownHostsFiles.length
      ? ` in ${policy.knownHostsFiles.join(', ')}${absent}`
      : ' (no known_hosts file configured)';
    throw new FoureyesError(
      'host_key_unknown',
      `host key of ${hostLabel(subject)} is not known${where}: ${presented}. ` +
        `To accept it, check this fingerprint with the host administrator, then pin it (${fingerprint}), add it to a known_hosts file, or allow accept-new for this host.`,
      { host: subject.address, port: subject.port, presented: fingerprint, keyType },
    );
  }

  const now = (opts.now ?? (() => new Date()))();
  const accepted: AcceptedHostKey = { host: subject.address, port: subject.port, keyType, fingerprint, time: now.toISOString() };
  return { acceptedBy: 'accept_new', keyType, fingerprint, acceptedNewKey: accepted, newKeyBlob: keyBlob, notes };
}

/**
 * Records an accept-new decision in `opts.recordFile` (one whole line, appended with a single O_APPEND write) and
 * notes the file in `decision.acceptedNewKey.recordedIn`. Called only once the connection is established (a key
 * seen on a connection that was cancelled or refused authentication is not recorded). Nothing is written once
 * `signal` has fired: it is checked again right before the write.
 */
export async function recordAcceptedKey(decision: HostKeyDecision, opts: HostKeyCheckOptions, signal?: AbortSignal): Promise<void> {
  const accepted = decision.acceptedNewKey;
  if (!accepted || !decision.newKeyBlob || !opts.recordFile) return;
  await appendKnownHost(opts.recordFile, accepted.host, accepted.port, accepted.keyType, decision.newKeyBlob, {
    hashed: opts.hashRecorded === true,
    ...(signal ? { signal } : {}),
  });
  accepted.recordedIn = opts.recordFile;
}

/**
 * Host key algorithms to offer: the types already recorded for this host first, so a host known by its RSA key is
 * not asked for its Ed25519 key (which would look like a change). This is what OpenSSH does too.
 */
export async function preferredHostKeyAlgorithms(policy: HostKeyPolicy, subject: HostKeySubject): Promise<string[]> {
  const { entries, notes } = await loadKnownHosts(policy.knownHostsFiles);
  const known = lookupIn(entries, notes, subject.address, subject.port, Buffer.alloc(0));
  const first = known.knownTypes.flatMap(algorithmsForKeyType).filter((a) => DEFAULT_HOST_KEY_ALGORITHMS.includes(a));
  return [...new Set([...first, ...DEFAULT_HOST_KEY_ALGORITHMS])];
}

/** The state a verifier leaves behind: the decision, or the error that refused the key. */
export interface VerifierOutcome {
  decision?: HostKeyDecision;
  error?: FoureyesError;
}

/**
 * An ssh2 `hostVerifier` (always set: ssh2 accepts any key without one). ssh2 calls it during key exchange,
 * before any authentication request is sent, so a refusal here means no credential ever leaves this process.
 */
export function makeHostVerifier(
  policy: HostKeyPolicy,
  subject: HostKeySubject,
  opts: HostKeyCheckOptions,
  outcome: VerifierOutcome,
): (key: Buffer, verify: (ok: boolean) => void) => void {
  return (key, verify) => {
    checkHostKey(policy, subject, key, opts).then(
      (d) => {
        outcome.decision = d;
        verify(true);
      },
      (e: unknown) => {
        outcome.error =
          e instanceof FoureyesError ? e : new FoureyesError('internal', `host key check for ${hostLabel(subject)} failed: ${(e as Error).message}`);
        verify(false);
      },
    );
  };
}
