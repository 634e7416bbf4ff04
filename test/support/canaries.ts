/**
 * Canary secrets planted in test targets: finds them in any bytes a test can get hold of (collector output, a
 * workspace file, its -wal and -shm, CLI output), as text and inside the base64 lines of collector frames.
 */

/** Every canary value starts with this; tests plant `CANARY<digits or letters>`. */
export const CANARY_RE = /CANARY[0-9A-Z_]*/g;

/** Each canary found in `bytes`: literally, and in every line that decodes from base64. */
export function canariesIn(bytes: Buffer): string[] {
  const text = bytes.toString('latin1');
  const decoded = text
    .split('\n')
    .filter((l) => /^[A-Za-z0-9+/=]{4,}$/.test(l.replace(/\r$/, '')))
    .map((l) => Buffer.from(l, 'base64').toString('latin1'))
    .join('\n');
  return [...(text.match(CANARY_RE) ?? []), ...(decoded.match(CANARY_RE) ?? [])];
}
