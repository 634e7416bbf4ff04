/**
 * One check on one host: verdict and reason, expected against actual, the evidence that decided it, the raw facts
 * the check read (as collected: untrusted text), why it matters and how to fix it.
 */
import type { JSX } from 'react';
import { SeverityBadge, VerdictBadge } from '../../components/Badges.js';
import { SafeText, TargetText } from '../../components/TargetText.js';
import { formatTime } from '../../components/format.js';
import type { CheckDetail } from '../../store/results.js';
import { DetailDrawer } from './DetailDrawer.js';

function Evidence({ detail }: { detail: CheckDetail }): JSX.Element {
  const ev = detail.result.evidence;
  if (ev.length === 0)
    return <p className="muted small">No evidence excerpt (the verdict rests on the facts below).</p>;
  return (
    <ol className="detail-list">
      {ev.map((e, i) => (
        <li key={i} data-testid="check-detail-evidence" data-fact-id={e.factId}>
          <div className="mono small detail-where">
            {e.path ? (
              <TargetText
                text={e.line !== undefined ? `${e.path}:${e.line}` : e.path}
                testId="check-detail-evidence-path"
              />
            ) : (
              <span>{e.factId}</span>
            )}
          </div>
          <TargetText text={e.excerpt} block testId="check-detail-evidence-excerpt" />
        </li>
      ))}
    </ol>
  );
}

function Facts({ detail }: { detail: CheckDetail }): JSX.Element {
  if (detail.facts.length === 0) return <p className="muted small">No stored fact for this check.</p>;
  return (
    <ol className="detail-list">
      {detail.facts.map((f) => (
        <li key={f.factId} data-testid="check-detail-fact" data-fact-id={f.factId} data-kind={f.kind}>
          <div className="detail-where">
            <TargetText text={f.label} className="mono small" />{' '}
            <span className="muted small">({f.kind})</span>
            {f.truncated && (
              <span className="badge detail-note" data-testid="check-detail-fact-truncated">
                excerpt truncated
              </span>
            )}
          </div>
          {f.problem && (
            <div className="detail-problem small" data-testid="check-detail-fact-problem">
              Could not be read: <SafeText text={f.problem} />
            </div>
          )}
          {f.excerpt ? (
            <TargetText text={f.excerpt} block testId="check-detail-fact-excerpt" />
          ) : (
            <p className="muted small">(empty)</p>
          )}
        </li>
      ))}
    </ol>
  );
}

export function CheckDetailPanel({ detail, onClose }: { detail: CheckDetail; onClose(): void }): JSX.Element {
  const { check, result } = detail;
  const refs = Object.entries(check.references).filter(([, ids]) => ids.length > 0);
  return (
    <DetailDrawer
      testId="check-detail"
      title={check.title}
      onClose={onClose}
      data={{
        'data-check-id': check.id,
        'data-verdict': detail.waiver ? 'waived' : result.verdict,
        'data-host-run-id': detail.hostRunId,
      }}
    >
      <p className="detail-meta">
        <span className="mono">{check.id}</span> <SeverityBadge severity={check.severity} />{' '}
        {detail.waiver && (
          <>
            <VerdictBadge verdict="waived" />{' '}
          </>
        )}
        <VerdictBadge verdict={result.verdict} />{' '}
        <span className="muted small">
          {check.family} / {check.area}
        </span>
      </p>
      <p className="detail-meta small">
        on <SafeText text={detail.hostName} className="detail-host" /> · collected{' '}
        {formatTime(detail.collectedAt)}
      </p>
      {detail.waiver && (
        <section data-testid="check-detail-waiver">
          <h3>Waived until {detail.waiver.expiresOn}</h3>
          <p className="small">
            <SafeText text={detail.waiver.reason} />
            {detail.waiver.owner !== null && (
              <>
                {' '}
                (owner <SafeText text={detail.waiver.owner} />)
              </>
            )}
            ; approved by <SafeText text={detail.waiver.approvedBy} />. The scan found the verdict shown beside it.
          </p>
        </section>
      )}
      <section>
        <h3>Reason</h3>
        <TargetText text={result.reason} testId="check-detail-reason" />
        {result.needsPrivilege && (
          <p className="small detail-problem">The facts need root; this scan ran without it.</p>
        )}
      </section>
      <section className="detail-compare">
        <div>
          <h3>Expected</h3>
          <SafeText text={result.expected} block testId="check-detail-expected" />
        </div>
        <div>
          <h3>Actual</h3>
          <TargetText text={result.actual} block testId="check-detail-actual" />
        </div>
      </section>
      <section>
        <h3>Evidence</h3>
        <Evidence detail={detail} />
      </section>
      <section>
        <h3>Raw facts read</h3>
        <Facts detail={detail} />
      </section>
      <section>
        <h3>Why it matters</h3>
        <SafeText text={check.rationale} testId="check-detail-rationale" />
      </section>
      <section data-testid="check-detail-remediation">
        <h3>Remediation</h3>
        <SafeText text={check.remediation.text} />
        {check.remediation.shell && (
          <>
            <h4>Shell</h4>
            <SafeText text={check.remediation.shell} block />
          </>
        )}
        {check.remediation.ansible && (
          <>
            <h4>Ansible</h4>
            <SafeText text={check.remediation.ansible} block />
          </>
        )}
      </section>
      {refs.length > 0 && (
        <section>
          <h3>References</h3>
          <dl className="detail-refs" data-testid="check-detail-references">
            {refs.map(([fw, ids]) => (
              <div key={fw}>
                <dt>{fw.replace(/_/g, ' ')}</dt>
                <dd className="mono small">{ids.join(', ')}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
    </DetailDrawer>
  );
}
