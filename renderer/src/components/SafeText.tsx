/**
 * Text that came from a target (file contents, host names, command output) is untrusted. React already renders
 * strings as text, never as markup; on top of that, control characters are shown as visible symbols instead of
 * being passed to the page, so an escape sequence or a NUL reads as what it is rather than silently vanishing or
 * reshaping the line. Bidirectional overrides are made visible too (they can reorder what a reader sees).
 */
import type { JSX } from 'react';

const C0 = 0x2400; // U+2400.. "SYMBOL FOR NULL" and friends mirror 0x00..0x1f.

/** One visible stand-in per control character; newline and tab are kept in multi-line text. */
export function visibleControls(s: string, keepNewlines: boolean): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (keepNewlines && (c === 0x0a || c === 0x09)) out += ch;
    else if (c < 0x20) out += String.fromCodePoint(C0 + c);
    else if (c === 0x7f) out += '\u2421';
    else if (c >= 0x80 && c <= 0x9f) out += `\\x${c.toString(16)}`;
    else if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x200e || c === 0x200f)
      out += `\\u${c.toString(16)}`;
    else out += ch;
  }
  return out;
}

interface Props {
  text: string;
  /** Multi-line block (evidence excerpts, raw facts) rather than inline text. */
  block?: boolean;
  className?: string;
  testId?: string;
}

export function SafeText({ text, block = false, className, testId }: Props): JSX.Element {
  const shown = visibleControls(text, block);
  return block ? (
    <pre className={['safe-text', 'block', className].filter(Boolean).join(' ')} data-testid={testId}>
      {shown}
    </pre>
  ) : (
    <span className={['safe-text', className].filter(Boolean).join(' ')} data-testid={testId}>
      {shown}
    </span>
  );
}
