/**
 * Secrets for the chosen hosts (and the jump hosts they go through) that can use one. Typed secrets live in the
 * setup form's state until Start and are cleared right after the start call. Where the OS keychain can protect
 * them, each field offers "Remember" and a stored secret shows as stored, with Forget; elsewhere the reason why
 * secrets are asked each time is shown once above the fields.
 */
import type { JSX } from 'react';
import type { SecretPurpose } from '../../../../shared/api/schemas/secrets.js';
import type { Host } from '../../../../shared/api/schemas/workspace.js';
import { SafeText } from '../../components/TargetText.js';
import { askedHosts, secretFields, type HostSecrets, type SecretField } from './setupModel.js';

interface Props {
  hosts: readonly Host[];
  chosen: ReadonlySet<string>;
  secrets: Readonly<Record<string, HostSecrets>>;
  /** Stored secrets by host id (storedByHost). */
  stored: Readonly<Record<string, readonly SecretPurpose[]>>;
  /** app.info's secretStorage; null until it is known (then nothing is offered for storing). */
  storage: { persistent: boolean; detail: string } | null;
  onChange(hostId: string, next: HostSecrets): void;
  onForget(hostId: string, purpose: SecretPurpose): void;
}

export function CredentialFields(props: Props): JSX.Element | null {
  const { hosts, chosen, secrets, stored, storage, onChange, onForget } = props;
  const asked = askedHosts(hosts, chosen);
  if (asked.length === 0) return null;
  const persistent = storage?.persistent === true;
  return (
    <fieldset className="scan-creds" data-testid="scan-creds">
      <legend>Secrets for this scan</legend>
      <p className="muted small">
        {persistent
          ? 'Used for this scan. Tick Remember to keep one for later scans; a stored secret is used when its field is left empty.'
          : 'Used for this scan only: held in memory while it runs, never stored.'}
      </p>
      {storage && (
        <p
          className="muted small scan-creds-storage"
          data-testid="scan-creds-storage"
          data-persistent={persistent}
        >
          {storage.detail}
        </p>
      )}
      {asked.map((a) => {
        const s = secrets[a.host.id] ?? {};
        const fields = secretFields(a, s, stored[a.host.id] ?? [], persistent);
        return (
          <div
            key={a.host.id}
            className="scan-cred-row"
            data-testid="scan-cred-row"
            data-host-id={a.host.id}
            data-host={a.host.name}
            data-jump-only={a.jumpOnly}
          >
            <span className="scan-cred-host">
              <SafeText text={a.host.name} />
              {a.jumpOnly && <span className="muted small"> (jump host)</span>}
            </span>
            {fields.map((f) => (
              <SecretInput
                key={f.purpose}
                field={f}
                onValue={(v) => onChange(a.host.id, { ...s, [f.purpose]: v })}
                onRemember={(on) =>
                  onChange(a.host.id, { ...s, remember: { ...s.remember, [f.purpose]: on } })
                }
                onForget={() => onForget(a.host.id, f.purpose)}
              />
            ))}
          </div>
        );
      })}
    </fieldset>
  );
}

function SecretInput({
  field: f,
  onValue,
  onRemember,
  onForget,
}: {
  field: SecretField;
  onValue(v: string): void;
  onRemember(on: boolean): void;
  onForget(): void;
}): JSX.Element {
  return (
    <div className="scan-cred-field" data-purpose={f.purpose} data-stored={f.stored}>
      <label>
        {f.label}
        <input
          type="password"
          autoComplete="off"
          placeholder={f.placeholder}
          value={f.value}
          onChange={(e) => onValue(e.target.value)}
          data-testid={`scan-cred-${f.purpose}`}
        />
      </label>
      {(f.stored || f.canRemember) && (
        <div className="scan-cred-foot">
          {f.stored && (
            <>
              <span className="badge state-done" data-testid={`scan-cred-${f.purpose}-stored`}>
                stored
              </span>
              <button
                type="button"
                className="link"
                onClick={onForget}
                data-testid={`scan-cred-${f.purpose}-forget`}
              >
                Forget
              </button>
            </>
          )}
          {f.canRemember && (
            <label className="inline">
              <input
                type="checkbox"
                checked={f.remember}
                onChange={(e) => onRemember(e.target.checked)}
                data-testid={`scan-cred-${f.purpose}-remember`}
              />
              Remember (encrypted by the OS keychain)
            </label>
          )}
        </div>
      )}
      <span className="small">{f.hint}</span>
    </div>
  );
}
