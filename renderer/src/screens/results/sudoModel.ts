/** What the host detail says about a restricted-sudo run (kept apart from the component so it can be tested). */
import type { HostRunView } from '../../../../shared/api/schemas/scans.js';
import { privilegeLabel } from '../../../../shared/model/workspace.js';

export interface SudoSummary {
  title: string;
  /** Target text (the user name, in its text form) goes in `user`, rendered as TargetText by the component. */
  user: string;
  note: string;
  /** One line per command sudo ran, as the host's sudo log will show it. Target text. */
  commands: string[];
}

export function sudoSummary(sudo: HostRunView['sudo']): SudoSummary | null {
  if (!sudo) return null;
  return {
    title: `Privilege: ${privilegeLabel('none', sudo)}, ${sudo.commands.length} used`,
    user: sudo.user,
    note: "The host's sudo log shows each of these commands:",
    commands: sudo.commands.map((c) => `sudo ${c}`),
  };
}
