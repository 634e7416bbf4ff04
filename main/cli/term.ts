/** The CLI's one escaping for the terminal: untrusted text on one line, every control character made visible. */
import { visibleControls } from '../../shared/text/controls.js';

/** Control characters (C0 with newline and tab, DEL, C1) and bidi overrides shown as `\x1b`-style escapes. */
export const term = (s: string): string => visibleControls(s, false);
