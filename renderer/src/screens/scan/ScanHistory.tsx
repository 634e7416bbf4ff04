/**
 * Scans of the engagement, newest first, each with its state in words (how many hosts failed, and why on hover
 * and below); each one opens its results, or its progress when it still runs.
 */
import type { JSX } from 'react';
import { ScanStateBadge } from '../../components/Badges.js';
import { SafeText, TargetText } from '../../components/TargetText.js';
import { formatTime } from '../../components/format.js';
import { useStore } from '../../store/index.js';
import { VerdictCounts } from '../results/VerdictCounts.js';
import { elapsedMs, formatElapsed } from './liveModel.js';

export function ScanHistory({ engagementId }: { engagementId: string }): JSX.Element {
  const allScans = useStore((s) => s.scans);
  const scansOf = useStore((s) => s.scansOf);
  const liveId = useStore((s) => s.liveScan?.scan.id ?? null);
  const navigate = useStore((s) => s.navigate);
  const scans = scansOf === engagementId ? allScans : [];
  return (
    <section className="scan-history">
      <h2>History</h2>
      <table className="table" data-testid="scan-history">
        <thead>
          <tr>
            <th>Started</th>
            <th>State</th>
            <th className="num">Hosts</th>
            <th>Verdicts</th>
            <th className="num">Took</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {scans.map((s) => (
            <tr
              key={s.id}
              data-testid="scan-history-row"
              data-scan-id={s.id}
              data-state={s.state}
              data-failed={s.hostStates.failed}
              className={s.id === liveId ? 'current' : ''}
            >
              <td>
                <button
                  type="button"
                  className="link"
                  onClick={() => navigate({ screen: 'results', scanId: s.id })}
                  data-testid="scan-history-open"
                >
                  {formatTime(s.startedAt)}
                </button>
              </td>
              <td>
                <ScanStateBadge scan={s} testId="scan-history-state" />
                {s.failures.length > 0 && (
                  <ul className="scan-history-failures small" data-testid="scan-history-failures">
                    {s.failures.slice(0, 3).map((f) => (
                      <li key={f.hostRunId} data-testid="scan-history-failure" data-host-run-id={f.hostRunId}>
                        <SafeText text={f.hostName} />
                        {f.stoppedIn && <span className="muted"> while {f.stoppedIn}</span>}:{' '}
                        <TargetText text={f.error.message} className="muted" />
                      </li>
                    ))}
                    {s.hostStates.failed > 3 && <li className="muted">and {s.hostStates.failed - 3} more</li>}
                  </ul>
                )}
              </td>
              <td className="num">{s.hostCount}</td>
              <td>
                <VerdictCounts counts={s.counts} compact />
              </td>
              <td className="num">
                {s.finishedAt ? formatElapsed(elapsedMs(s.startedAt, s.finishedAt)) : '—'}
              </td>
              <td className="row-actions">
                {s.id !== liveId && (
                  <button
                    type="button"
                    onClick={() => navigate({ scanId: s.id })}
                    data-testid="scan-history-progress"
                  >
                    Hosts
                  </button>
                )}{' '}
                <button
                  type="button"
                  onClick={() => navigate({ screen: 'results', scanId: s.id })}
                  data-testid="scan-history-results"
                >
                  Results
                </button>
              </td>
            </tr>
          ))}
          {scans.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No scans yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
