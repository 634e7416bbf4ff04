/**
 * Secrets given at scan start (ScanStartInput.credentials), answered to the SSH layer for the host they were given
 * for; where none was given, the secret stored with secret.remember, decrypted only when the SSH layer asks for it
 * and only if it was stored for the host's current address, port, user and login method. They live in this
 * object's memory only while the scan runs (`clear()` drops them when it ends): never stored in clear, never logged,
 * never part of an event or an error. A host that asked for a secret nobody gave fails with an error saying which
 * secret for which host, instead of the transport's generic authentication error; so does a host whose stored
 * secret cannot be opened any more.
 */
import type { ScanCredential } from '../../shared/api/schemas/scans.js';
import type { SecretPurpose } from '../../shared/api/schemas/secrets.js';
import { FoureyesError, type ErrorInfo } from '../../shared/model/errors.js';
import type { Host } from '../../shared/model/workspace.js';
import { bindingOf, openSecret } from '../secrets/envelope.js';
import type { SecretCipher } from '../secrets/policy.js';
import type { SecretProvider } from '../transport/types.js';
import type { Workspace } from '../store/db.js';

type Purpose = Parameters<SecretProvider['get']>[0];

export interface ScanSecrets extends SecretProvider {
  /** The error to report for a host whose run failed (`chain`: its jump hosts' names, then its own). */
  explain(chain: readonly string[], info: ErrorInfo): ErrorInfo;
  /** Drops every secret; later questions get no answer. */
  clear(): void;
}

const WHAT: Record<Purpose, string> = {
  password: 'password',
  passphrase: 'key passphrase',
  sudo: 'sudo password',
};

/**
 * Checks the credentials against the scan's hosts and returns the provider for its runner. A credential may be for
 * a scanned host or for one of its jump hosts (which authenticate too); anything else is bad_input. `cipher`: opens
 * stored secrets; null leaves them unused.
 */
export function scanSecrets(
  ws: Workspace,
  hosts: readonly Host[],
  credentials: readonly ScanCredential[],
  cipher: SecretCipher | null = null,
): ScanSecrets {
  const allowed = new Map<string, string>();
  // The hosts as the scan's jobs were built from them: a stored secret must have been kept for exactly this endpoint.
  const hostByName = new Map<string, Host>();
  for (const h of hosts) {
    allowed.set(h.id, h.name);
    hostByName.set(h.name, h);
    for (const j of ws.hosts.jumpChain(h.id)) {
      allowed.set(j.id, j.name);
      hostByName.set(j.name, j);
    }
  }
  // Keyed by host name: that is what the SSH layer asks with (names are unique within an engagement).
  let byHost = new Map<string, { login?: string; sudo?: string }>();
  for (const c of credentials) {
    const name = allowed.get(c.hostId);
    if (name === undefined) {
      throw new FoureyesError(
        'bad_input',
        `a ${c.purpose} credential names host ${c.hostId}, which is not part of this scan`,
      );
    }
    const entry = byHost.get(name) ?? {};
    if (entry[c.purpose] !== undefined)
      throw new FoureyesError('bad_input', `two ${c.purpose} credentials for host ${name}`);
    entry[c.purpose] = c.secret;
    byHost.set(name, entry);
  }
  const missing = new Set<string>();
  /** Stored secrets that could not be used, with the reason to give. */
  const unusable = new Map<string, string>();
  const key = (purpose: Purpose, host: string) => `${purpose}\0${host}`;

  /** The stored secret for a host, decrypted now (kept with the scan's secrets until clear()). */
  const fromStore = (purpose: Purpose, hostName: string, p: SecretPurpose): string | undefined => {
    const host = hostByName.get(hostName);
    const blob = cipher && host ? ws.secrets.blob(host.id, p) : undefined;
    if (!cipher || !host || !blob) return undefined;
    const opened = openSecret(cipher, blob, bindingOf(host, p));
    if (!opened.ok) {
      unusable.set(
        key(purpose, hostName),
        opened.why === 'undecryptable'
          ? `stored ${WHAT[purpose]} for host ${hostName} can no longer be decrypted; forget it and give it again`
          : `stored ${WHAT[purpose]} for host ${hostName} was kept for another address, port, user or login method; ` +
              'forget it and give it again',
      );
      return undefined;
    }
    const entry = byHost.get(hostName) ?? {};
    entry[p] = opened.secret;
    byHost.set(hostName, entry);
    return opened.secret;
  };

  return {
    get: (purpose, hostName) => {
      const p: SecretPurpose = purpose === 'sudo' ? 'sudo' : 'login';
      const secret = byHost.get(hostName)?.[p] ?? fromStore(purpose, hostName, p);
      if (secret === undefined) missing.add(key(purpose, hostName));
      return Promise.resolve(secret);
    },
    explain: (chain, info) => {
      // Only failures a missing secret explains: authentication (login), or sudo refusing to go on without one.
      const purposes: Purpose[] =
        info.code === 'auth_failed' ? ['password', 'passphrase'] : info.code === 'privilege' ? ['sudo'] : [];
      for (const host of chain) {
        const p = purposes.find((x) => missing.has(key(x, host)));
        if (p)
          return {
            code: info.code,
            message:
              unusable.get(key(p, host)) ??
              `${WHAT[p]} needed for host ${host}: give it when starting the scan`,
          };
      }
      return info;
    },
    clear: () => {
      byHost = new Map();
      missing.clear();
      unusable.clear();
    },
  };
}
