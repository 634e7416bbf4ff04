/**
 * The text form of a name from a target (a path the collector listed): lossless and free of control characters.
 *
 * A file name is bytes, not text: it may hold a newline, a tab, an escape sequence, a bidi override or bytes that
 * are not UTF-8. Decoding with U+FFFD would lose bytes; printing it raw would split it in two lines or let it
 * restyle a terminal. The text form keeps every printable character of well-formed UTF-8 as it is and writes
 * everything else as the escapes consultants know from shells and hex dumps:
 * - `\` is written `\\`;
 * - every byte of a control character (C0, DEL, C1), a format character (bidi overrides and isolates,
 *   zero-width characters, BOM, soft hyphen), a line or paragraph separator, or of a sequence that is not
 *   well-formed UTF-8 is written `\xNN` (two lowercase hex digits).
 * So `nameBytes(nameText(b))` gives `b` back exactly, two different names never share a text form, and the text
 * shows the same in a terminal, a table cell, a CSV file or an HTML page.
 */

const HEX = '0123456789abcdef';
const HIDDEN = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]$/u;

function hexByte(b: number): string {
  return `\\x${HEX[b >> 4]}${HEX[b & 15]}`;
}

/** Length of the well-formed UTF-8 sequence that starts at `i` (Unicode Table 3-7), or 0 when there is none. */
export function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i] as number;
  if (c < 0x80) return 1;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c === 0xe0) lo = 0xa0;
    else if (c === 0xed) hi = 0x9f; // no surrogates
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c === 0xf0) lo = 0x90;
    else if (c === 0xf4) hi = 0x8f; // nothing above U+10FFFF
  } else return 0;
  if (i + n > b.length) return 0;
  const c1 = b[i + 1] as number;
  if (c1 < lo || c1 > hi) return 0;
  for (let k = 2; k < n; k++) {
    const ck = b[i + k] as number;
    if (ck < 0x80 || ck > 0xbf) return 0;
  }
  return n;
}

/** The code point of the well-formed `n`-byte sequence at `i`. */
export function codePoint(b: Uint8Array, i: number, n: number): number {
  const c = b[i] as number;
  if (n === 1) return c;
  let cp = c & (n === 2 ? 0x1f : n === 3 ? 0x0f : 0x07);
  for (let k = 1; k < n; k++) cp = (cp << 6) | ((b[i + k] as number) & 0x3f);
  return cp;
}

/** The lossless text form of a name's bytes (see the module comment). */
export function nameText(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes, i);
    if (n === 0) {
      out += hexByte(bytes[i] as number);
      i++;
      continue;
    }
    const cp = codePoint(bytes, i, n);
    const ch = String.fromCodePoint(cp);
    if (cp === 0x5c) out += '\\\\';
    else if (HIDDEN.test(ch)) for (let k = 0; k < n; k++) out += hexByte(bytes[i + k] as number);
    else out += ch;
    i += n;
  }
  return out;
}

const utf8 = new TextEncoder();

/** The bytes a text form stands for; undefined when `text` is not the text form of any bytes. */
export function nameBytes(text: string): Uint8Array | undefined {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) {
      const next = text[i + 1];
      if (next === '\\') {
        out.push(0x5c);
        i++;
        continue;
      }
      const hex = text.slice(i + 2, i + 4);
      if (next !== 'x' || !/^[0-9a-f]{2}$/.test(hex)) return undefined;
      out.push(parseInt(hex, 16));
      i += 3;
      continue;
    }
    if (c < 0x80) {
      out.push(c);
      continue;
    }
    const cp = text.codePointAt(i) as number;
    const ch = String.fromCodePoint(cp);
    for (const b of utf8.encode(ch)) out.push(b);
    if (cp > 0xffff) i++;
  }
  const bytes = Uint8Array.from(out);
  // Only the one text form of these bytes is accepted (no raw control characters, no `\x41` for `A`).
  return nameText(bytes) === text ? bytes : undefined;
}
