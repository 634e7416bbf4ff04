/**
 * Canary secrets planted in test targets: finds them in any bytes a test can get hold of (collector output, a
 * workspace file, its -wal and -shm, CLI output), as text and inside the encoded fields of collector frames
 * (base64 lines, or the `od` hex fallback), each field decoded whole so that a canary cut by a line break is found.
 */

/** Every canary value starts with this; tests plant `CANARY<digits or letters>`. */
export const CANARY_RE = /CANARY[0-9A-Z_]*/g;

const B64_LINE = /^[A-Za-z0-9+/=]{4,}$/;
const HEX_LINE = /^( [0-9a-f]{2})+$/;

/** Runs of consecutive lines of one encoding, each run joined (one encoded field). */
function runs(lines: string[], re: RegExp, join: string): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  for (const l of lines) {
    if (re.test(l)) cur.push(l);
    else if (cur.length > 0) {
      out.push(cur.join(join));
      cur = [];
    }
  }
  if (cur.length > 0) out.push(cur.join(join));
  return out;
}

/** Each canary found in `bytes`: literally, and in every field that decodes from base64 or hex. */
export function canariesIn(bytes: Buffer): string[] {
  const text = bytes.toString('latin1');
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const b64 = runs(lines, B64_LINE, '').map((r) => Buffer.from(r, 'base64').toString('latin1'));
  const hex = runs(lines, HEX_LINE, '').map((r) => Buffer.from(r.replace(/ /g, ''), 'hex').toString('latin1'));
  return [text, ...b64, ...hex].flatMap((t) => t.match(CANARY_RE) ?? []);
}
