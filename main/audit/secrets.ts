/**
 * Secrets never enter the trail: an audit record is refused when any of its text holds a PEM private key block or
 * any of its fields is named like a secret (password, passphrase, secret, token, private key). The trail is copied into
 * exports and review packages; what is refused here can never leak from there.
 */
import { FoureyesError } from '../../shared/model/errors.js';

/** A field named like a secret (an API token too); its value never goes into the trail nor a log. */
export const SECRET_NAME = /pass(?:word|phrase|wd)|secret|token|priv(?:ate)?[-_ ]?key/i;
/** A PEM private key block. */
export const PEM_PRIVATE = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/i;

/** Where in `value` a secret sits (`after.auth.password`), or undefined. */
export function secretAt(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return PEM_PRIVATE.test(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const at = secretAt(value[i], `${path}[${i}]`);
      if (at) return at;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const here = `${path}.${k}`;
      if (SECRET_NAME.test(k) || PEM_PRIVATE.test(k)) return here;
      const at = secretAt(v, here);
      if (at) return at;
    }
  }
  return undefined;
}

/** Throws when `record` holds a secret, naming where (never the value). */
export function refuseSecrets(record: Record<string, unknown>, action: string): void {
  for (const [k, v] of Object.entries(record)) {
    const at = secretAt(v, k);
    if (at)
      throw new FoureyesError(
        'bad_input',
        `audit event ${action} refused: ${at} looks like a secret (a password, passphrase or private key), which never goes into the trail`,
      );
  }
}
