/**
 * Control characters in untrusted text, made visible as escapes: `\x1b`, `\x00`, `\u202e` (the notation
 * consultants know from shells and hex dumps; the Unicode "control pictures" are missing from most fonts).
 * Newline and tab are kept in multi-line blocks. Pure: used by the renderer's SafeText and wherever only a string
 * fits (titles, options, chart labels), and by the CLI for the terminal (an escape sequence from a target must
 * never reach the terminal as one).
 */
const hex2 = (c: number): string => c.toString(16).padStart(2, '0');

/** The visible stand-in of one code point, or null when it is shown as it is. */
function escapeOf(c: number, keepNewlines: boolean): string | null {
  if (keepNewlines && (c === 0x0a || c === 0x09)) return null;
  if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f)) return `\\x${hex2(c)}`;
  if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x200e || c === 0x200f)
    return `\\u${c.toString(16)}`;
  return null;
}

/** Split text into plain runs and control characters (as their escapes). */
export function controlSegments(s: string, keepNewlines: boolean): { text: string; control: boolean }[] {
  const out: { text: string; control: boolean }[] = [];
  let plain = '';
  for (const ch of s) {
    const esc = escapeOf(ch.codePointAt(0) ?? 0, keepNewlines);
    if (esc === null) {
      plain += ch;
      continue;
    }
    if (plain) out.push({ text: plain, control: false });
    plain = '';
    out.push({ text: esc, control: true });
  }
  if (plain) out.push({ text: plain, control: false });
  return out;
}

/** The text with every control character replaced by its escape (for titles, options, chart labels). */
export function visibleControls(s: string, keepNewlines: boolean): string {
  return controlSegments(s, keepNewlines)
    .map((p) => p.text)
    .join('');
}
