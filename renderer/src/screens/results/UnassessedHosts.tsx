/**
 * Hosts of the scan that have no results because their run did not end done: a row each with its state, the step
 * it stopped in and the reason (target or SSH text: shown as text), and a button to its host detail. Without it
 * a failed host would simply be missing from the results table.
 */
import type { JSX } from 'react';
import type { HostRunView } from '../../../../shared/api/schemas/scans.js';
import { StateBadge } from '../../components/Badges.js';
import { SafeText, TargetText } from '../../components/TargetText.js';
import { isEnded } from '../scan/liveModel.js';

interface Props {
  hostRuns: readonly HostRunView[];
  onOpen(hostRunId: string): void;
}

export function UnassessedHosts({ hostRuns, onOpen }: Props): JSX.Element | null {
  const runs = hostRuns.filter((r) => isEnded(r.state) && r.state !== 'done');
  if (runs.length === 0) return null;
  const failed = runs.filter((r) => r.state === 'failed').length;
  return (
    <section
      className="panel results-unassessed"
      data-testid="results-unassessed"
      aria-label="Hosts without results"
    >
      <h2 className="small">
        {runs.length} {runs.length === 1 ? 'host has' : 'hosts have'} no results
        {failed > 0 && <span className="results-unassessed-failed"> · {failed} failed</span>}
      </h2>
      <table className="table">
        <thead>
          <tr>
            <th>Host</th>
            <th>State</th>
            <th>Stopped in</th>
            <th>Reason</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr
              key={r.id}
              data-testid="results-unassessed-host"
              data-host-run-id={r.id}
              data-host={r.hostName}
              data-state={r.state}
              data-stopped-in={r.stoppedIn ?? ''}
            >
              <td>
                <SafeText text={r.hostName} />
              </td>
              <td>
                <StateBadge state={r.state} />
              </td>
              <td>{r.stoppedIn ?? <span className="muted">not known</span>}</td>
              <td data-testid="results-unassessed-reason">
                {r.error ? (
                  <TargetText text={r.error.message} />
                ) : (
                  <span className="muted">{r.state === 'cancelled' ? 'the scan was cancelled' : '—'}</span>
                )}
              </td>
              <td className="row-actions">
                <button type="button" onClick={() => onOpen(r.id)} data-testid="results-unassessed-open">
                  Host detail
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
