import { createHmac } from 'node:crypto';
import { fingerprintSha256, keyTypeOfBlob } from './key-blob.js';

/**
 * Parsing and host matching for OpenSSH known_hosts files (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"):
 *   [@marker] hostpatterns keytype base64-key [comment]
 * hostpatterns is either a comma-separated list of patterns (`*` and `?` wildcards, `!` negation,
 * `[host]:port` for non-default ports) or one hashed entry `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`.
 */

export type HostSpec =
  | { kind: 'hashed'; salt: Buffer; hash: Buffer }
  | { kind: 'patterns'; patterns: { negated: boolean; pattern: string }[] };

export interface KnownHostEntry {
  file: string;
  line: number;
  marker?: 'revoked';
  hosts: HostSpec;
  keyType: string;
  keyBlob: Buffer;
  fingerprint: string;
}

export interface ParsedKnownHosts {
  entries: KnownHostEntry[];
  /** Lines skipped, as "file:line: why" (bad lines, unsupported @cert-authority lines). */
  notes: string[];
}

const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise; always lower case. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** Parses one file's text. Never throws: a line that cannot be used is skipped and named in `notes`. */
export function parseKnownHosts(text: string, file: string): ParsedKnownHosts {
  const entries: KnownHostEntry[] = [];
  const notes: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').replace(/\r$/, '').trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const where = `${file}:${i + 1}`;
    const r = parseLine(raw, file, i + 1);
    if (typeof r === 'string') notes.push(`${where}: ${r}`);
    else entries.push(r);
  }
  return { entries, notes };
}

function parseLine(raw: string, file: string, line: number): KnownHostEntry | string {
  const fields = raw.split(/[ \t]+/);
  let marker: KnownHostEntry['marker'];
  if (fields[0]?.startsWith('@')) {
    const m = fields.shift();
    if (m === '@cert-authority') return '@cert-authority lines are not supported (line ignored)';
    if (m !== '@revoked') return `unknown marker "${clip(m ?? '')}" (line ignored)`;
    marker = 'revoked';
  }
  const [hostField, keyType, keyB64] = fields;
  if (!hostField || !keyType || !keyB64) return 'expected "hosts keytype key" (line ignored)';
  const hosts = parseHostField(hostField);
  if (typeof hosts === 'string') return hosts;
  if (!BASE64_RE.test(keyB64)) return 'key is not base64 (line ignored)';
  const keyBlob = Buffer.from(keyB64, 'base64');
  const inner = keyTypeOfBlob(keyBlob);
  if (inner === undefined) return 'key data is malformed (line ignored)';
  if (inner !== keyType) return `key type "${clip(keyType)}" does not match the key data ("${inner}") (line ignored)`;
  return { file, line, ...(marker ? { marker } : {}), hosts, keyType, keyBlob, fingerprint: fingerprintSha256(keyBlob) };
}

function parseHostField(field: string): HostSpec | string {
  if (field.startsWith('|')) {
    const parts = field.split('|');
    // "", "1", salt, hash
    if (parts.length !== 4 || parts[1] !== '1') return 'unsupported hashed host format (line ignored)';
    const [, , s = '', h = ''] = parts;
    if (!BASE64_RE.test(s) || !BASE64_RE.test(h)) return 'hashed host is not base64 (line ignored)';
    const salt = Buffer.from(s, 'base64');
    const hash = Buffer.from(h, 'base64');
    if (salt.length !== 20 || hash.length !== 20) return 'hashed host has the wrong length (line ignored)';
    return { kind: 'hashed', salt, hash };
  }
  const patterns = field
    .split(',')
    .filter((p) => p !== '')
    .map((p) => (p.startsWith('!') ? { negated: true, pattern: p.slice(1).toLowerCase() } : { negated: false, pattern: p.toLowerCase() }));
  if (patterns.length === 0 || patterns.some((p) => p.pattern === '')) return 'empty host pattern (line ignored)';
  return { kind: 'patterns', patterns };
}

/** Does this entry's host field cover `name` (from knownHostsName)? Negation wins over any positive match. */
export function hostSpecMatches(spec: HostSpec, name: string): boolean {
  if (spec.kind === 'hashed') {
    return createHmac('sha1', spec.salt).update(name).digest().equals(spec.hash);
  }
  let positive = false;
  for (const p of spec.patterns) {
    if (!wildcardMatch(p.pattern, name)) continue;
    if (p.negated) return false;
    positive = true;
  }
  return positive;
}

/** OpenSSH match_pattern: `*` any run (also empty), `?` one character, everything else literal. */
export function wildcardMatch(pattern: string, s: string): boolean {
  // Iterative glob with backtracking to the last star: linear-ish, no regex built from input.
  let p = 0;
  let i = 0;
  let star = -1;
  let mark = 0;
  while (i < s.length) {
    const c = pattern[p];
    if (c === '?' || (c !== undefined && c !== '*' && c === s[i])) {
      p++;
      i++;
    } else if (c === '*') {
      star = p++;
      mark = i;
    } else if (star >= 0) {
      p = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

function clip(s: string): string {
  const clean = s.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}
