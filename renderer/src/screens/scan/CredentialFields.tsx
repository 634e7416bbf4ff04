/**
 * Secrets for this scan only, asked for the chosen hosts (and the jump hosts they go through) that can use one.
 * They live in the setup form's state until Start and are cleared right after the start call.
 */
import type { JSX } from 'react';
import type { Host } from '../../../../shared/api/schemas/workspace.js';
import { SafeText } from '../../components/SafeText.js';
import { askedHosts, type HostSecrets } from './setupModel.js';

interface Props {
  hosts: readonly Host[];
  chosen: ReadonlySet<string>;
  secrets: Readonly<Record<string, HostSecrets>>;
  onChange(hostId: string, next: HostSecrets): void;
}

export function CredentialFields({ hosts, chosen, secrets, onChange }: Props): JSX.Element | null {
  const asked = askedHosts(hosts, chosen);
  if (asked.length === 0) return null;
  return (
    <fieldset className="scan-creds" data-testid="scan-creds">
      <legend>Secrets for this scan</legend>
      <p className="muted small">Used for this scan only: held in memory while it runs, never stored.</p>
      {asked.map(({ host: h, need, jumpOnly }) => {
        const s = secrets[h.id] ?? {};
        return (
          <div
            key={h.id}
            className="scan-cred-row"
            data-testid="scan-cred-row"
            data-host-id={h.id}
            data-host={h.name}
            data-jump-only={jumpOnly}
          >
            <span className="scan-cred-host">
              <SafeText text={h.name} />
              {jumpOnly && <span className="muted small"> (jump host)</span>}
            </span>
            {need.login === 'password' && (
              <label>
                Login password
                <input
                  type="password"
                  autoComplete="off"
                  value={s.login ?? ''}
                  onChange={(e) => onChange(h.id, { ...s, login: e.target.value })}
                  data-testid="scan-cred-login"
                />
                <span className="small">
                  {s.login ? '' : 'without it this host fails; the others still run'}
                </span>
              </label>
            )}
            {need.login === 'passphrase' && (
              <label>
                Key passphrase
                <input
                  type="password"
                  autoComplete="off"
                  placeholder="leave empty if the key has none"
                  value={s.login ?? ''}
                  onChange={(e) => onChange(h.id, { ...s, login: e.target.value })}
                  data-testid="scan-cred-login"
                />
              </label>
            )}
            {need.sudo && (
              <label>
                sudo password
                <input
                  type="password"
                  autoComplete="off"
                  placeholder="leave empty if sudo asks for none"
                  value={s.sudo ?? ''}
                  onChange={(e) => onChange(h.id, { ...s, sudo: e.target.value })}
                  data-testid="scan-cred-sudo"
                />
              </label>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
