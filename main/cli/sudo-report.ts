/** The CLI's account of restricted sudo on a host: which commands sudo ran there, for the customer's sudo log. */
import type { SudoUse } from '../../shared/model/workspace.js';

/** Target text for a terminal: control characters (C0, DEL, C1) and bidi overrides as visible escapes. */
export function terminalText(s: string): string {
  // eslint-disable-next-line no-control-regex -- making control characters visible is the point
  return s.replace(/[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const n = c.codePointAt(0) ?? 0;
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/** Lines for the human report (none without restricted sudo). */
export function sudoLines(sudo: SudoUse | null): string[] {
  if (!sudo) return [];
  return [
    `  restricted sudo: ${sudo.commands.length} command(s) run through the sudo rules of ${terminalText(sudo.user)} ` +
      `(${sudo.allowed} allowed); the host's sudo log shows each:`,
    ...sudo.commands.map((c) => `    sudo ${terminalText(c)}`),
  ];
}
