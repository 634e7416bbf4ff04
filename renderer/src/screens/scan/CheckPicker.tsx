/** Which checks to run: families and a minimum severity, with the number of checks that gives. */
import type { JSX } from 'react';
import type { CheckSummary, ProfileSummary } from '../../../../shared/api/schemas/catalogue.js';
import { SEVERITIES, type Family, type Severity } from '../../../../shared/model/results.js';
import { familiesOf, selectedChecks, type SelectionDraft } from './setupModel.js';

const FAMILY_WORDS: Record<Family, string> = {
  aaa: 'AAA (authentication, authorisation, audit)',
  hardening: 'Hardening',
  drift: 'Drift',
};

interface Props {
  checks: readonly CheckSummary[] | null;
  profiles?: readonly ProfileSummary[];
  catalogueVersion: string | null;
  draft: SelectionDraft;
  onChange(next: SelectionDraft): void;
}

/** How a profile is offered: its title, how many checks it runs, and whether it tailors or disables any. */
function profileLabel(p: ProfileSummary): string {
  if (p.problem !== null) return `${p.title} (cannot be used)`;
  const extra = [
    ...(p.disabled.length > 0 ? [`${p.disabled.length} disabled`] : []),
    ...(p.tailored.length > 0 ? [`${p.tailored.length} tailored`] : []),
  ];
  return `${p.title} (${p.checkIds.length} checks${extra.length > 0 ? `, ${extra.join(', ')}` : ''})`;
}

export function CheckPicker({ checks, profiles = [], catalogueVersion, draft, onChange }: Props): JSX.Element {
  const chosenProfile = profiles.find((p) => p.id === draft.profile) ?? null;
  const families = checks ? familiesOf(checks) : [];
  const count = checks ? selectedChecks(checks, draft).length : null;
  const setFamily = (f: Family, on: boolean): void =>
    onChange({ ...draft, families: on ? [...draft.families, f] : draft.families.filter((x) => x !== f) });
  return (
    <fieldset className="scan-checks" data-testid="scan-checks">
      <legend>Checks</legend>
      {profiles.length > 0 && (
        <label>
          Profile
          <select
            value={draft.profile ?? ''}
            onChange={(e) => onChange({ ...draft, profile: e.target.value === '' ? null : e.target.value })}
            data-testid="scan-profile"
          >
            <option value="">The whole catalogue</option>
            {profiles.map((p) => (
              <option key={p.id} value={p.id} disabled={p.problem !== null}>
                {profileLabel(p)}
              </option>
            ))}
          </select>
        </label>
      )}
      {chosenProfile && chosenProfile.disabled.length > 0 && (
        <details className="scan-profile-disabled" data-testid="scan-profile-disabled">
          <summary>Disabled by the profile</summary>
          <ul>
            {chosenProfile.disabled.map((d) => (
              <li key={d.check}>
                <code>{d.check}</code>: {d.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="scan-check-families">
        {families.map((f) => (
          <label key={f} className="inline">
            <input
              type="checkbox"
              checked={draft.families.includes(f)}
              onChange={(e) => setFamily(f, e.target.checked)}
              data-testid={`scan-family-${f}`}
            />
            {FAMILY_WORDS[f]}
          </label>
        ))}
      </div>
      <label>
        Minimum severity
        <select
          value={draft.minSeverity}
          onChange={(e) => onChange({ ...draft, minSeverity: e.target.value as Severity })}
          data-testid="scan-min-severity"
        >
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s === 'info' ? 'all (info and above)' : `${s} and above`}
            </option>
          ))}
        </select>
      </label>
      <p className="scan-check-count" data-testid="scan-check-count" data-count={count ?? ''}>
        {count === null ? 'Loading the catalogue…' : `${count} of ${checks?.length ?? 0} checks`}
        {catalogueVersion && <span className="muted small"> · catalogue {catalogueVersion}</span>}
      </p>
    </fieldset>
  );
}
