/**
 * The one rendering of untrusted text. React renders strings as text, never as markup; on top of that every escape
 * is a marked `.ctl` span whose title says what it stands for, the same in every view:
 * - `TargetText` shows text that came from a target in its text form (shared/text/target-text.ts): names, file
 *   contents, command output, evidence, actual values, the target's identity, sudo commands, error messages that
 *   quote them. `\xNN` is a byte (a control or format character, or invalid UTF-8: never U+FFFD), `\\` one
 *   backslash, so a file really named `\x1b` reads `\\x1b` and an escape byte reads as one marked `\x1b`.
 * - `SafeText` shows other untrusted text as it is (host names, notes, an imported file): its control characters
 *   become the same marked escapes; it holds no other escape, so a backslash in it is plain.
 * Both carry the classes `safe-text` (and `target-text`), whose style turns the fonts' ligatures off: `<!--`, `</`,
 * `:=` or `/=` from a target must read as the characters they are.
 * Written with createElement (no JSX) so that the unit tests can render it in Node.
 */
import { createElement, type ReactElement, type ReactNode } from 'react';
import { formSegments, rawSegments, type Segment } from '../../../shared/text/escapes.js';

export { formText } from '../../../shared/text/escapes.js';
export { visibleControls } from './controls.js';

interface Props {
  text: string;
  /** Multi-line block (contents, output, evidence excerpts) rather than inline text. */
  block?: boolean;
  className?: string;
  testId?: string;
}

function nodes(segments: Segment[]): ReactNode[] {
  return segments.map((s, i) =>
    s.kind === 'text'
      ? s.text
      : createElement(
          'span',
          { key: i, className: `ctl ctl-${s.kind}`, title: s.title, 'data-escape': s.kind },
          s.text,
        ),
  );
}

function shell(
  kind: string,
  { block = false, className, testId }: Omit<Props, 'text'>,
  children: ReactNode[],
): ReactElement {
  const cls = ['safe-text', kind, block ? 'block' : undefined, className].filter(Boolean).join(' ');
  return createElement(block ? 'pre' : 'span', { className: cls, 'data-testid': testId }, ...children);
}

/** Text from a target, in its text form. */
export function TargetText({ text, ...rest }: Props): ReactElement {
  return shell('target-text', rest, nodes(formSegments(text, rest.block === true)));
}

/** Untrusted text that is not in the text form (typed or imported by the consultant, or the app's own words). */
export function SafeText({ text, ...rest }: Props): ReactElement {
  return shell('plain-text', rest, nodes(rawSegments(text, rest.block === true)));
}
