/**
 * Text that came from a target (file contents, host names, command output) is untrusted. React already renders
 * strings as text, never as markup; on top of that, control characters are shown as visible escapes instead of
 * being passed to the page, so an escape sequence or a NUL reads as what it is rather than silently vanishing or
 * reshaping the line. Bidirectional overrides are made visible too (they can reorder what a reader sees).
 *
 * Escapes are written `\x1b`, `\x00`, `\u202e` (the notation consultants know from shells and hex dumps; the
 * Unicode "control pictures" are missing from most fonts). In SafeText they are marked up as `.ctl` tokens, so
 * they stand out from the same characters typed literally in a file.
 */
import type { JSX } from 'react';
import { controlSegments } from './controls.js';

export { visibleControls } from './controls.js';

interface Props {
  text: string;
  /** Multi-line block (evidence excerpts, raw facts) rather than inline text. */
  block?: boolean;
  className?: string;
  testId?: string;
}

export function SafeText({ text, block = false, className, testId }: Props): JSX.Element {
  const parts = controlSegments(text, block).map((p, i) =>
    p.control ? (
      <span key={i} className="ctl" title="control character from the target">
        {p.text}
      </span>
    ) : (
      p.text
    ),
  );
  return block ? (
    <pre className={['safe-text', 'block', className].filter(Boolean).join(' ')} data-testid={testId}>
      {parts}
    </pre>
  ) : (
    <span className={['safe-text', className].filter(Boolean).join(' ')} data-testid={testId}>
      {parts}
    </span>
  );
}
