/** The CLI's one escaping for the terminal: untrusted text on one line, every control character made visible. */
import { visibleControls } from '../../shared/text/controls.js';

/** Control characters (C0 with newline and tab, DEL, C1) and bidi overrides shown as `\x1b`-style escapes. */
export const term = (s: string): string => visibleControls(s, false);

/** JSON for the terminal: still valid JSON, with every control and format character written as a `\uXXXX` escape. */
export const termJson = (value: unknown): string =>
  JSON.stringify(value, null, 2).replace(
    /[\p{Cc}\p{Cf}\u2028\u2029]/gu,
    (c) => (c === '\n' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
