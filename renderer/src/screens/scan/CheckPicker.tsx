/** Which checks to run: families and a minimum severity, with the number of checks that gives. */
import type { JSX } from 'react';
import type { CheckSummary } from '../../../../shared/api/schemas/catalogue.js';
import { SEVERITIES, type Family, type Severity } from '../../../../shared/model/results.js';
import { familiesOf, selectedChecks, type SelectionDraft } from './setupModel.js';

const FAMILY_WORDS: Record<Family, string> = {
  aaa: 'AAA (authentication, authorisation, audit)',
  hardening: 'Hardening',
  drift: 'Drift',
};

interface Props {
  checks: readonly CheckSummary[] | null;
  catalogueVersion: string | null;
  draft: SelectionDraft;
  onChange(next: SelectionDraft): void;
}

export function CheckPicker({ checks, catalogueVersion, draft, onChange }: Props): JSX.Element {
  const families = checks ? familiesOf(checks) : [];
  const count = checks ? selectedChecks(checks, draft).length : null;
  const setFamily = (f: Family, on: boolean): void =>
    onChange({ ...draft, families: on ? [...draft.families, f] : draft.families.filter((x) => x !== f) });
  return (
    <fieldset className="scan-checks" data-testid="scan-checks">
      <legend>Checks</legend>
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
