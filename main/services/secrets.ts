/**
 * Secrets kept between runs (secret.status, secret.remember, secret.forget). A secret is stored only when the
 * launcher handed over a cipher (the OS keychain protects its key); otherwise remember is refused, saying why, and
 * every secret is asked for at scan start. What is stored is the keychain's ciphertext of the secret bound to the
 * host's endpoint (main/secrets/envelope.ts); no value ever comes back out of this service.
 */
import type { SecretPurpose } from '../../shared/api/schemas/secrets.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { Host } from '../../shared/model/workspace.js';
import type { SecretService } from '../api/services.js';
import { bindingOf, sealSecret } from '../secrets/envelope.js';
import type { SecretCipher, SecretStorageDecision } from '../secrets/policy.js';
import type { Workspace } from '../store/db.js';
import { isLocalHost } from './local.js';
import { localUserName } from '../ssh/paths.js';

export interface SecretStorage {
  cipher: SecretCipher | null;
  decision: SecretStorageDecision;
}

/**
 * Secrets a host change makes stale: they were typed for another machine or account (address, port, user) or
 * another login method (auth: the password or passphrase belonged to it), and must not be sent to the new one.
 */
export function staleSecrets(before: Host, after: Host): SecretPurpose[] {
  const endpoint =
    before.address !== after.address || before.port !== after.port || before.user !== after.user;
  if (endpoint) return ['login', 'sudo'];
  return JSON.stringify(before.auth) !== JSON.stringify(after.auth) ? ['login'] : [];
}

/** Why a host cannot use a secret of this purpose, or null when it can (the same rule as the scan screen's). */
function unusable(h: Host, purpose: SecretPurpose): string | null {
  if (isLocalHost(h)) return `host ${h.name} is this machine, scanned without SSH: it uses no secret`;
  if (purpose === 'login' && h.auth.type === 'agent')
    return `host ${h.name} logs in with the SSH agent: it has no login secret to store`;
  if (purpose === 'sudo' && h.privilege !== 'sudo')
    return `host ${h.name} does not use sudo with a password (privilege ${h.privilege}): no sudo password to store`;
  return null;
}

export function secretService(
  ws: Workspace,
  storage: SecretStorage,
  who: () => string = () => localUserName('unknown user'),
): SecretService {
  const { cipher, decision } = storage;
  return {
    status: ({ engagementId }) => {
      ws.engagements.require(engagementId);
      return {
        persistent: cipher !== null,
        detail: decision.detail,
        stored: ws.secrets.listForEngagement(engagementId),
      };
    },
    remember: ({ hostId, purpose, secret }) => {
      if (!cipher)
        throw new FoureyesError('bad_input', `secrets cannot be stored on this machine: ${decision.detail}`);
      const host = ws.hosts.require(hostId);
      ws.engagements.requireWritable(host.engagementId);
      const why = unusable(host, purpose);
      if (why !== null) throw new FoureyesError('bad_input', why);
      let blob: Buffer;
      try {
        blob = sealSecret(cipher, bindingOf(host, purpose), secret);
      } catch (e) {
        // The keychain's own message (locked, refused); it never contains the secret.
        const reason = e instanceof Error ? e.message : String(e);
        throw new FoureyesError(
          'internal',
          `the OS keychain could not encrypt the secret for host ${host.name}: ${reason}`,
        );
      }
      return ws.secrets.put(hostId, purpose, blob, who());
    },
    forget: ({ hostId, purpose }) => {
      ws.hosts.require(hostId);
      return { hostId, forgotten: ws.secrets.forget(hostId, purpose) };
    },
  };
}
