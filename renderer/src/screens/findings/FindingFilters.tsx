/** Filters of the findings list: severity, status, review state (toggles), host, owner, free text. */
import { useState, type JSX } from 'react';
import { useStore } from '../../store/index.js';
import { NO_FINDING_FILTERS, type FindingFilters as Filters } from '../../store/findings.js';
import { REVIEWS, REVIEW_LABEL, SEVERITY_ORDER, STATUSES, STATUS_LABEL } from './labels.js';

function toggle<T>(list: readonly T[], v: T): T[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}

export function FindingFilters({ engagementId }: { engagementId: string }): JSX.Element {
  const f = useStore((s) => s.findingFilters);
  const setFilters = useStore((s) => s.setFindingFilters);
  const set = (c: Partial<Filters>): void => void setFilters(engagementId, c);
  // Host and owner are exact names: applied when the field is left or Enter is pressed.
  const [host, setHost] = useState(f.host);
  const [owner, setOwner] = useState(f.owner);
  return (
    <div className="panel finding-filters" data-testid="finding-filters">
      <div className="filter-group" role="group" aria-label="Severity">
        <span className="muted small">Severity</span>
        {SEVERITY_ORDER.map((sev) => (
          <label key={sev} className="inline">
            <input
              type="checkbox"
              checked={f.severities.includes(sev)}
              onChange={() => set({ severities: toggle(f.severities, sev) })}
              data-testid={`finding-filter-severity-${sev}`}
            />
            {sev}
          </label>
        ))}
      </div>
      <div className="filter-group" role="group" aria-label="Status">
        <span className="muted small">Status</span>
        {STATUSES.map((st) => (
          <label key={st} className="inline">
            <input
              type="checkbox"
              checked={f.statuses.includes(st)}
              onChange={() => set({ statuses: toggle(f.statuses, st) })}
              data-testid={`finding-filter-status-${st}`}
            />
            {STATUS_LABEL[st]}
          </label>
        ))}
      </div>
      <div className="filter-group" role="group" aria-label="Review">
        <span className="muted small">Review</span>
        {REVIEWS.map((r) => (
          <label key={r} className="inline">
            <input
              type="checkbox"
              checked={f.reviewStates.includes(r)}
              onChange={() => set({ reviewStates: toggle(f.reviewStates, r) })}
              data-testid={`finding-filter-review-${r}`}
            />
            {REVIEW_LABEL[r]}
          </label>
        ))}
      </div>
      <div className="filter-group">
        <label>
          Host
          <input
            value={host}
            onChange={(e) => setHost(e.target.value)}
            onBlur={() => host !== f.host && set({ host })}
            onKeyDown={(e) => e.key === 'Enter' && set({ host })}
            placeholder="exact name"
            data-testid="finding-filter-host"
          />
        </label>
        <label>
          Owner
          <input
            value={owner}
            disabled={f.noOwner}
            onChange={(e) => setOwner(e.target.value)}
            onBlur={() => owner !== f.owner && set({ owner })}
            onKeyDown={(e) => e.key === 'Enter' && set({ owner })}
            placeholder="exact name"
            data-testid="finding-filter-owner"
          />
        </label>
        <label className="inline">
          <input
            type="checkbox"
            checked={f.noOwner}
            onChange={(e) => set({ noOwner: e.target.checked })}
            data-testid="finding-filter-no-owner"
          />
          no owner
        </label>
        <label>
          Text
          <input
            type="search"
            value={f.text}
            onChange={(e) => set({ text: e.target.value })}
            placeholder="title, check, tag, host"
            data-testid="finding-filter-text"
          />
        </label>
        <button
          type="button"
          className="link"
          onClick={() => {
            setHost('');
            setOwner('');
            set(NO_FINDING_FILTERS);
          }}
          data-testid="finding-filter-clear"
        >
          Clear filters
        </button>
      </div>
    </div>
  );
}
