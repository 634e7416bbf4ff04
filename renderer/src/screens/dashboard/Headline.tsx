/** The four figures a consultant quotes first: hosts scanned, overall score, failed checks, critical/high fails. */
import type { JSX } from 'react';
import { formatScore } from '../../components/format.js';
import { headline, scoreBand, type Summary } from './figures.js';

export function Headline({ summary }: { summary: Summary }): JSX.Element {
  const h = headline(summary);
  return (
    <dl className="dashboard-tiles" data-testid="dashboard-headline">
      <div className="panel tile">
        <dt>Hosts scanned</dt>
        <dd data-testid="dashboard-hosts-scanned" data-value={h.hostsScanned} data-total={h.hostsTotal}>
          {h.hostsScanned}
          <span className="muted"> / {h.hostsTotal}</span>
          {h.hostsFailed > 0 && (
            <div className="small band-poor" data-testid="dashboard-hosts-failed" data-value={h.hostsFailed}>
              {h.hostsFailed} failed
            </div>
          )}
        </dd>
      </div>
      <div className="panel tile">
        <dt>Overall score</dt>
        <dd
          data-testid="dashboard-score"
          data-value={h.score ?? ''}
          className={h.score === null ? 'muted' : `band-${scoreBand(h.score)}`}
        >
          {formatScore(h.score)}
          {h.score !== null && <span className="muted"> / 100</span>}
        </dd>
      </div>
      <div className="panel tile">
        <dt>Failed checks</dt>
        <dd
          data-testid="dashboard-failed"
          data-value={h.failed}
          className={h.failed > 0 ? 'band-poor' : undefined}
        >
          {h.failed}
        </dd>
      </div>
      <div className="panel tile">
        <dt>Critical / high failures</dt>
        <dd
          data-testid="dashboard-critical-high"
          data-value={h.criticalHighFailed}
          className={h.criticalHighFailed > 0 ? 'band-poor' : undefined}
        >
          {h.criticalHighFailed}
        </dd>
      </div>
    </dl>
  );
}
