/**
 * Approving or rejecting one finding: what the reviewer's key signs is shown first (the content hash finding.get
 * computed, the revision, the hosts with their state), then approve, or reject with a comment. A refusal (an author
 * or the submitter under the four-eye rule, a finding changed since it was read) is main's sentence.
 */
import { useEffect, useRef, useState, type JSX } from 'react';
import { SeverityBadge } from '../../components/Badges.js';
import { SafeText, TargetText } from '../../components/TargetText.js';
import { useStore } from '../../store/index.js';
import { Markdown } from './Markdown.js';
import { STATUS_LABEL } from './labels.js';

export function ApprovalDialog(): JSX.Element | null {
  const review = useStore((s) => s.review);
  const me = useStore((s) => s.me);
  const close = useStore((s) => s.closeReview);
  const approve = useStore((s) => s.approve);
  const reject = useStore((s) => s.reject);
  const [comment, setComment] = useState('');
  const ref = useRef<HTMLElement | null>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [review?.findingId]);
  if (!review) return null;
  const d = review.detail;
  const f = d?.finding;
  return (
    <div className="signin-backdrop" onKeyDown={(e) => e.key === 'Escape' && close()}>
      <section
        ref={ref}
        tabIndex={-1}
        className="panel approval-dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Review a finding"
        data-testid="approval-dialog"
        data-finding-id={review.findingId}
        data-revision={f?.revision ?? ''}
        data-content-hash={d?.contentHash ?? ''}
      >
        <header className="finding-editor-head">
          <h2>Review{f ? ':' : ''} {f && <SafeText text={f.title} />}</h2>
          <button type="button" className="link" onClick={close} aria-label="Close" data-testid="approval-close">
            ×
          </button>
        </header>
        {!d && !review.error && <p className="muted">Reading the finding…</p>}
        {d && f && (
          <>
            <dl className="approval-what">
              <dt>You sign</dt>
              <dd>
                revision <strong data-testid="approval-revision">{f.revision}</strong>, content SHA-256{' '}
                <code className="hash" data-testid="approval-hash">
                  {d.contentHash}
                </code>
              </dd>
              <dt>As</dt>
              <dd>{me ? <SafeText text={me.name} /> : <span className="muted">nobody is signed in</span>}</dd>
              <dt>Severity, status</dt>
              <dd>
                <SeverityBadge severity={f.severity} /> {STATUS_LABEL[f.status]}
              </dd>
              <dt>Authors</dt>
              <dd>
                <SafeText text={d.authors.map((a) => a.name).join(', ') || '—'} />
              </dd>
              <dt>Hosts ({d.hosts.total})</dt>
              <dd>
                <ul className="approval-hosts" data-testid="approval-hosts">
                  {d.hosts.items.map((h) => (
                    <li key={h.id} data-testid="approval-host" data-host={h.targetName} data-state={h.state}>
                      <TargetText text={h.targetName} /> ({h.state})
                    </li>
                  ))}
                </ul>
              </dd>
              <dt>Attachments</dt>
              <dd>
                {d.attachments.length === 0
                  ? '—'
                  : d.attachments.map((a) => (
                      <span key={a.id}>
                        <SafeText text={a.name} /> <code>{a.sha256.slice(0, 12)}…</code>{' '}
                      </span>
                    ))}
              </dd>
            </dl>
            <h3>Notes</h3>
            <Markdown text={f.notes || '—'} testId="approval-notes" />
            {f.recommendation && (
              <>
                <h3>Recommendation</h3>
                <SafeText text={f.recommendation} block />
              </>
            )}
          </>
        )}
        {review.error && (
          <p className="form-error" role="alert" data-testid="approval-error">
            <SafeText text={review.error} />
          </p>
        )}
        {review.done && (
          <p className="approval-done" role="status" data-testid="approval-done">
            {review.done}
          </p>
        )}
        {d && f?.reviewState === 'in_review' && !review.done && (
          <div className="approval-actions">
            <button
              type="button"
              className="primary"
              disabled={review.busy || me === null}
              onClick={() => void approve()}
              data-testid="approval-approve"
            >
              Approve revision {f.revision}
            </button>
            <label>
              Comment (to reject)
              <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={2} maxLength={2000} data-testid="approval-comment" />
            </label>
            <button
              type="button"
              className="danger"
              disabled={review.busy || me === null || !comment.trim()}
              onClick={() => void reject(comment).then((ok) => ok && setComment(''))}
              data-testid="approval-reject"
            >
              Reject with comment
            </button>
          </div>
        )}
        {d && f && f.reviewState !== 'in_review' && !review.done && (
          <p className="muted" data-testid="approval-not-in-review">
            This finding is not in review (it is {f.reviewState.replace('_', ' ')}).
          </p>
        )}
      </section>
    </div>
  );
}
