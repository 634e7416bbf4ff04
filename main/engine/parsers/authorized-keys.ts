/**
 * authorized_keys lines (sshd(8) AUTHORIZED_KEYS FILE FORMAT): optional options, the key type, the base64 key and
 * a comment. The key blob is decoded only to read the RSA modulus size; nothing else of it is kept or shown.
 */
import { splitLines } from './text.js';

export interface AuthorizedKey {
  line: number;
  /** Key type as written (`ssh-ed25519`, `ssh-rsa`, `sk-ssh-ed25519@openssh.com`, ...). */
  type: string;
  /** RSA modulus bits (from the key blob); null for other types or an unreadable blob. */
  bits: number | null;
  /** The line starts with options (`from=`, `command=`, `restrict`, ...). */
  options: string | null;
  /** The line's comment (usually user@host). */
  comment: string;
}

export interface AuthorizedKeysFile {
  keys: AuthorizedKey[];
  /** Lines that are neither blank, comments nor a key line. */
  malformed: { line: number; text: string }[];
}

/** Key types sshd accepts in authorized_keys (certificates as their `-cert-v01@openssh.com` forms). */
const TYPE =
  /^(ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp(?:256|384|521)|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com|(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp(?:256|384|521)|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256))-cert-v01@openssh\.com)$/;

/** The SSH wire strings of a base64 key blob (RFC 4251 5: uint32 length, bytes), at most `max`; null if malformed. */
function wireFields(base64: string, max: number): Buffer[] | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return null;
  const b = Buffer.from(base64, 'base64');
  const out: Buffer[] = [];
  let at = 0;
  while (out.length < max) {
    if (at + 4 > b.length) return null;
    const n = b.readUInt32BE(at);
    at += 4;
    if (n > b.length - at) return null;
    out.push(b.subarray(at, at + n));
    at += n;
  }
  return out;
}

/** Significant bits of an mpint. */
function mpintBits(n: Buffer): number {
  let i = 0;
  while (i < n.length && n[i] === 0) i++;
  return i === n.length ? 0 : (n.length - i - 1) * 8 + (32 - Math.clz32(n[i] as number));
}

/**
 * RSA modulus size of a key blob: `ssh-rsa` is string type, mpint e, mpint n (RFC 4253 6.6); its certificate
 * form has a nonce before e and n (PROTOCOL.certkeys).
 */
export function rsaBits(type: string, base64: string): number | null {
  const cert = type === 'ssh-rsa-cert-v01@openssh.com';
  const f = wireFields(base64, cert ? 4 : 3);
  if (!f || f[0]?.toString('latin1') !== type) return null;
  return mpintBits(f[cert ? 3 : 2] as Buffer);
}

/** Splits off a leading options field: options are comma-separated, a quoted value may hold spaces. */
function splitOptions(text: string): { options: string | null; rest: string } {
  const first = /^\S+/.exec(text)?.[0] ?? '';
  if (TYPE.test(first)) return { options: null, rest: text };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ' ' || c === '\t'))
      return { options: text.slice(0, i), rest: text.slice(i).trimStart() };
  }
  return { options: text, rest: '' };
}

export function parseAuthorizedKeys(content: string): AuthorizedKeysFile {
  const out: AuthorizedKeysFile = { keys: [], malformed: [] };
  for (const { n, text } of splitLines(content)) {
    const t = text.trim();
    if (t === '' || t.startsWith('#')) continue;
    const { options, rest } = splitOptions(t);
    const m = /^(\S+)\s+(\S+)\s*(.*)$/.exec(rest);
    if (!m || !TYPE.test(m[1] as string)) {
      out.malformed.push({ line: n, text });
      continue;
    }
    const type = m[1] as string;
    out.keys.push({
      line: n,
      type,
      bits: type.startsWith('ssh-rsa') ? rsaBits(type, m[2] as string) : null,
      options,
      comment: m[3] ?? '',
    });
  }
  return out;
}

/** The account an authorized_keys file belongs to, from its path and the accounts' home directories. */
export function keysOwner(path: string, homes: ReadonlyMap<string, string>): string | null {
  const central = /^\/etc\/ssh\/authorized_keys\/([^/]+)$/.exec(path);
  if (central) return central[1] as string;
  const m = /^(.*)\/\.ssh\/authorized_keys2?$/.exec(path);
  if (!m) return null;
  return homes.get(m[1] as string) ?? null;
}
