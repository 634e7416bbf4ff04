/** The CLI's account of restricted sudo on a host: which commands sudo ran there, for the customer's sudo log. */
import type { SudoUse } from '../../shared/model/workspace.js';
import { term } from './term.js';

/** Lines for the human report (none without restricted sudo). */
export function sudoLines(sudo: SudoUse | null): string[] {
  if (!sudo) return [];
  return [
    `  restricted sudo: ${sudo.commands.length} command(s) run through the sudo rules of ${term(sudo.user)} ` +
      `(${sudo.allowed} allowed); the host's sudo log shows each:`,
    ...sudo.commands.map((c) => `    sudo ${term(c)}`),
  ];
}
