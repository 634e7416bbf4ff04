/**
 * One scan as it runs: a row per host with a progress bar through queued, connecting, collecting, evaluating and
 * done (or failed with the reason, cancelled, interrupted: the bar and the steps show the step it stopped in),
 * the last note from the events and the elapsed time. The header says the scan's state with its failures.
 */
import { useEffect, useState, type JSX } from 'react';
import type { HostRunView, HostRunState } from '../../../../shared/api/schemas/scans.js';
import { zeroHostRunCounts } from '../../../../shared/model/workspace.js';
import { ScanStateBadge, StateBadge } from '../../components/Badges.js';
import { SafeText, TargetText } from '../../components/TargetText.js';
import { formatTime } from '../../components/format.js';
import { useStore } from '../../store/index.js';
import type { RunNote } from '../../store/scans.js';
import { VerdictCounts } from '../results/VerdictCounts.js';
import { RUN_STEPS, elapsedMs, formatElapsed, isEnded, progressOf, stoppedStep } from './liveModel.js';

/** Re-read the scan this often while it runs, in case an event was missed. */
const SAFETY_POLL_MS = 5000;

function RunRow({ run, note, now }: { run: HostRunView; note: RunNote | undefined; now: number }): JSX.Element {
  const stopped = stoppedStep(run, note?.lastStep);
  const share = progressOf(run.state, stopped);
  const ended = isEnded(run.state);
  return (
    <tr
      data-testid="scan-run"
      data-host={run.hostName}
      data-host-id={run.hostId ?? ''}
      data-state={run.state}
      data-stopped-in={stopped ?? ''}
    >
      <td>
        <SafeText text={run.hostName} />
      </td>
      <td className="scan-run-progress">
        <div
          className={`progress progress-${run.state}`}
          role="progressbar"
          aria-label={`Progress of ${run.hostName}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(share * 100)}
          aria-valuetext={stopped ? `${run.state} while ${stopped}` : run.state}
        >
          <div className="progress-fill" style={{ width: `${share * 100}%` }} />
        </div>
        <ol className="progress-steps" aria-hidden="true">
          {RUN_STEPS.map((s) => (
            <li
              key={s}
              className={run.state === s ? 'current' : stopped === s ? `stopped stopped-${run.state}` : ''}
            >
              {s}
            </li>
          ))}
        </ol>
      </td>
      <td>
        <StateBadge state={run.state} testId="scan-run-state" />
      </td>
      <td>
        <div className="scan-run-note">
          {stopped && (
            <span className="small scan-run-stopped" data-testid="scan-run-stopped">
              {run.state} while {stopped}
            </span>
          )}
          {run.error && run.state !== 'cancelled' && (
            <TargetText text={run.error.message} className="scan-run-error" testId="scan-run-error" />
          )}
          {note?.detail && <SafeText text={note.detail} className="muted small" testId="scan-run-detail" />}
          {!ended && note?.waiting && note.waiting.state === run.state && (
            <span className="small scan-run-waiting" data-testid="scan-run-waiting">
              waiting: nothing from the target for {formatElapsed(note.waiting.ms + Math.max(0, now - note.waiting.seenMs))}
            </span>
          )}
          {ended && run.state === 'done' && (
            <VerdictCounts counts={run.counts} compact testId="scan-run-counts" />
          )}
        </div>
      </td>
      <td className="num" data-testid="scan-run-elapsed">
        {formatElapsed(elapsedMs(run.startedAt, run.finishedAt, note?.seenStartMs, note?.seenEndMs, now))}
      </td>
    </tr>
  );
}

/** Runs per state as the rows show them (events move runs before the summary is re-read). */
function statesOf(runs: readonly HostRunView[]): Record<HostRunState, number> {
  const out = zeroHostRunCounts();
  for (const r of runs) out[r.state] += 1;
  return out;
}

export function LiveScan(): JSX.Element | null {
  const live = useStore((s) => s.liveScan);
  const notes = useStore((s) => s.runNotes);
  const cancelling = useStore((s) => s.cancelling);
  const cancelScan = useStore((s) => s.cancelScan);
  const refresh = useStore((s) => s.refreshLiveScan);
  const navigate = useStore((s) => s.navigate);
  const [now, setNow] = useState(() => Date.now());
  const running = live?.scan.state === 'running';
  const scanId = live?.scan.id;

  useEffect(() => {
    setNow(Date.now());
    if (!running) return;
    const tick = setInterval(() => setNow(Date.now()), 1000);
    const poll = setInterval(() => void refresh(), SAFETY_POLL_MS);
    return () => {
      clearInterval(tick);
      clearInterval(poll);
    };
  }, [running, refresh, scanId]);

  if (!live) return null;
  const { scan, hostRuns } = live;
  // Events re-render between ticks: show the time of this render, not of the last tick.
  const at = Math.max(now, Date.now());
  const ended = hostRuns.filter((r) => isEnded(r.state)).length;
  return (
    <section
      className="panel scan-live"
      data-testid="scan-live"
      data-scan-id={scan.id}
      data-state={scan.state}
      aria-live="polite"
    >
      <header className="scan-live-head">
        <h2>
          Scan of {formatTime(scan.startedAt)}{' '}
          <ScanStateBadge
            scan={{ state: scan.state, hostStates: statesOf(hostRuns) }}
            testId="scan-live-state"
          />
        </h2>
        <span className="muted" data-testid="scan-live-summary">
          {ended} of {hostRuns.length} hosts ended ·{' '}
          {formatElapsed(elapsedMs(scan.startedAt, scan.finishedAt, undefined, undefined, at))}
        </span>
        {running && (
          <button
            type="button"
            className="danger"
            disabled={cancelling}
            onClick={() => void cancelScan(scan.id)}
            data-testid="scan-cancel"
          >
            {cancelling ? 'Cancelling…' : 'Cancel scan'}
          </button>
        )}
        <button
          type="button"
          className={running ? '' : 'primary'}
          onClick={() => navigate({ screen: 'results', scanId: scan.id })}
          data-testid="scan-open-results"
        >
          Open results
        </button>
      </header>
      <table className="table scan-runs">
        <thead>
          <tr>
            <th>Host</th>
            <th>Progress</th>
            <th>State</th>
            <th>Notes</th>
            <th className="num">Elapsed</th>
          </tr>
        </thead>
        <tbody>
          {hostRuns.map((r) => (
            <RunRow key={r.id} run={r} note={notes[r.id]} now={at} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
