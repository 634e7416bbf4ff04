/**
 * What a view shows of untrusted text, as segments: plain runs and escapes, each escape with a sentence saying what
 * it stands for. One function per kind of input, one segment type, so the renderer marks every escape the same way:
 * - `formSegments`: a text form (shared/text/target-text.ts): `\\` is one backslash, `\xNN` a byte; consecutive bytes
 *   of one control or format character are one escape (`\xe2\x80\xae`, U+202E), a byte of invalid UTF-8 is one
 *   escape of its own; a backslash that starts no escape is plain text;
 * - `rawSegments`: plain text (a name the consultant typed, an inventory file): its control characters are escaped
 *   as shared/text/controls.ts writes them (`\x1b`, `\u202e`); backslashes are plain, because nothing is escaped in
 *   it but the marked escapes.
 */
import { codePoint, sequenceLength } from '../facts/names.js';
import { controlSegments } from './controls.js';
import { guardForm } from './target-text.js';

export type Segment =
  | { kind: 'text'; text: string }
  /** A whole character (control, format, separator) shown as its escape. */
  | { kind: 'char'; text: string; title: string }
  /** One byte that is not part of valid UTF-8. */
  | { kind: 'byte'; text: string; title: string }
  /** One backslash, written `\\`. */
  | { kind: 'backslash'; text: string; title: string };

const C0 =
  'NUL SOH STX ETX EOT ENQ ACK BEL BS TAB LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US'.split(
    ' ',
  );
const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

function what(cp: number): string {
  if (cp < 0x20) return `${C0[cp] ?? '?'}, a control character`;
  if (cp === 0x7f) return 'DEL, a control character';
  if (cp >= 0x80 && cp <= 0x9f) return 'a C1 control character';
  if (
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0x200e ||
    cp === 0x200f ||
    cp === 0x061c
  )
    return 'a bidirectional control, which can reorder what is shown';
  if (cp === 0x2028 || cp === 0x2029) return 'a line or paragraph separator';
  return 'an invisible format character';
}

/** What the escape of code point `cp` (encoded as `bytes`) stands for. */
export function charTitle(cp: number, bytes: readonly number[], from = 'from the target'): string {
  const u = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return bytes.length === 1
    ? `byte 0x${hex2(bytes[0] as number)} ${from}: ${what(cp)}`
    : `${u} ${from} (bytes ${bytes.map(hex2).join(' ')}): ${what(cp)}`;
}

export const byteTitle = (b: number): string =>
  `byte 0x${hex2(b)} from the target: not valid UTF-8, shown as its value`;

export const BACKSLASH_TITLE =
  'a backslash from the target, written \\\\ so that it cannot be read as an escape';

const ESCAPES = /\\\\|(?:\\x[0-9a-f]{2})+/g;

function byteRun(run: string, out: Segment[]): void {
  const bytes = Uint8Array.from(run.match(/[0-9a-f]{2}/g) ?? [], (h) => parseInt(h, 16));
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes, i);
    if (n === 0) {
      out.push({ kind: 'byte', text: run.slice(i * 4, i * 4 + 4), title: byteTitle(bytes[i] as number) });
      i++;
      continue;
    }
    const seq = Array.from(bytes.subarray(i, i + n));
    out.push({
      kind: 'char',
      text: run.slice(i * 4, (i + n) * 4),
      title: charTitle(codePoint(bytes, i, n), seq),
    });
    i += n;
  }
}

/** The segments of a text form (see the module comment); `block` keeps newlines, else they are escaped too. */
export function formSegments(form: string, block = false): Segment[] {
  const s = guardForm(form, block);
  const out: Segment[] = [];
  let at = 0;
  for (const m of s.matchAll(ESCAPES)) {
    if (m.index > at) out.push({ kind: 'text', text: s.slice(at, m.index) });
    if (m[0] === '\\\\') out.push({ kind: 'backslash', text: m[0], title: BACKSLASH_TITLE });
    else byteRun(m[0], out);
    at = m.index + m[0].length;
  }
  if (at < s.length) out.push({ kind: 'text', text: s.slice(at) });
  return out;
}

const utf8 = new TextEncoder();

/** The segments of plain text: its control characters as escapes (shared/text/controls.ts), the rest as it is. */
export function rawSegments(s: string, block = false): Segment[] {
  return controlSegments(s, block).map((p): Segment => {
    if (!p.control) return { kind: 'text', text: p.text };
    const cp = parseInt(p.text.slice(2), 16);
    return {
      kind: 'char',
      text: p.text,
      title: charTitle(cp, Array.from(utf8.encode(String.fromCodePoint(cp))), 'in this text'),
    };
  });
}

/** A text form as one string, for places that take no markup (titles, options, chart labels). */
export const formText = (form: string): string => guardForm(form, false);
