/**
 * Bytes from a target, carried without loss from the collector to every view. Two forms:
 *
 * - The **target string** (`decodeTarget`), what parsers and evaluators read: the bytes decoded as UTF-8, every byte
 *   of a sequence that is not well-formed UTF-8 kept as the lone surrogate U+DC80..U+DCFF (the "surrogateescape"
 *   of PEP 383). Valid text reads exactly as before, nothing becomes U+FFFD, and `encodeTarget` gives the bytes
 *   back. Stored snapshots hold it (JSON writes a lone surrogate as `\udcff`).
 * - The **text form** (`textForm`), what is shown and stored for display: the lossless text form of
 *   shared/facts/names.ts (`\\` for a backslash, `\xNN` for every byte of a control or format character, of a line
 *   or paragraph separator and of invalid UTF-8), with tab kept in contents and newline kept in blocks. Result
 *   fields (evidence, actual, reason), fact excerpts, the target's identity and sudo commands reach the API in it;
 *   the renderer's TargetText and the CLI show it as it is (escapes marked in the UI).
 */
import { sequenceLength } from '../facts/names.js';

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const utf8 = new TextEncoder();

/** The target string of `bytes` (see the module comment): UTF-8, each invalid byte as U+DC80..U+DCFF. */
export function decodeTarget(bytes: Uint8Array): string {
  try {
    return fatal.decode(bytes);
  } catch {
    // Not UTF-8 throughout: decode the valid runs, keep each other byte as its surrogate.
  }
  let out = '';
  let run = 0;
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += lenient.decode(bytes.subarray(run, i)) + String.fromCharCode(0xdc00 + (bytes[i] as number));
    i++;
    run = i;
  }
  return out + lenient.decode(bytes.subarray(run));
}

/** The bytes of a target string: UTF-8, each lone U+DC80..U+DCFF as its byte (other lone surrogates as U+FFFD). */
export function encodeTarget(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (cp >= 0xdc80 && cp <= 0xdcff) out.push(cp - 0xdc00);
    else for (const b of utf8.encode(ch)) out.push(b);
  }
  return Uint8Array.from(out);
}

/** `name`: every control escaped (names.ts); `line`: tab kept (one line of content); `block`: tab and newline kept. */
export type FormMode = 'name' | 'line' | 'block';

const HEX = '0123456789abcdef';
const hexByte = (b: number): string => `\\x${HEX[b >> 4]}${HEX[b & 15]}`;
// Backslash, control (C0, DEL, C1), format, line and paragraph separator, and lone surrogates.
const SPECIAL = /[\\\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function escapeChar(ch: string, mode: FormMode): string {
  if (ch === '\\') return '\\\\';
  if (ch === '\t' && mode !== 'name') return ch;
  if (ch === '\n' && mode === 'block') return ch;
  const cp = ch.codePointAt(0) as number;
  if (cp >= 0xdc80 && cp <= 0xdcff) return hexByte(cp - 0xdc00);
  let out = '';
  for (const b of utf8.encode(ch)) out += hexByte(b);
  return out;
}

/**
 * The text form of a target string. `textForm(decodeTarget(b), 'name') === nameText(b)` for any bytes `b`; in `line`
 * and `block` mode tab (and newline) stay as they are, and the form still gives the bytes back.
 */
export function textForm(s: string, mode: FormMode = 'line'): string {
  return s.replace(SPECIAL, (ch) => escapeChar(ch, mode));
}

/**
 * A string made safe to show as a text form: control, format and lone surrogate characters still in it become
 * their escapes, backslashes are left as they are (so a text form is unchanged). For strings that should already be
 * in the text form but may not be (records stored before it, sentences that embed user-given names).
 */
export function guardForm(s: string, block = false): string {
  // Printable ASCII holds nothing hidden: most evidence is, and is returned without the Unicode scan.
  if (PRINTABLE_ASCII.test(s)) return s;
  return s.replace(HIDDEN, (ch) => escapeChar(ch, block ? 'block' : 'line'));
}

/** Length of the escape (`\\` or `\xNN`) starting at `i` of a text form, 0 when none starts there. */
export function escapeAt(form: string, i: number): number {
  if (form.charCodeAt(i) !== 0x5c) return 0;
  const next = form[i + 1];
  if (next === '\\') return 2;
  if (next === 'x' && /^[0-9a-f]{2}$/.test(form.slice(i + 2, i + 4))) return 4;
  return 0;
}

/**
 * `form` cut to at most `max` UTF-16 code units, never inside an escape or a surrogate pair (so the cut still reads
 * and decodes as the bytes it shows).
 */
export function cutForm(form: string, max: number): string {
  if (form.length <= max) return form;
  let i = 0;
  while (i < max) {
    const e = escapeAt(form, i);
    const step =
      e > 0 ? e : /[\uD800-\uDBFF]/.test(form[i] ?? '') && /[\uDC00-\uDFFF]/.test(form[i + 1] ?? '') ? 2 : 1;
    if (i + step > max) break;
    i += step;
  }
  return form.slice(0, i);
}

/** Bounded text form: cut as cutForm does, with `…` when something was cut (the result is at most `max` long). */
export function boundForm(form: string, max: number): string {
  return form.length > max ? `${cutForm(form, max - 1)}…` : form;
}
