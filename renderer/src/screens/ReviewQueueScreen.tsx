/**
 * My review queue: the findings in review that the signed-in person may approve (not an author, not the submitter,
 * not approved by them at this revision), oldest change first; each opens the approval dialog.
 */
import { useEffect, type JSX } from 'react';
import { SeverityBadge } from '../components/Badges.js';
import { SafeText } from '../components/TargetText.js';
import { formatTime } from '../components/format.js';
import { useStore } from '../store/index.js';
import { needsPerson } from '../store/session.js';
import { ReviewBadge } from './findings/ReviewBadge.js';
import '../styles/findings.css';

export function ReviewQueueScreen(): JSX.Element {
  const me = useStore((s) => s.me);
  const queue = useStore((s) => s.queue);
  const total = useStore((s) => s.queueTotal);
  const loading = useStore((s) => s.queueLoading);
  const error = useStore((s) => s.queueError);
  const loadQueue = useStore((s) => s.loadQueue);
  const openReview = useStore((s) => s.openReview);
  const review = useStore((s) => s.review);
  useEffect(() => {
    if (me) void loadQueue();
  }, [me, loadQueue, review?.done]);
  return (
    <section className="screen review-screen" data-testid="screen-review" data-person={me?.name ?? ''}>
      <header className="screen-head">
        <h1>My review queue</h1>
        {me && (
          <span className="muted" data-testid="review-count" data-count={total}>
            {total} {total === 1 ? 'finding' : 'findings'} for <SafeText text={me.name} /> to review
          </span>
        )}
      </header>
      {!me ? (
        <p className="panel" data-testid="review-needs-person">
          {needsPerson('The review queue')}
        </p>
      ) : (
        <table className="table" data-testid="review-queue" aria-busy={loading}>
          <thead>
            <tr>
              <th>Severity</th>
              <th>Title</th>
              <th>Review</th>
              <th>Hosts</th>
              <th>Revision</th>
              <th>Changed</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {queue.map((f) => (
              <tr key={f.id} data-testid="review-row" data-finding-id={f.id} data-key={f.key} data-revision={f.revision}>
                <td>
                  <SeverityBadge severity={f.severity} />
                </td>
                <td>
                  <SafeText text={f.title} />
                  <div className="muted small">
                    <SafeText text={f.key} />
                  </div>
                </td>
                <td>
                  <ReviewBadge state={f.reviewState} approvals={f.approvals} required={f.approvalsRequired} />
                </td>
                <td>
                  <SafeText text={f.hosts.names.join(', ')} />
                </td>
                <td>{f.revision}</td>
                <td className="small">{formatTime(f.updatedAt)}</td>
                <td>
                  <button type="button" onClick={() => void openReview(f.id)} data-testid="review-open">
                    Review…
                  </button>
                </td>
              </tr>
            ))}
            {queue.length === 0 && !loading && (
              <tr>
                <td colSpan={7} className="muted" data-testid="review-empty">
                  {error ? <SafeText text={error} /> : 'Nothing to review.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
