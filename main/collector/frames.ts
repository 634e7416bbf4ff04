import { FACTS, type FactDef } from '../../shared/facts/registry.js';
import { WITHHELD_REASONS } from '../../shared/facts/secrets.js';
import type { CollectionIssue } from '../../shared/facts/snapshot.js';
import { FoureyesError } from '../../shared/model/errors.js';
import { FieldAccumulator, type FieldData } from './field.js';
import { BOUNDARY_RE, FACT_ID_RE, inRegistry, PREAMBLE_TAG, WALK_ID, walkDef, type Encoding, type FactRegistry, type WalkDef } from './protocol.js';

/** One file as the collector reported it (a file fact has one, a fileset one per match). */
export interface RawEntry {
  path?: FieldData;
  stat?: FieldData;
  sha?: string;
  content?: FieldData;
  denied?: boolean;
  absent?: boolean;
  /** Command lines sudo ran to read this file (restricted sudo), as sudo resolved them. */
  sudo?: FieldData[];
  /** No command the sudo rules allow could read it. */
  nosudo?: boolean;
  /** Its content was kept on the target (shared/facts/secrets.ts): private key material, or not checkable. */
  withheld?: (typeof WITHHELD_REASONS)[number];
}

/** One fact frame, still as bytes. */
export interface RawFrame {
  id: string;
  /** The fact's definition, or the walk's (frame id WALK_ID). */
  def: FactDef | WalkDef;
  /** The `end` line arrived. */
  closed: boolean;
  /** Why the frame cannot be trusted (framing broken, invalid data, impossible sequence). */
  corrupt?: string;
  entries: RawEntry[];
  /** Indexes of fileset patterns whose directory we could not search or list. */
  deniedPatterns: number[];
  more?: boolean;
  missing?: boolean;
  timeout?: boolean;
  rc?: number;
  stdout?: FieldData;
  stderr?: FieldData;
  /** Restricted sudo: the command line run for a command fact, or used to list a fileset's directories. */
  sudo?: FieldData[];
  /** A command fact that no command the sudo rules allow could stand in for (it was not run). */
  nosudo?: boolean;
}

/** Everything recovered from one collector output. */
export interface RawCollection {
  boundary: string;
  version: number;
  encoding: Encoding;
  /** Fact ids named in the preamble (registry ids only). */
  requested: string[];
  /** Target clock (seconds since the epoch) when the script started, if it reported one. */
  clock?: number;
  /** The `done` line arrived. */
  done: boolean;
  /** The script read root-only facts through restricted sudo rules (`sudoreads`). */
  sudoReads?: boolean;
  /** The output's last line has no newline (cut off); it was not used. */
  endsMidLine: boolean;
  frames: Map<string, RawFrame>;
  /** The file-system walk's frame, when the output has one (it serves every requested paths fact). */
  walk?: RawFrame;
  issues: CollectionIssue[];
}

const MAX_HEADER = 1024;
const MAX_ISSUES = 100;
/** Slack over the registry caps: one byte tells truncation; paths and stat lines are small. */
const PATH_CAP = 8192;
const STAT_CAP = 2048;
const SHA_RE = /^[0-9a-f]{64}$/;
/** The words of a `pstat` header (the script sends only these; names of the set its `_pst` allows). */
const NAME_WORD = /^[A-Za-z0-9._-]{1,64}$/;
const PSTAT_RE = [/^[0-9a-f]{1,8}$/, /^[0-7]{1,6}$/, /^[0-9]{1,20}$/, /^[0-9]{1,20}$/, /^[0-9]{1,20}$/, NAME_WORD, NAME_WORD];
/** A path the script puts on an `epath` header line (the same set as its `case` pattern in `_ent`). */
const PLAIN_PATH_RE = /^\/[A-Za-z0-9._/+,=@%:-]{0,199}$/;
/** A sudo command line as `sudo -l` printed it (the script keeps 4096 bytes); a few per entry or fact. */
const SUDO_LINE_CAP = 4097;
const SUDO_LINES_MAX = 8;
const NUM_RE = /^[0-9]{1,10}$/;
const PREAMBLE_RE = /^([0-9a-f]{32,128}) foureyes-collector ([0-9]{1,4}) (b64|hex) ([a-z0-9_.,]{0,8000})$/;

class Issues {
  readonly list: CollectionIssue[] = [];
  private dropped = 0;
  add(factId: string, message: string): void {
    if (this.list.length < MAX_ISSUES) this.list.push({ factId, message });
    else this.dropped++;
  }
  done(): CollectionIssue[] {
    if (this.dropped > 0) this.list.push({ factId: '', message: `${this.dropped} further issues not listed` });
    return this.list;
  }
}

interface Line {
  start: number;
  end: number;
}

/** Finds the preamble; returns its line and the index just after it, or undefined. */
function findPreamble(buf: Buffer, boundary: string | undefined): { m: RegExpExecArray; lineStart: number; next: number } | undefined {
  const marker = Buffer.from(` ${PREAMBLE_TAG} `, 'latin1');
  let from = 0;
  for (;;) {
    const at = buf.indexOf(marker, from);
    if (at < 0) return undefined;
    const lineStart = buf.lastIndexOf(0x0a, at) + 1;
    const nl = buf.indexOf(0x0a, at);
    if (nl < 0) return undefined; // a preamble without its newline is a cut-off output: not enough to go on
    if (nl - lineStart <= 8400) {
      const text = buf.toString('latin1', lineStart, nl).replace(/\r$/, '');
      const m = PREAMBLE_RE.exec(text);
      if (m && (boundary === undefined || m[1] === boundary)) return { m, lineStart, next: nl + 1 };
    }
    from = nl + 1;
  }
}

/**
 * Splits collector output into fact frames. Never throws for damaged output (damage becomes `corrupt` frames and
 * issues); throws a `collector` FoureyesError only when no preamble (with `boundary`, when given) is present at all.
 * Linear in the input; memory bounded by the registry caps of the requested facts.
 */
export function readFrames(buf: Buffer, boundary?: string, registry: FactRegistry = FACTS): RawCollection {
  if (boundary !== undefined && !BOUNDARY_RE.test(boundary)) {
    throw new FoureyesError('collector', 'invalid collector boundary (expected 32 to 128 hex digits)');
  }
  const pre = findPreamble(buf, boundary);
  if (!pre) {
    const what = boundary === undefined ? 'no collector preamble found' : "no collector preamble with this run's boundary found";
    throw new FoureyesError('collector', `not Foureyes collector output (${what}; ${buf.length} bytes)`);
  }
  const issues = new Issues();
  const b = pre.m[1] as string;
  const encoding = pre.m[3] as Encoding;
  const requested: string[] = [];
  for (const id of (pre.m[4] as string).split(',')) {
    if (id === '') continue;
    if (!inRegistry(registry, id)) issues.add(id.slice(0, 64), 'unknown fact id in the preamble (ignored)');
    else if (!requested.includes(id)) requested.push(id);
  }
  // Text before the preamble (a login banner, a shell profile's output) is not ours and not used.
  if (pre.lineStart > 0) issues.add('', `${pre.lineStart} bytes before the collector preamble ignored`);

  const out: RawCollection = {
    boundary: b,
    version: Number(pre.m[2]),
    encoding,
    requested,
    done: false,
    endsMidLine: false,
    frames: new Map(),
    issues: issues.list,
  };
  const prefix = Buffer.from(`${b} `, 'latin1');
  const st = new ReaderState(out, issues, encoding, registry);
  let pos = pre.next;
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) {
      out.endsMidLine = true;
      issues.add('', 'output ends in the middle of a line (cut off); last line not used');
      break;
    }
    let end = nl;
    if (end > pos && buf[end - 1] === 0x0d) end--;
    st.line(buf, { start: pos, end }, prefix);
    pos = nl + 1;
  }
  st.finish();
  out.issues = issues.done();
  return out;
}

class ReaderState {
  private frame: RawFrame | undefined;
  /** Inside a frame that is being ignored (unknown, unrequested or duplicate id). */
  private skipping = false;
  private field: { acc: FieldAccumulator; set: (d: FieldData) => void; encoding: Encoding } | undefined;
  private stray = 0;
  private afterDone = 0;

  constructor(
    private readonly out: RawCollection,
    private readonly issues: Issues,
    private readonly encoding: Encoding,
    private readonly registry: FactRegistry,
  ) {}

  line(buf: Buffer, l: Line, prefix: Buffer): void {
    const len = l.end - l.start;
    const isHeader = len >= prefix.length && buf.compare(prefix, 0, prefix.length, l.start, l.start + prefix.length) === 0;
    if (!isHeader) {
      if (len === 0) return;
      if (this.out.done) this.afterDone++;
      else if (this.field) this.field.acc.add(buf.toString('latin1', l.start, Math.min(l.end, l.start + 4097)));
      else if (!this.skipping) this.stray++;
      return;
    }
    this.closeField();
    if (this.out.done) {
      this.afterDone++;
      return;
    }
    if (len > MAX_HEADER) {
      this.issues.add(this.frame?.id ?? '', 'over-long header line ignored');
      this.breakFrame('over-long header line');
      return;
    }
    const tokens = buf.toString('latin1', l.start + prefix.length, l.end).split(' ');
    this.header(tokens);
  }

  private header(t: string[]): void {
    const [tag = '', id = '', arg] = t;
    if (tag === 'sudoreads') {
      this.out.sudoReads = true;
      return;
    }
    if (tag === 'done' || tag === 'clock') {
      if (tag === 'clock' && id && NUM_RE.test(id)) this.out.clock = Number(id);
      if (tag === 'done') {
        this.closeFrame(false);
        this.out.done = true;
      }
      return;
    }
    if (!FACT_ID_RE.test(id)) {
      this.issues.add('', `malformed header line (tag "${tag.slice(0, 16)}") ignored`);
      return;
    }
    if (tag === 'begin') return this.begin(id, arg);
    if (this.skipping) return;
    const f = this.frame;
    if (!f || f.id !== id) {
      this.issues.add(id, `header "${tag.slice(0, 16)}" outside its fact frame ignored`);
      return;
    }
    if (tag === 'end') return this.closeFrame(true);
    this.mark(f, tag, arg, t);
  }

  private begin(id: string, kind: string | undefined): void {
    this.closeFrame(false);
    this.skipping = true;
    if (id === WALK_ID) return this.beginWalk(kind);
    if (!inRegistry(this.registry, id)) return this.issues.add(id, 'frame for an unknown fact id ignored');
    if (!this.out.requested.includes(id)) return this.issues.add(id, 'frame for a fact that was not requested ignored');
    if (this.out.frames.has(id)) return this.issues.add(id, 'duplicate frame ignored (the first one is kept)');
    const def = this.registry[id] as FactDef;
    if (def.kind === 'paths') return this.issues.add(id, `frame of its own for a paths fact ignored (paths arrive in the ${WALK_ID} frame)`);
    if (kind !== def.kind) return this.issues.add(id, `frame of kind "${String(kind).slice(0, 16)}" for a ${def.kind} fact ignored`);
    this.skipping = false;
    this.frame = { id, def, closed: false, entries: [], deniedPatterns: [] };
    this.out.frames.set(id, this.frame);
  }

  private beginWalk(kind: string | undefined): void {
    const def = walkDef(this.out.requested, this.registry);
    if (!def) return this.issues.add(WALK_ID, 'walk frame without a requested paths fact ignored');
    if (this.out.walk) return this.issues.add(WALK_ID, 'duplicate frame ignored (the first one is kept)');
    if (kind !== 'walk') return this.issues.add(WALK_ID, `walk frame of kind "${String(kind).slice(0, 16)}" ignored`);
    this.skipping = false;
    this.frame = { id: WALK_ID, def, closed: false, entries: [], deniedPatterns: [] };
    this.out.walk = this.frame;
  }

  private mark(f: RawFrame, tag: string, arg: string | undefined, t: string[]): void {
    const def = f.def;
    const last = f.entries[f.entries.length - 1];
    switch (tag) {
      case 'entry':
      case 'epath': {
        const limit = def.kind === 'file' ? 1 : def.kind === 'fileset' ? def.maxFiles : 0;
        if (f.entries.length >= limit) return this.breakFrame('more file entries than the fact allows');
        // epath: a plain path on the header line itself (the script sends only these characters there).
        if (tag === 'epath' && (arg === undefined || !PLAIN_PATH_RE.test(arg))) return this.breakFrame('malformed "epath"');
        const e: RawEntry = {};
        f.entries.push(e);
        if (tag === 'epath') {
          e.path = { bytes: Buffer.from(arg!, 'latin1'), overflow: false, invalid: false };
          return;
        }
        return this.openField(PATH_CAP, (d) => (e.path = d));
      }
      case 'stat':
      case 'content': {
        if (!last || last[tag] || def.kind === 'command' || def.kind === 'walk') return this.breakFrame(`unexpected "${tag}"`);
        if (tag === 'content' && last.withheld) return this.breakFrame('content of a file that was withheld');
        const cap = tag === 'stat' ? STAT_CAP : def.maxBytes + 1;
        return this.openField(cap, (d) => (last[tag] = d));
      }
      case 'pstat': {
        // A plain stat line on the header itself: `pstat ID hex octal uid gid size user group`.
        if (!last || last.stat || def.kind === 'command' || def.kind === 'walk') return this.breakFrame('unexpected "pstat"');
        const w = t.slice(2);
        if (w.length !== 7 || !PSTAT_RE.every((re, i) => re.test(w[i]!))) return this.breakFrame('malformed "pstat"');
        last.stat = { bytes: Buffer.from(`${w.slice(0, 5).join(' ')}\n${w[5]}\n${w[6]}`, 'latin1'), overflow: false, invalid: false };
        return;
      }
      case 'sha':
        if (!last || !arg || !SHA_RE.test(arg)) return this.breakFrame('malformed "sha"');
        last.sha = arg;
        return;
      case 'withheld': {
        const why = WITHHELD_REASONS.find((r) => r === arg);
        if (!last || !why || last.withheld || last.content) return this.breakFrame('malformed "withheld"');
        last.withheld = why;
        return;
      }
      case 'denied':
      case 'absent':
        if (!last) return this.breakFrame(`"${tag}" without a file entry`);
        last[tag] = true;
        return;
      case 'pdenied': {
        const n = Number(arg);
        if (def.kind !== 'fileset' || !arg || !NUM_RE.test(arg) || n >= def.patterns.length) return this.breakFrame('malformed "pdenied"');
        if (!f.deniedPatterns.includes(n)) f.deniedPatterns.push(n);
        return;
      }
      case 'more':
        f.more = true;
        return;
      case 'sudo':
      case 'lsudo': {
        // sudo: for the last file entry, or for a command fact; lsudo: a fileset directory listed through sudo.
        const onEntry = tag === 'sudo' && def.kind !== 'command';
        if (onEntry && !last) return this.breakFrame('"sudo" without a file entry');
        if (tag === 'lsudo' && def.kind !== 'fileset') return this.breakFrame('unexpected "lsudo"');
        const list = onEntry ? ((last as RawEntry).sudo ??= []) : (f.sudo ??= []);
        if (list.length >= SUDO_LINES_MAX) return this.breakFrame('too many sudo command lines');
        return this.openField(SUDO_LINE_CAP, (d) => list.push(d));
      }
      case 'nosudo':
        if (def.kind === 'command') f.nosudo = true;
        else if (last) last.nosudo = true;
        else return this.breakFrame('"nosudo" without a file entry');
        return;
      case 'missing':
      case 'timeout':
        if (def.kind !== 'command' && def.kind !== 'walk') return this.breakFrame(`unexpected "${tag}"`);
        f[tag] = true;
        return;
      case 'rc':
        if (!arg || !/^[0-9]{1,3}$/.test(arg) || f.rc !== undefined) return this.breakFrame('malformed "rc"');
        f.rc = Number(arg);
        return;
      case 'stdout':
      case 'stderr':
        if ((def.kind !== 'command' && def.kind !== 'walk') || f[tag]) return this.breakFrame(`unexpected "${tag}"`);
        // `stderr ID hex`: the collector capped and encoded the stderr with od, whatever the run's encoding.
        return this.openField(def.maxBytes + 1, (d) => (f[tag] = d), tag === 'stderr' && arg === 'hex' ? 'hex' : this.encoding);
      default:
        this.issues.add(f.id, `unknown header tag "${tag.slice(0, 16)}" ignored`);
    }
  }

  private openField(maxBytes: number, set: (d: FieldData) => void, encoding: Encoding = this.encoding): void {
    this.field = { acc: new FieldAccumulator(encoding, maxBytes), set, encoding };
  }

  private closeField(): void {
    if (!this.field) return;
    const { acc, set, encoding } = this.field;
    const d = acc.finish();
    set(d);
    this.field = undefined;
    if (d.invalid) this.breakFrame(`invalid ${encoding} data`);
  }

  private breakFrame(why: string): void {
    const f = this.frame;
    if (f && !f.corrupt) f.corrupt = why;
  }

  private closeFrame(byEnd: boolean): void {
    this.closeField();
    if (this.frame && byEnd) {
      this.frame.closed = true;
      const missing = missingParts(this.frame);
      if (missing) this.breakFrame(missing);
    }
    this.frame = undefined;
    this.skipping = false;
  }

  finish(): void {
    this.closeFrame(false);
    if (this.stray > 0) this.issues.add('', `${this.stray} stray lines outside any field ignored`);
    if (this.afterDone > 0) this.issues.add('', `${this.afterDone} lines after the end marker ignored`);
  }
}

/** What a closed frame lacks to be whole (the script died inside it), or undefined. */
function missingParts(f: RawFrame): string | undefined {
  if (f.def.kind === 'command' || f.def.kind === 'walk') {
    if (f.missing || f.nosudo) return undefined;
    return f.rc === undefined ? 'no exit status reported' : undefined;
  }
  if (f.def.kind === 'file' && f.entries.length === 0) return 'no file entry';
  const lost = f.entries.findIndex((e) => !e.stat && !e.absent && !e.denied);
  return lost >= 0 ? 'no status reported for a file' : undefined;
}
