/**
 * Findings of the open engagement: filters, counts, the list with a selection for bulk actions, and the editor of
 * the finding opened. An archived engagement's findings are read-only.
 */
import { useEffect, type JSX } from 'react';
import type { FindingListItem } from '../../../shared/api/schemas/findings.js';
import { SeverityBadge } from '../components/Badges.js';
import { SafeText } from '../components/TargetText.js';
import { formatTime } from '../components/format.js';
import { useStore } from '../store/index.js';
import { matchesText } from '../store/findings.js';
import { BulkBar } from './findings/BulkBar.js';
import { FindingEditor } from './findings/FindingEditor.js';
import { FindingFilters } from './findings/FindingFilters.js';
import { ReviewBadge } from './findings/ReviewBadge.js';
import { REVIEWS, REVIEW_LABEL, SEVERITY_ORDER, STATUS_LABEL } from './findings/labels.js';
import '../styles/findings.css';

function Counts({ items, total }: { items: FindingListItem[]; total: number }): JSX.Element {
  const bySeverity = SEVERITY_ORDER.map((s) => [s, items.filter((f) => f.severity === s).length] as const).filter(
    ([, n]) => n > 0,
  );
  const byReview = REVIEWS.map((r) => [r, items.filter((f) => f.reviewState === r).length] as const);
  return (
    <div className="finding-counts" data-testid="finding-counts" data-total={total} data-shown={items.length}>
      <span>
        {items.length === total ? `${total} findings` : `${items.length} of ${total} findings shown`}
      </span>
      {bySeverity.map(([s, n]) => (
        <span key={s} data-testid={`finding-count-${s}`} data-count={n}>
          <SeverityBadge severity={s} /> {n}
        </span>
      ))}
      {byReview.map(([r, n]) => (
        <span key={r} className="muted" data-testid={`finding-count-${r}`} data-count={n}>
          {REVIEW_LABEL[r]} {n}
        </span>
      ))}
    </div>
  );
}

export function FindingsScreen(): JSX.Element {
  const engagementId = useStore((s) => s.route.engagementId);
  const current = useStore((s) => s.current);
  const findingsOf = useStore((s) => s.findingsOf);
  const all = useStore((s) => s.findings);
  const total = useStore((s) => s.findingsTotal);
  const loading = useStore((s) => s.findingsLoading);
  const text = useStore((s) => s.findingFilters.text);
  const selection = useStore((s) => s.findingSelection);
  const setSelection = useStore((s) => s.setFindingSelection);
  const loadFindings = useStore((s) => s.loadFindings);
  const openFindingId = useStore((s) => s.openFindingId);
  const openFinding = useStore((s) => s.openFinding);
  const me = useStore((s) => s.me);

  useEffect(() => {
    if (engagementId) void loadFindings(engagementId);
  }, [engagementId, loadFindings, me]);

  const ours = findingsOf === engagementId;
  const items = ours ? all.filter((f) => matchesText(f, text)) : [];
  const readOnly = current?.id === engagementId && current?.archivedAt != null;
  const allChosen = items.length > 0 && items.every((f) => selection.includes(f.id));

  return (
    <section className="screen findings-screen" data-testid="screen-findings" data-read-only={readOnly}>
      <header className="screen-head">
        <h1>Findings</h1>
        <Counts items={items} total={ours ? total : 0} />
      </header>
      {engagementId && <FindingFilters engagementId={engagementId} />}
      {engagementId && <BulkBar engagementId={engagementId} readOnly={readOnly} />}
      <div className={openFindingId ? 'findings-body with-editor' : 'findings-body'}>
        <table className="table finding-table" data-testid="finding-list" aria-busy={loading}>
          <thead>
            <tr>
              <th>
                <input
                  type="checkbox"
                  aria-label="Select all shown"
                  checked={allChosen}
                  onChange={(e) => setSelection(e.target.checked ? items.map((f) => f.id) : [])}
                  data-testid="finding-select-all"
                />
              </th>
              <th>Severity</th>
              <th>Title</th>
              <th>Status</th>
              <th>Review</th>
              <th>Hosts</th>
              <th>Owner</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {items.map((f) => (
              <tr
                key={f.id}
                className={f.id === openFindingId ? 'selected' : undefined}
                data-testid="finding-row"
                data-finding-id={f.id}
                data-key={f.key}
                data-review={f.reviewState}
                data-status={f.status}
                data-revision={f.revision}
              >
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${f.title}`}
                    checked={selection.includes(f.id)}
                    onChange={(e) =>
                      setSelection(e.target.checked ? [...selection, f.id] : selection.filter((id) => id !== f.id))
                    }
                    data-testid="finding-select"
                  />
                </td>
                <td>
                  <SeverityBadge severity={f.severity} />
                </td>
                <td>
                  <button type="button" className="link" onClick={() => void openFinding(f.id)} data-testid="finding-open">
                    <SafeText text={f.title} />
                  </button>
                  <div className="muted small">
                    <SafeText text={f.key} />
                    {f.tags.length > 0 && (
                      <>
                        {' · '}
                        <SafeText text={f.tags.join(', ')} />
                      </>
                    )}
                  </div>
                </td>
                <td>{STATUS_LABEL[f.status]}</td>
                <td>
                  <ReviewBadge state={f.reviewState} approvals={f.approvals} required={f.approvalsRequired} />
                </td>
                <td title={f.hosts.names.join(', ')}>
                  {f.hosts.failing} failing{f.hosts.fixed > 0 ? `, ${f.hosts.fixed} fixed` : ''}
                </td>
                <td>{f.customerOwner ? <SafeText text={f.customerOwner} /> : <span className="muted">—</span>}</td>
                <td className="small">{formatTime(f.updatedAt)}</td>
              </tr>
            ))}
            {items.length === 0 && !loading && (
              <tr>
                <td colSpan={8} className="muted" data-testid="finding-list-empty">
                  {ours && total === 0
                    ? 'No findings: a scan makes them from the failing results.'
                    : 'No finding matches the filters.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
        {openFindingId && <FindingEditor readOnly={readOnly} />}
      </div>
    </section>
  );
}
