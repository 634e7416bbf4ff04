/**
 * Secrets on the target never cross the wire. The collector deals with them on the target, before anything is
 * encoded (main/collector/script-lib.ts: `_sniff`, `_red`, `_ssz`), on every read path (plain, as root, through
 * restricted sudo):
 * - a fact with a `keys` or `options` rule is sent with the value of every listed key replaced by REDACTED, so a
 *   check still sees that a value is set (an empty value stays empty); no hash of such a file is sent (with the
 *   rest of the file known, the hash of a short password would be a way to test guesses);
 * - a fact with a `file` rule (the whole file is a password, e.g. /etc/ldap.secret) is never read or hashed; its
 *   stat goes with the size reduced to 0 (empty) or 1 (not empty);
 * - any content that holds private key material (a PEM, OpenSSH or PuTTY private key anywhere in it, or a
 *   Kerberos keytab) is not sent: stat and hash only. Content the target cannot check (no grep, or no awk for a
 *   rule) is not sent either.
 */
import { FoureyesError } from '../model/errors.js';

/** The text that stands for a secret value in collected content. */
export const REDACTED = '[REDACTED]';

/** A fact's secrets, as its registry entry declares them. */
export type SecretRule =
  /**
   * Lines `key = value`, `key: value` or `key value`, also when commented out (`#`, `;`): the value of a key that
   * matches `keys` (globs with `*`, compared in lower case) and none of `keep` becomes REDACTED, and so do the
   * indented lines without `=` that follow it (an INI value continued on the next line).
   */
  | { kind: 'keys'; keys: readonly string[]; keep?: readonly string[] }
  /** `key=value` options anywhere in a line, separated by blanks or commas (mount options): the value becomes REDACTED. */
  | { kind: 'options'; keys: readonly string[] }
  /** The whole file is a secret: never read or hashed; its size only as 0 (empty) or 1 (not empty). */
  | { kind: 'file' };

/**
 * What the collector kept back of one file:
 * - `values`: the content came with its secret values replaced by REDACTED;
 * - `key`: private key material, content not sent (stat and hash only);
 * - `file`: the whole file is a secret: not read, not hashed, stat size only 0 (empty) or 1 (not empty);
 * - `unchecked`: content not sent because the target could not look for secrets in it (no grep, or no awk).
 */
export type SecretKept = 'values' | 'key' | 'file' | 'unchecked';

/** The `withheld` reasons the collector sends (see protocol.ts). */
export const WITHHELD_REASONS = ['key', 'unchecked'] as const;

const KEY_GLOB_RE = /^[a-z0-9_.*-]{1,64}$/;

/**
 * Key globs as one anchored POSIX ERE for awk, e.g. `^(bindpw|.*_password)$`. Only lower-case letters, digits,
 * `_ . -` and `*`: the result holds no backslash or quote (awk's -v would rewrite a backslash).
 */
export function keysRegex(globs: readonly string[]): string {
  if (globs.length === 0) return '';
  for (const g of globs) if (!KEY_GLOB_RE.test(g)) throw new FoureyesError('internal', `secret key glob "${g}" is not lower-case letters, digits, _ . - and *`);
  return `^(${globs.map((g) => g.replace(/\./g, '[.]').replace(/\*/g, '.*')).join('|')})$`;
}

/** True when a value as collected is the redaction marker (the target had a non-empty value there). */
export function isRedacted(value: string): boolean {
  return value.trim() === REDACTED;
}

/** The lines of collected text where the collector replaced a secret value (1-based line numbers). */
export function redactedLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  if (!text.includes(REDACTED)) return out;
  text.split('\n').forEach((t, i) => {
    if (t.includes(REDACTED)) out.push({ line: i + 1, text: t.replace(/\r$/, '') });
  });
  return out;
}

/** A line that says why a file's content is missing, for views that list contents (none when it was sent). */
export function secretNote(kept: SecretKept | undefined): string | undefined {
  switch (kept) {
    case 'key':
      return '[content not collected: private key material; stat and hash only]';
    case 'file':
      return '[content not collected: the whole file is a secret; mode, owner and whether it is empty only]';
    case 'unchecked':
      return '[content not collected: the host could not check it for secrets]';
    default:
      return undefined;
  }
}
