import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FoureyesError } from '../../shared/model/errors.js';
import { throwIfAborted } from './abort.js';
import { hostSpecMatches, knownHostsName, parseKnownHosts, type KnownHostEntry } from './known-hosts-parse.js';
import { expandHome } from './paths.js';

export type KnownHostsStatus = 'match' | 'mismatch' | 'not_found' | 'revoked';

export interface KnownHostsResult {
  status: KnownHostsStatus;
  /** On mismatch: fingerprints ("SHA256:…") of the keys recorded for this host (any type). */
  expected?: string[];
  /** On mismatch: the same keys with their types. */
  expectedKeys?: { keyType: string; fingerprint: string }[];
  /** Where the deciding entry is (match, revoked, or the first entry for the host on mismatch). */
  file?: string;
  line?: number;
  /** Key types recorded for this host (used to prefer them when negotiating). */
  knownTypes: string[];
  /** Lines that were skipped, "file:line: why", and files that could not be read. */
  notes: string[];
}

/** known_hosts files larger than this are refused rather than read into memory. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Skipped lines named per file; beyond this many, one line says how many more there were. */
const MAX_NOTES_PER_FILE = 20;

/**
 * Reads and parses the files; a missing file is no error (it simply holds nothing) but is listed in `missing`, so a
 * refusal can say that the file the user named is not there. Any number of lines (a file of hundreds of thousands)
 * is read without deep recursion or argument spreading.
 */
export async function loadKnownHosts(
  files: readonly string[],
): Promise<{ entries: KnownHostEntry[]; notes: string[]; missing: string[] }> {
  const entries: KnownHostEntry[] = [];
  const notes: string[] = [];
  const missing: string[] = [];
  for (const f of files) {
    const path = expandHome(f);
    let text: string;
    try {
      const buf = await readFile(path);
      if (buf.length > MAX_FILE_BYTES) {
        notes.push(`${path}: larger than ${MAX_FILE_BYTES} bytes (file ignored)`);
        continue;
      }
      text = buf.toString('utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') missing.push(path);
      else notes.push(`${path}: cannot be read (${code ?? String(e)})`);
      continue;
    }
    const parsed = parseKnownHosts(text, path);
    for (const entry of parsed.entries) entries.push(entry);
    for (const note of parsed.notes.slice(0, MAX_NOTES_PER_FILE)) notes.push(note);
    const more = parsed.notes.length - MAX_NOTES_PER_FILE;
    if (more > 0) notes.push(`${path}: ${more} more line${more === 1 ? '' : 's'} skipped`);
  }
  return { entries, notes, missing };
}

/**
 * What the known_hosts files say about `presentedKey` (a public key blob) for host:port.
 * - revoked: a matching `@revoked` line names this key;
 * - match: a line for this host carries this key;
 * - mismatch: the host is known, but with other keys (of this or another type: both are treated as a change,
 *   stricter than OpenSSH, which callers offset by preferring known key types when negotiating);
 * - not_found: no line covers this host.
 */
export async function lookup(files: readonly string[], host: string, port: number, presentedKey: Buffer): Promise<KnownHostsResult> {
  const { entries, notes } = await loadKnownHosts(files);
  return lookupIn(entries, notes, host, port, presentedKey);
}

/** `lookup` over entries already loaded. */
export function lookupIn(entries: readonly KnownHostEntry[], notes: string[], host: string, port: number, presentedKey: Buffer): KnownHostsResult {
  const name = knownHostsName(host, port);
  const forHost = entries.filter((e) => hostSpecMatches(e.hosts, name));
  const knownTypes = [...new Set(forHost.filter((e) => !e.marker).map((e) => e.keyType))];
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.keyBlob.equals(presentedKey));
  if (revoked) return { status: 'revoked', file: revoked.file, line: revoked.line, knownTypes, notes };
  const plain = forHost.filter((e) => !e.marker);
  const hit = plain.find((e) => e.keyBlob.equals(presentedKey));
  if (hit) return { status: 'match', file: hit.file, line: hit.line, knownTypes, notes };
  const first = plain[0];
  if (!first) return { status: 'not_found', knownTypes, notes };
  const expectedKeys: { keyType: string; fingerprint: string }[] = [];
  for (const e of plain) {
    if (!expectedKeys.some((k) => k.fingerprint === e.fingerprint)) expectedKeys.push({ keyType: e.keyType, fingerprint: e.fingerprint });
  }
  const expected = expectedKeys.map((k) => k.fingerprint);
  return { status: 'mismatch', expected, expectedKeys, file: first.file, line: first.line, knownTypes, notes };
}

export interface AppendOptions {
  /** Write a hashed host name (`|1|salt|hash`) instead of the plain one. */
  hashed?: boolean;
  /** Nothing is written once this has fired (checked right before the write): rejects with `cancelled`. */
  signal?: AbortSignal;
}

/**
 * Records a key as OpenSSH would after "yes" or StrictHostKeyChecking=accept-new: one line appended. A new file is
 * created with mode 0600 (its directory 0700). The line (with a leading newline when the file lacks a final one)
 * goes out in one write(2) on an O_APPEND descriptor, so concurrent appenders never interleave inside it; a short
 * write (disk full) is cut off again, so a partial line is never left behind. Returns the line written.
 */
export async function appendKnownHost(
  file: string,
  host: string,
  port: number,
  keyType: string,
  keyBlob: Buffer,
  opts: AppendOptions = {},
): Promise<string> {
  if (!/^[\x21-\x7e]+$/.test(keyType)) throw new FoureyesError('bad_input', `invalid key type "${keyType}" for ${host}:${port}`);
  if (/[\s,]/.test(host) || host === '') throw new FoureyesError('bad_input', `invalid host name "${host}" for a known_hosts entry`);
  const path = expandHome(file);
  const name = knownHostsName(host, port);
  const hostField = opts.hashed ? hashedHost(name) : name;
  const line = `${hostField} ${keyType} ${keyBlob.toString('base64')}\n`;
  try {
    throwIfAborted(opts.signal, `recording the host key of ${host}:${port}`);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    throwIfAborted(opts.signal, `recording the host key of ${host}:${port}`);
    const fh = await open(path, 'a+', 0o600);
    try {
      const { size } = await fh.stat();
      let prefix = '';
      if (size > 0) {
        const last = Buffer.alloc(1);
        await fh.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) prefix = '\n';
      }
      const data = Buffer.from(prefix + line, 'utf8');
      throwIfAborted(opts.signal, `recording the host key of ${host}:${port}`);
      const { bytesWritten } = await fh.write(data, 0, data.length, null);
      if (bytesWritten !== data.length) {
        // Cut our partial line off again, unless someone appended after it (then cutting would lose their data).
        if ((await fh.stat()).size === size + bytesWritten) await fh.truncate(size);
        throw new Error(`short write (${bytesWritten} of ${data.length} bytes)`);
      }
    } finally {
      await fh.close();
    }
  } catch (e) {
    if (e instanceof FoureyesError) throw e;
    throw new FoureyesError('bad_input', `cannot record the host key of ${host}:${port} in ${path}: ${(e as Error).message}`);
  }
  return line.trimEnd();
}

function hashedHost(name: string): string {
  const salt = randomBytes(20);
  const hash = createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${hash.toString('base64')}`;
}
