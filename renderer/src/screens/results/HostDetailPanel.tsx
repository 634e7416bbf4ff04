/**
 * One host of the scan: its run (state, where a run that did not end done stopped and why, times to the second),
 * score, what the target says it is, counts per verdict and its failing checks (each opens its detail).
 */
import type { JSX } from 'react';
import { SeverityBadge, StateBadge } from '../../components/Badges.js';
import { SafeText, TargetText, visibleControls } from '../../components/TargetText.js';
import { formatScore, formatTime } from '../../components/format.js';
import type { HostDetail } from '../../store/results.js';
import { elapsedMs, formatElapsed } from '../scan/liveModel.js';
import { DetailDrawer } from './DetailDrawer.js';
import { SudoCommands } from './SudoCommands.js';
import { TargetIdentity } from './TargetIdentity.js';
import { VerdictCounts } from './VerdictCounts.js';

interface Props {
  detail: HostDetail;
  onClose(): void;
  onOpenCheck(hostRunId: string, checkId: string): void;
}

export function HostDetailPanel({ detail, onClose, onOpenCheck }: Props): JSX.Element {
  const { run, failures } = detail;
  return (
    <DetailDrawer
      testId="host-detail"
      title={visibleControls(run.hostName, false)}
      onClose={onClose}
      data={{ 'data-host': run.hostName, 'data-host-run-id': run.id }}
    >
      <div className="host-score">
        <div className="host-score-figure" data-testid="host-detail-score" data-score={run.score ?? ''}>
          {formatScore(run.score)}
          <span className="muted small"> / 100</span>
        </div>
        <div className="small">
          <StateBadge state={run.state} testId="host-detail-state" />
          {run.stoppedIn && (
            <span className="host-detail-stopped" data-testid="host-detail-stopped">
              {' '}
              while {run.stoppedIn}
            </span>
          )}{' '}
          ·{' '}
          <span data-testid="host-detail-privilege">
            {run.privilege === null
              ? 'privilege not known (not collected)'
              : run.privilege === 'root'
                ? 'ran as root'
                : run.privilege === 'sudo'
                  ? 'ran as root through sudo'
                  : 'ran without root'}
          </span>
          <div className="muted" data-testid="host-detail-times">
            {formatTime(run.startedAt)} – {formatTime(run.finishedAt)}
            {run.finishedAt && ` (${formatElapsed(elapsedMs(run.startedAt, run.finishedAt))})`}
          </div>
        </div>
      </div>
      {run.error && (
        <p className="detail-problem" data-testid="host-detail-error">
          {run.state === 'failed' && (
            <strong>Failed{run.stoppedIn ? ` while ${run.stoppedIn}` : ''}: </strong>
          )}
          <TargetText text={run.error.message} />
        </p>
      )}
      {run.sudoNotObtained !== undefined && (
        <p className="detail-problem" data-testid="host-detail-sudo-warning">
          <strong>sudo requested but not obtained: </strong>
          <SafeText text={run.sudoNotObtained} />
        </p>
      )}
      <TargetIdentity run={run} />
      <VerdictCounts counts={run.counts} testId="host-detail-counts" />
      <SudoCommands sudo={run.sudo} />
      <section>
        <h3>Failing checks {failures && <span className="muted">({detail.failureTotal})</span>}</h3>
        {failures === null &&
          (detail.failuresError !== undefined ? (
            <p className="detail-problem" data-testid="host-detail-failures-error">
              <TargetText text={detail.failuresError} />
            </p>
          ) : (
            <p className="muted">Loading…</p>
          ))}
        {failures?.length === 0 && (
          <p className="muted">
            {run.state === 'done'
              ? 'No failing check on this host.'
              : `No results: the run ended ${run.state}.`}
          </p>
        )}
        {failures && failures.length > 0 && (
          <ul className="host-failures">
            {failures.map((f) => (
              <li key={f.checkId} data-testid="host-detail-failure" data-check-id={f.checkId}>
                <SeverityBadge severity={f.severity} />
                <button type="button" className="link" onClick={() => onOpenCheck(f.hostRunId, f.checkId)}>
                  <span className="mono">{f.checkId}</span> {f.title}
                </button>
                <TargetText text={f.actual} className="muted small host-failure-actual" />
              </li>
            ))}
          </ul>
        )}
      </section>
    </DetailDrawer>
  );
}
