/** The hosts of a finding: failing or fixed, seen when, and the evidence of the last scan (target text). */
import type { JSX } from 'react';
import { TargetText } from '../../components/TargetText.js';
import { formatTime } from '../../components/format.js';
import type { FindingDetail } from '../../store/finding.js';

export function HostParts({ detail }: { detail: FindingDetail }): JSX.Element {
  const parts = detail.hosts.items;
  if (parts.length === 0) return <p className="muted small">No host.</p>;
  return (
    <ul className="host-parts" data-testid="finding-hosts">
      {parts.map((p) => (
        <li key={p.id} data-testid="finding-host" data-host={p.targetName} data-state={p.state}>
          <div>
            <strong>
              <TargetText text={p.targetName} />
            </strong>{' '}
            <span className={`badge ${p.state === 'failing' ? 'verdict-fail' : 'verdict-pass'}`}>{p.state}</span>{' '}
            <span className="muted small">
              first seen {formatTime(p.firstSeenAt)}, last {formatTime(p.lastSeenAt)}
              {p.fixedAt ? `, fixed ${formatTime(p.fixedAt)}` : ''}
            </span>
          </div>
          {p.actual && (
            <div className="small">
              Actual: <TargetText text={p.actual} />
            </div>
          )}
          {p.evidence.length > 0 && (
            <ul className="evidence">
              {p.evidence.map((e, i) => (
                <li key={i} data-testid="finding-host-evidence" data-fact-id={e.factId}>
                  <span className="muted small">
                    {e.factId}
                    {e.path && (
                      <>
                        {' '}
                        <TargetText text={e.path} />
                      </>
                    )}
                    {e.line !== undefined && `:${e.line}`}
                  </span>
                  <TargetText text={e.excerpt} block />
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
      {detail.hosts.total > parts.length && (
        <li className="muted small">
          {detail.hosts.total - parts.length} more host parts not shown.
        </li>
      )}
    </ul>
  );
}
