/**
 * The type of an attachment, decided by its first bytes (magic numbers), never by its name: PNG, JPEG, GIF, WebP,
 * PDF, or plain text (valid UTF-8 without control characters other than tab, newline, carriage return and form
 * feed). Anything else (an executable, an archive) is refused; HTML or SVG is text and stored as text/plain. A
 * stored attachment is served with the type found here, whatever its name says.
 */
import type { AttachmentType } from '../../shared/model/finding.js';

const starts = (b: Uint8Array, sig: readonly number[], at = 0): boolean =>
  b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

const BINARY: readonly { type: AttachmentType; test: (b: Uint8Array) => boolean }[] = [
  { type: 'image/png', test: (b) => starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: 'image/jpeg', test: (b) => starts(b, [0xff, 0xd8, 0xff]) },
  { type: 'image/gif', test: (b) => starts(b, ascii('GIF87a')) || starts(b, ascii('GIF89a')) },
  { type: 'image/webp', test: (b) => starts(b, ascii('RIFF')) && starts(b, ascii('WEBP'), 8) },
  { type: 'application/pdf', test: (b) => starts(b, ascii('%PDF-')) },
];

function isPlainText(b: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(b);
  } catch {
    return false;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) return false;
  }
  return true;
}

/** The accepted type of `bytes`, or undefined when the content is none of them. */
export function detectMediaType(bytes: Uint8Array): AttachmentType | undefined {
  for (const t of BINARY) if (t.test(bytes)) return t.type;
  return isPlainText(bytes) ? 'text/plain' : undefined;
}

/** What the first bytes look like, for a refusal ("starts with MZ: a Windows executable"). */
export function describeContent(bytes: Uint8Array): string {
  if (starts(bytes, ascii('MZ'))) return 'a Windows executable';
  if (starts(bytes, [0x7f, 0x45, 0x4c, 0x46])) return 'an ELF executable';
  if (starts(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'a ZIP archive';
  const hex = Buffer.from(bytes.subarray(0, 8)).toString('hex').replace(/(..)(?!$)/g, '$1 ');
  return `content starting with bytes ${hex}`;
}
