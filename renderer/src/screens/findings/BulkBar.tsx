/**
 * Bulk actions on the selected findings, applied one finding at a time; each finding's outcome is listed (the
 * backend's sentence for a refusal). Actions that need a person say so while nobody is signed in.
 */
import { useState, type JSX } from 'react';
import type { FindingStatus } from '../../../../shared/model/finding.js';
import { SafeText } from '../../components/TargetText.js';
import { useStore } from '../../store/index.js';
import { needsPerson } from '../../store/session.js';
import { STATUSES, STATUS_LABEL, needsReason } from './labels.js';

export function BulkBar({ engagementId, readOnly }: { engagementId: string; readOnly: boolean }): JSX.Element | null {
  const selection = useStore((s) => s.findingSelection);
  const busy = useStore((s) => s.bulkBusy);
  const outcomes = useStore((s) => s.bulkOutcomes);
  const runBulk = useStore((s) => s.runBulk);
  const clearBulk = useStore((s) => s.clearBulk);
  const me = useStore((s) => s.me);
  const [status, setStatus] = useState<FindingStatus>('confirmed');
  const [reason, setReason] = useState('');
  const [owner, setOwner] = useState('');
  const [tags, setTags] = useState('');
  const n = selection.length;
  const disabled = busy || n === 0 || me === null || readOnly;
  const run = (a: Parameters<typeof runBulk>[1]): void => void runBulk(engagementId, a);
  return (
    <div className="panel bulk-bar" data-testid="finding-bulk" data-selected={n}>
      <div className="bulk-row">
        <strong data-testid="finding-bulk-count">{n} selected</strong>
        {me === null && (
          <span className="muted small" data-testid="finding-bulk-needs-person">
            {needsPerson('Changing findings')}
          </span>
        )}
        <button type="button" disabled={disabled} onClick={() => run({ kind: 'submit' })} data-testid="finding-bulk-submit">
          Submit for review
        </button>
      </div>
      <div className="bulk-row">
        <select value={status} onChange={(e) => setStatus(e.target.value as FindingStatus)} data-testid="finding-bulk-status">
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
        {needsReason(status) && (
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="reason (required)"
            data-testid="finding-bulk-reason"
          />
        )}
        <button
          type="button"
          disabled={disabled}
          onClick={() => run({ kind: 'status', status, ...(reason.trim() ? { reason } : {}) })}
          data-testid="finding-bulk-set-status"
        >
          Set status
        </button>
        <input value={owner} onChange={(e) => setOwner(e.target.value)} placeholder="owner (empty: none)" data-testid="finding-bulk-owner" />
        <button
          type="button"
          disabled={disabled}
          onClick={() => run({ kind: 'owner', owner: owner.trim() ? owner.trim() : null })}
          data-testid="finding-bulk-set-owner"
        >
          Set owner
        </button>
        <input value={tags} onChange={(e) => setTags(e.target.value)} placeholder="tags, comma separated" data-testid="finding-bulk-tags" />
        <button
          type="button"
          disabled={disabled}
          onClick={() =>
            run({
              kind: 'tags',
              tags: tags
                .split(',')
                .map((t) => t.trim())
                .filter(Boolean),
            })
          }
          data-testid="finding-bulk-set-tags"
        >
          Set tags
        </button>
      </div>
      {outcomes && outcomes.length > 0 && (
        <div className="bulk-outcomes" data-testid="finding-bulk-outcomes" aria-live="polite">
          <ul>
            {outcomes.map((o) => (
              <li
                key={o.findingId}
                className={o.ok ? 'ok' : 'refused'}
                data-testid="finding-bulk-outcome"
                data-finding-id={o.findingId}
                data-ok={o.ok}
              >
                <SafeText text={o.title} />: <SafeText text={o.message} />
              </li>
            ))}
          </ul>
          <span className="muted small">
            {outcomes.filter((o) => o.ok).length} done, {outcomes.filter((o) => !o.ok).length} refused
          </span>{' '}
          <button type="button" className="link" onClick={clearBulk}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
