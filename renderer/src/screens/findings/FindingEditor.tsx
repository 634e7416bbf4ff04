/**
 * The editor of one finding: its fields (a severity other than the catalogue's, false positive and accepted risk
 * need a reason), notes in Markdown with a live preview, the hosts with the evidence of the last scan, attachments,
 * its review (submit, approve or reject through the approval dialog, approvals with the voided ones) and history.
 * A save carries the revision read; a finding changed meanwhile is named and read again.
 */
import { useState, type FormEvent, type JSX } from 'react';
import type { FindingStatus } from '../../../../shared/model/finding.js';
import type { Severity } from '../../../../shared/model/results.js';
import { SeverityBadge } from '../../components/Badges.js';
import { SafeText } from '../../components/TargetText.js';
import { formatTime } from '../../components/format.js';
import { useStore } from '../../store/index.js';
import { needsPerson } from '../../store/session.js';
import type { FindingDetail } from '../../store/finding.js';
import { Attachments } from './Attachments.js';
import { FindingHistory } from './FindingHistory.js';
import { HostParts } from './HostParts.js';
import { Markdown } from './Markdown.js';
import { ReviewBadge } from './ReviewBadge.js';
import { SEVERITY_ORDER, STATUSES, STATUS_LABEL, needsReason } from './labels.js';
import { changesOf, draftOf, type Draft } from './editModel.js';

function Approvals({ detail }: { detail: FindingDetail }): JSX.Element {
  if (detail.approvals.length === 0) return <p className="muted small">No approvals yet.</p>;
  return (
    <ul className="approvals" data-testid="finding-approvals">
      {detail.approvals.map((a) => (
        <li
          key={a.id}
          data-testid="finding-approval"
          data-reviewer={a.reviewerName}
          data-revision={a.revision}
          data-voided={a.voidedAt !== null}
        >
          <SafeText text={a.reviewerName} /> approved revision {a.revision} on {formatTime(a.at)}{' '}
          <code className="hash" title={a.contentHash}>
            {a.contentHash.slice(0, 16)}…
          </code>
          {a.voidedAt ? (
            <span className="voided" data-testid="finding-approval-voided">
              {' '}
              voided on {formatTime(a.voidedAt)}: <SafeText text={a.voidedWhy ?? ''} />
            </span>
          ) : (
            <span className="badge state-done"> live</span>
          )}
        </li>
      ))}
    </ul>
  );
}

function EditForm({ detail, readOnly }: { detail: FindingDetail; readOnly: boolean }): JSX.Element {
  const f = detail.finding;
  const me = useStore((s) => s.me);
  const busy = useStore((s) => s.findingBusy);
  const save = useStore((s) => s.saveFinding);
  const [d, setD] = useState<Draft>(() => draftOf(f));
  const [reason, setReason] = useState('');
  const set = (p: Partial<Draft>): void => setD({ ...d, ...p });
  const changes = changesOf(f, d);
  const changed = Object.keys(changes).length > 0;
  const severityReason = changes.severity !== undefined && changes.severity !== f.catalogueSeverity;
  const statusReason = changes.status !== undefined && needsReason(changes.status);
  const wantsReason = severityReason || statusReason;
  const submit = async (ev: FormEvent): Promise<void> => {
    ev.preventDefault();
    if (await save(changes, wantsReason ? reason : undefined)) setReason('');
  };
  const locked = readOnly || me === null;
  return (
    <form className="finding-form form-grid" onSubmit={(ev) => void submit(ev)} data-testid="finding-form">
      <label className="wide">
        Title
        <input value={d.title} onChange={(e) => set({ title: e.target.value })} maxLength={300} disabled={locked} data-testid="finding-title" />
      </label>
      <label>
        Severity <span className="muted small">(catalogue: {f.catalogueSeverity})</span>
        <select
          value={d.severity}
          onChange={(e) => set({ severity: e.target.value as Severity })}
          disabled={locked}
          data-testid="finding-severity"
        >
          {SEVERITY_ORDER.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Status
        <select
          value={d.status}
          onChange={(e) => set({ status: e.target.value as FindingStatus })}
          disabled={locked}
          data-testid="finding-status"
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
      </label>
      {(f.severityReason || f.statusReason) && (
        <p className="wide muted small" data-testid="finding-reasons">
          {f.severityReason && (
            <>
              Severity reason: <SafeText text={f.severityReason} />.{' '}
            </>
          )}
          {f.statusReason && (
            <>
              Status reason: <SafeText text={f.statusReason} />.
            </>
          )}
        </p>
      )}
      {wantsReason && (
        <label className="wide">
          Reason ({[severityReason && 'a severity other than the catalogue’s', statusReason && `${STATUS_LABEL[d.status]}`]
            .filter(Boolean)
            .join(' and ')}{' '}
          needs one)
          <input value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={2000} data-testid="finding-reason" />
        </label>
      )}
      <div className="wide notes-pair">
        <label>
          Notes (Markdown)
          <textarea
            value={d.notes}
            onChange={(e) => set({ notes: e.target.value })}
            rows={8}
            disabled={locked}
            data-testid="finding-notes"
          />
        </label>
        <div className="notes-preview" aria-label="Preview of the notes">
          <span className="muted small">Preview</span>
          <Markdown text={d.notes} testId="finding-notes-preview" />
        </div>
      </div>
      <label className="wide">
        Recommendation
        <textarea
          value={d.recommendation}
          onChange={(e) => set({ recommendation: e.target.value })}
          rows={3}
          disabled={locked}
          data-testid="finding-recommendation"
        />
      </label>
      <label>
        Tags (comma separated)
        <input value={d.tags} onChange={(e) => set({ tags: e.target.value })} disabled={locked} data-testid="finding-tags" />
      </label>
      <label>
        Owner (customer)
        <input value={d.owner} onChange={(e) => set({ owner: e.target.value })} maxLength={200} disabled={locked} data-testid="finding-owner" />
      </label>
      <label>
        Due date
        <input type="date" value={d.dueDate} onChange={(e) => set({ dueDate: e.target.value })} disabled={locked} data-testid="finding-due" />
      </label>
      <div className="actions">
        {me === null && !readOnly && (
          <span className="muted small" data-testid="finding-needs-person">
            {needsPerson('Editing a finding')}
          </span>
        )}
        <button type="button" disabled={!changed || busy} onClick={() => setD(draftOf(f))} data-testid="finding-revert">
          Revert
        </button>
        <button type="submit" className="primary" disabled={!changed || busy || locked} data-testid="finding-save">
          Save
        </button>
      </div>
    </form>
  );
}

export function FindingEditor({ readOnly }: { readOnly: boolean }): JSX.Element {
  const detail = useStore((s) => s.findingDetail);
  const error = useStore((s) => s.findingError);
  const conflict = useStore((s) => s.findingConflict);
  const busy = useStore((s) => s.findingBusy);
  const me = useStore((s) => s.me);
  const close = useStore((s) => s.closeFinding);
  const submit = useStore((s) => s.submitFinding);
  const openReview = useStore((s) => s.openReview);
  const review = useStore((s) => s.review);
  if (!detail)
    return (
      <aside className="panel finding-editor" data-testid="finding-editor" aria-busy="true">
        {error ? <p className="form-error" role="alert"><SafeText text={error} /></p> : <p className="muted">Reading the finding…</p>}
      </aside>
    );
  const f = detail.finding;
  return (
    <aside
      className="panel finding-editor"
      data-testid="finding-editor"
      data-finding-id={f.id}
      data-revision={f.revision}
      data-review={f.reviewState}
      data-content-hash={detail.contentHash}
      aria-label={`Finding ${f.title}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && review === null) close();
      }}
    >
      <header className="finding-editor-head">
        <h2>
          <SeverityBadge severity={f.severity} /> <SafeText text={f.title} />
        </h2>
        <button type="button" className="link" onClick={close} aria-label="Close" data-testid="finding-close">
          ×
        </button>
      </header>
      <p className="muted small" data-testid="finding-state">
        <ReviewBadge state={f.reviewState} approvals={detail.approvals.filter((a) => !a.voidedAt && a.revision === f.revision).length} required={detail.approvalsRequired} />{' '}
        revision {f.revision} · check <SafeText text={f.key} /> · updated {formatTime(f.updatedAt)}
        {detail.authors.length > 0 && (
          <>
            {' '}
            · authors <SafeText text={detail.authors.map((a) => a.name).join(', ')} />
          </>
        )}
      </p>
      {(() => {
        // An edit after approval: say so in the finding's state, naming whose approval it voided.
        const voided = detail.approvals.filter((a) => a.voidedAt !== null).at(-1);
        const live = detail.approvals.some((a) => a.voidedAt === null && a.revision === f.revision);
        if (!voided || live || f.reviewState === 'approved') return null;
        return (
          <p className="voided-note" data-testid="finding-voided-note">
            <SafeText text={voided.reviewerName} />’s approval of revision {voided.revision} was voided on{' '}
            {formatTime(voided.voidedAt)}: <SafeText text={voided.voidedWhy ?? ''} />.{' '}
            {f.reviewState === 'in_review' ? 'Back in review.' : ''}
          </p>
        );
      })()}
      {conflict && (
        <p className="form-error" role="alert" data-testid="finding-conflict">
          Not saved: <SafeText text={conflict} />. The finding was read again as it is now (revision {f.revision});
          make your change again.
        </p>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="finding-error">
          <SafeText text={error} />
        </p>
      )}
      <div className="finding-review-actions">
        {f.reviewState === 'draft' && (
          <button
            type="button"
            disabled={busy || me === null || readOnly}
            onClick={() => void submit()}
            data-testid="finding-submit"
          >
            Submit for review
          </button>
        )}
        {f.reviewState === 'in_review' && (
          <button type="button" disabled={me === null} onClick={() => void openReview(f.id)} data-testid="finding-review-open">
            Approve or reject…
          </button>
        )}
        {me === null && <span className="muted small">{needsPerson('Review')}</span>}
      </div>
      <EditForm key={`${f.id}:${f.revision}`} detail={detail} readOnly={readOnly} />
      <h3>Approvals</h3>
      <Approvals detail={detail} />
      <h3>Hosts ({detail.hosts.total})</h3>
      <HostParts detail={detail} />
      <h3>Attachments</h3>
      <Attachments detail={detail} readOnly={readOnly} />
      <h3>History</h3>
      <FindingHistory />
    </aside>
  );
}
