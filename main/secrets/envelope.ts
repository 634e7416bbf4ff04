/**
 * What is encrypted for a stored secret: the secret together with where it may be sent (host id, purpose, address,
 * port, user and, for a login secret, the login method). Opening checks that binding against the host as it is
 * now, so a ciphertext moved to another host's row, or a host whose address was changed behind the services' back,
 * never sends the secret elsewhere. The cipher (OS keychain) does the cryptography; this is only the plaintext's
 * layout. The clear secret exists in memory only, never in a return value that is stored or logged.
 */
import { z } from 'zod';
import type { SecretPurpose } from '../../shared/api/schemas/secrets.js';
import type { Host } from '../../shared/model/workspace.js';
import type { SecretCipher } from './policy.js';

/** The endpoint facts a stored secret is bound to. */
export type SecretBinding = Record<string, string | number>;

/** The binding of a host's secret: login secrets also depend on the login method (key file, password). */
export function bindingOf(
  host: Pick<Host, 'id' | 'address' | 'port' | 'user' | 'auth'>,
  purpose: SecretPurpose,
): SecretBinding {
  return {
    hostId: host.id,
    purpose,
    address: host.address,
    port: host.port,
    user: host.user,
    ...(purpose === 'login' ? { auth: canonical(host.auth) } : {}),
  };
}

/** JSON with object keys sorted, so equal values give equal text whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const EnvelopeSchema = z.strictObject({
  v: z.literal(1),
  b: z.record(z.string(), z.union([z.string(), z.number()])),
  s: z.string().min(1),
});

/** Encrypts `secret` bound to `binding`. */
export function sealSecret(cipher: SecretCipher, binding: SecretBinding, secret: string): Buffer {
  return cipher.encrypt(JSON.stringify({ v: 1, b: binding, s: secret }));
}

export type OpenedSecret =
  | { ok: true; secret: string }
  /** undecryptable: the keychain cannot decrypt it (another key, damaged); elsewhere: bound to another endpoint. */
  | { ok: false; why: 'undecryptable' | 'elsewhere' };

/** Decrypts a stored secret and checks it was stored for `binding`. Never throws. */
export function openSecret(cipher: SecretCipher, blob: Buffer, binding: SecretBinding): OpenedSecret {
  let text: string;
  try {
    text = cipher.decrypt(blob);
  } catch {
    return { ok: false, why: 'undecryptable' };
  }
  let parsed: z.infer<typeof EnvelopeSchema>;
  try {
    const r = EnvelopeSchema.safeParse(JSON.parse(text));
    if (!r.success) return { ok: false, why: 'undecryptable' };
    parsed = r.data;
  } catch {
    return { ok: false, why: 'undecryptable' };
  }
  if (canonical(parsed.b) !== canonical(binding)) return { ok: false, why: 'elsewhere' };
  return { ok: true, secret: parsed.s };
}
