import { createHash } from 'node:crypto';
import { nameText } from '../../shared/facts/names.js';
import { decodeTarget } from '../../shared/text/target-text.js';
import type { CommandFactDef, FileFactDef, FileSetFactDef, PathsFactDef } from '../../shared/facts/registry.js';
import type { SecretRule } from '../../shared/facts/secrets.js';
import type { CommandFact, Fact, FileFact, FileSetFact, FileStat, PathsFact } from '../../shared/facts/snapshot.js';
import type { FieldData } from './field.js';
import type { RawEntry, RawFrame } from './frames.js';
import { splitRecords } from './walk.js';

const DETAIL_MAX = 300;

/** Target bytes as a target string (shared/text/target-text.ts): UTF-8, each invalid byte kept (never U+FFFD). */
export function decodeText(bytes: Buffer): string {
  return decodeTarget(bytes);
}

/** Cuts a field at `max` bytes; `truncated` when the target had more. */
function capped(d: FieldData | undefined, max: number): { text: string; truncated: boolean } {
  if (!d) return { text: '', truncated: false };
  const truncated = d.overflow || d.bytes.length > max;
  return { text: decodeText(truncated ? d.bytes.subarray(0, max) : d.bytes), truncated };
}

const TYPE_BITS: Record<number, FileStat['type']> = { 0o100000: 'file', 0o040000: 'dir', 0o120000: 'link' };

/** Parses the collector's `stat -c '%f %a %u %g %s\n%U\n%G'` output; undefined when it is not that. */
export function parseStat(text: string): FileStat | undefined {
  const lines = text.split('\n');
  const nums = (lines[0] ?? '').split(' ');
  if (nums.length !== 5 || lines.length < 3) return undefined;
  const [rawHex, octal, uid, gid, size] = nums as [string, string, string, string, string];
  if (!/^[0-9a-f]{1,8}$/.test(rawHex) || !/^[0-7]{1,6}$/.test(octal)) return undefined;
  if (![uid, gid, size].every((n) => /^[0-9]{1,20}$/.test(n))) return undefined;
  const raw = parseInt(rawHex, 16);
  return {
    type: TYPE_BITS[raw & 0o170000] ?? 'other',
    mode: parseInt(octal, 8) & 0o7777,
    uid: Number(uid),
    gid: Number(gid),
    user: (lines[1] ?? '').slice(0, 256),
    group: (lines[2] ?? '').slice(0, 256),
    size: Number(size),
  };
}

/** Why a file's content is missing when the collector withheld it. */
const WITHHELD_DETAIL = 'content not sent: the target could not look for secrets in it (no grep, or no awk)';

function entryToFile(e: RawEntry, path: string, def: FileFactDef | FileSetFactDef, privileged: boolean): FileFact {
  const maxBytes = def.maxBytes;
  const rule: SecretRule | undefined = def.secrets;
  const f: FileFact = { kind: 'file', path, exists: false };
  if (e.stat) {
    f.exists = true;
    const st = parseStat(decodeText(e.stat.bytes));
    if (st) f.stat = st;
    else {
      f.problem = 'error';
      f.detail = 'stat failed on the target';
    }
  } else if (!e.absent && !e.denied) {
    f.problem = 'error';
    f.detail = 'no status reported for this file';
  }
  // A hash of a file with a secret rule is never kept, whoever sent it.
  if (e.sha && !rule) f.sha256 = e.sha;
  if (e.content && maxBytes > 0 && !e.withheld) {
    const c = capped(e.content, maxBytes);
    f.content = c.text;
    // Redacted content is not as long as the file: the file's own size tells whether it was cut.
    f.contentTruncated = c.truncated || (rule !== undefined && f.stat !== undefined && f.stat.size > maxBytes);
    if (rule) f.secret = 'values';
    // A file that fits its cap arrives whole without a hash from the target (plain or through sudo): its hash is
    // computed here. Never of redacted content: it is not the file's, and a fact with a secret rule keeps no hash.
    else if (!e.sha && !c.truncated && !e.content.invalid) f.sha256 = createHash('sha256').update(e.content.bytes).digest('hex');
  }
  if (rule?.kind === 'file' && f.exists) f.secret = 'file';
  if (e.withheld === 'key') f.secret = 'key';
  if (e.withheld === 'unchecked') {
    f.secret = 'unchecked';
    f.problem = 'error';
    f.detail = WITHHELD_DETAIL;
  }
  if (e.denied) {
    f.problem = 'denied';
    f.detail = f.exists
      ? `not readable${privileged ? '' : ' without root'}`
      : `a directory above it is not searchable${privileged ? '' : ' without root'}`;
  }
  return f;
}

function fileFact(fr: RawFrame, def: FileFactDef, privileged: boolean): FileFact {
  const e = fr.entries[0];
  if (!e) return { kind: 'file', path: def.path, exists: false, problem: 'error', detail: 'no file entry in the frame' };
  // The path is ours (registry); the echoed one only matters for filesets.
  return entryToFile(e, def.path, def, privileged);
}

function fileSetFact(fr: RawFrame, def: FileSetFactDef, privileged: boolean): FileSetFact {
  const files = fr.entries.map((e) => entryToFile(e, nameText(e.path?.bytes ?? Buffer.alloc(0)), def, privileged));
  const f: FileSetFact = { kind: 'fileset', patterns: [...def.patterns], files };
  if (fr.more) f.truncated = true;
  const deniedFiles = def.maxBytes > 0 ? files.filter((x) => x.problem === 'denied').length : 0;
  if (fr.deniedPatterns.length > 0 || deniedFiles > 0) {
    f.problem = 'denied';
    const parts = fr.deniedPatterns.map((i) => `cannot list ${def.patterns[i] ?? '?'}`);
    if (deniedFiles > 0) parts.push(`${deniedFiles} file(s) not readable`);
    f.detail = `${parts.join('; ')}${privileged ? '' : ' (not root)'}`;
  }
  return f;
}

export const DENIED_RE = /permission denied|operation not permitted|must be root|are not root|requires root|superuser/i;

function commandFact(fr: RawFrame, def: CommandFactDef, privileged: boolean): CommandFact {
  if (fr.missing) {
    return { kind: 'command', exitCode: null, stdout: '', stderr: '', problem: 'missing', detail: `none of ${def.requires.join(', ')} found` };
  }
  const out = capped(fr.stdout, def.maxBytes);
  const err = capped(fr.stderr, def.maxBytes);
  const f: CommandFact = { kind: 'command', exitCode: fr.rc ?? null, stdout: out.text, stderr: err.text };
  if (out.truncated) f.stdoutTruncated = true;
  if (err.truncated) f.stderrTruncated = true;
  if (fr.timeout) {
    f.problem = 'timeout';
    f.detail = 'the command hit the per-command time limit';
  } else if (fr.rc === undefined) {
    f.problem = 'error';
    f.detail = 'no exit status reported';
  } else if (fr.rc !== 0 && ((def.privileged && !privileged) || DENIED_RE.test(err.text.slice(0, 4096)))) {
    f.problem = 'denied';
    f.detail = err.text.trim().slice(0, DETAIL_MAX) || `exit status ${fr.rc}${privileged ? '' : ' (not root)'}`;
  }
  return f;
}

/** Turns one frame into its fact. Framing problems (unclosed, corrupt) become problem 'error'. */
export function frameToFact(fr: RawFrame, privileged: boolean): Fact {
  const def = fr.def;
  if (def.kind === 'walk' || def.kind === 'paths') {
    return { kind: 'command', exitCode: null, stdout: '', stderr: '', problem: 'error', detail: 'a walk frame is not one fact' };
  }
  const fact: Fact =
    def.kind === 'file' ? fileFact(fr, def, privileged) : def.kind === 'fileset' ? fileSetFact(fr, def, privileged) : commandFact(fr, def, privileged);
  if (!fr.closed || fr.corrupt) {
    fact.problem = 'error';
    fact.detail = fr.corrupt ? `damaged frame: ${fr.corrupt}` : 'frame did not close (output cut off?)';
  }
  return fact;
}

/**
 * The paths facts the walk frame serves, one per fact in `facts`: each name once, exact (lossless text form), in
 * byte order. The walk's problems (find missing, timeout, damaged or unclosed frame) are each fact's problem.
 */
export function walkToFacts(fr: RawFrame, facts: readonly [string, PathsFactDef][]): Record<string, PathsFact> {
  const out: Record<string, PathsFact> = {};
  const stdout = fr.stdout?.bytes ?? Buffer.alloc(0);
  const overflow = fr.stdout?.overflow === true || stdout.length > fr.def.maxBytes;
  const rec = splitRecords(overflow ? stdout.subarray(0, fr.def.maxBytes) : stdout, facts);
  const err = decodeText(fr.stderr?.bytes ?? Buffer.alloc(0)).trim().slice(0, DETAIL_MAX);
  for (const [id] of facts) {
    const f: PathsFact = { kind: 'paths', paths: (rec.names.get(id) ?? []).map(nameText) };
    if (overflow || rec.cut || rec.dropped.has(id)) f.truncated = true;
    if (fr.rc !== undefined && fr.rc !== 0) f.incomplete = true;
    if (fr.missing) {
      f.problem = 'missing';
      f.detail = 'find not found on the target';
    } else if (fr.timeout) {
      f.problem = 'timeout';
      f.detail = 'the file-system walk hit the per-command time limit';
    } else if (!fr.closed || fr.corrupt || rec.malformed) {
      f.problem = 'error';
      f.detail = fr.corrupt
        ? `damaged frame: ${fr.corrupt}`
        : rec.malformed
          ? 'the walk output holds a record that is not a listed name'
          : 'frame did not close (output cut off?)';
    } else if (fr.rc === undefined) {
      f.problem = 'error';
      f.detail = 'no exit status reported';
    } else if (err !== '') f.detail = err;
    out[id] = f;
  }
  return out;
}
