/**
 * Signed JSON files (review packages and answers): the author signs the RFC 8785 canonical JSON of every field but
 * `signature` with Ed25519, and the file is that canonical JSON with the signature added, and one newline. Reading
 * is the reverse, strictly: UTF-8 without a bad byte, JSON, the schema (a refusal names the JSON path), and at the
 * end the bytes must be exactly the canonical form of what was read, so no byte can change without a refusal
 * (a value changed fails a hash or the signature; a space, an escape or a key order changed fails here).
 */
import type { z } from 'zod';
import { FoureyesError } from '../../shared/model/errors.js';
import { visibleControls } from '../../shared/text/controls.js';
import { canonicalJson } from '../audit/canonical.js';
import type { Acting } from '../people/acting.js';

/** `findings[0].content.notes` for a zod issue path. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else {
      const s = String(p);
      out += /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s) ? `${out ? '.' : ''}${s}` : `[${JSON.stringify(s)}]`;
    }
  }
  return out || '(the whole file)';
}

/** Untrusted text for a message: control characters visible, cut to `max` characters. */
export function shown(s: string, max = 80): string {
  const t = visibleControls(s, false);
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** The bytes a signature covers: canonical JSON of `body` without its `signature`. */
export function signedBytes(body: Record<string, unknown>): Buffer {
  const { signature: _omit, ...rest } = body;
  return Buffer.from(canonicalJson(rest), 'utf8');
}

/** Signs `body` as `acting` and returns the file's bytes and the signature (base64). */
export function writeSigned(
  body: Record<string, unknown>,
  acting: Acting,
): { bytes: Buffer; signature: string } {
  const signature = acting.sign(signedBytes(body)).toString('base64');
  return { bytes: Buffer.from(`${canonicalJson({ ...body, signature })}\n`, 'utf8'), signature };
}

/**
 * Reads a signed file of `what` ("review package"): the value as it stands in the file, once it fits `schema`.
 * The value returned is the one parsed, not the schema's output, so what is checked later is what was read.
 */
export function readSigned<S extends z.ZodType>(
  bytes: Uint8Array,
  schema: S,
  what: string,
  max: number,
): z.output<S> {
  if (bytes.length > max)
    throw new FoureyesError(
      'bad_input',
      `this ${what} is refused: ${bytes.length} bytes, more than the ${max} a ${what} may have`,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new FoureyesError(
      'bad_input',
      `this ${what} is refused: it is not UTF-8 text (byte ${firstBadUtf8(bytes)} is not valid UTF-8)`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message)?.[1];
    throw new FoureyesError(
      'bad_input',
      `this ${what} is refused: it is not JSON${at !== undefined ? ` (at character ${at})` : ''}`,
    );
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more problems)` : '';
    throw new FoureyesError(
      'bad_input',
      `this ${what} is malformed: at ${jsonPath(issue.path)}: ${shown(issue.message, 200)}${more}`,
      { path: jsonPath(issue.path) },
    );
  }
  return value as z.output<S>;
}

/** Refuses a file whose bytes are not exactly the canonical form of its value (anything else was changed). */
export function checkCanonical(bytes: Uint8Array, value: unknown, what: string): void {
  const expected = Buffer.from(`${canonicalJson(value)}\n`, 'utf8');
  const got = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (expected.equals(got)) return;
  let i = 0;
  while (i < expected.length && i < got.length && expected[i] === got[i]) i++;
  throw new FoureyesError(
    'bad_input',
    `this ${what} is refused: its bytes are not the form Foureyes writes (from byte ${i} on), so it was changed after it was signed`,
    { byte: i },
  );
}

/** Canonical base64 only: a string whose unused bits or padding differ decodes to the same bytes and is refused. */
export function decodeBase64(s: string, where: string, what: string): Buffer {
  const b = Buffer.from(s, 'base64');
  if (b.toString('base64') !== s)
    throw new FoureyesError('bad_input', `this ${what} is refused: ${where} is not canonical base64`, {
      path: where,
    });
  return b;
}

/** Offset of the first byte that breaks UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF). */
function firstBadUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (n === 0) return i;
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined || x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i + k;
    }
    i += n + 1;
  }
  return i;
}
