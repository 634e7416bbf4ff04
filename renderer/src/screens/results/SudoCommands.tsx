/**
 * Restricted sudo on a host run: the login user's sudo rules allowed some commands, not a shell, and root-only facts
 * were read through them. Lists the command lines sudo ran, which the customer will find in the host's sudo log.
 */
import type { JSX } from 'react';
import type { HostRunView } from '../../../../shared/api/schemas/scans.js';
import { TargetText } from '../../components/TargetText.js';
import { sudoSummary } from './sudoModel.js';

export function SudoCommands({ sudo }: { sudo: HostRunView['sudo'] }): JSX.Element | null {
  const s = sudoSummary(sudo);
  if (!s) return null;
  return (
    <section data-testid="host-detail-sudo">
      <h3>{s.title}</h3>
      <p className="muted small">
        Root-only facts were read through the sudo rules of <TargetText text={s.user} />. {s.note}
      </p>
      <ul className="sudo-commands">
        {s.commands.map((c, i) => (
          <li key={i} data-testid="host-detail-sudo-command">
            <TargetText text={c} className="mono small" />
          </li>
        ))}
      </ul>
    </section>
  );
}
