/**
 * Pure helpers for the live view of a scan: host run states in order, merging events and re-reads without ever
 * stepping a run back, progress fractions and elapsed times.
 */
import type { EventPayload } from '../../../../shared/api/events.js';
import type { HostRunView, HostRunState } from '../../../../shared/api/schemas/scans.js';
import {
  ACTIVE_HOST_RUN_STATES,
  isActiveHostRunState,
  isTerminalHostRunState,
  type ActiveHostRunState,
} from '../../../../shared/model/workspace.js';

/** The steps a run goes through, in order; a progress bar shows how far along them it is. */
export const RUN_STEPS = [...ACTIVE_HOST_RUN_STATES, 'done'] as const;

export function isEnded(state: HostRunState): boolean {
  return isTerminalHostRunState(state);
}

/** Order of states: every end state ranks above every step before it. */
export function stateRank(state: HostRunState): number {
  return isEnded(state) ? RUN_STEPS.length : RUN_STEPS.indexOf(state as (typeof RUN_STEPS)[number]);
}

/**
 * Share of the way (0..1) a run has gone. A failed, cancelled or interrupted run shows the share of the step it
 * stopped in (`stoppedIn`: stored with the run, or the last step events showed); when that is not known, an empty
 * bar, never a full one as if every step had run.
 */
export function progressOf(state: HostRunState, stoppedIn?: HostRunState | null): number {
  if (state === 'done') return 1;
  if (isEnded(state)) return stoppedIn && !isEnded(stoppedIn) ? progressOf(stoppedIn) : 0;
  return RUN_STEPS.indexOf(state as (typeof RUN_STEPS)[number]) / (RUN_STEPS.length - 1);
}

/** The step a run that did not end done stopped in, when known: what it stored, else what events showed. */
export function stoppedStep(
  run: Pick<HostRunView, 'state' | 'stoppedIn'>,
  lastStep?: HostRunState,
): ActiveHostRunState | null {
  if (!isEnded(run.state) || run.state === 'done') return null;
  if (run.stoppedIn) return run.stoppedIn;
  return lastStep && isActiveHostRunState(lastStep) ? lastStep : null;
}

/**
 * The host runs with one progress event applied, or null when the event names a run that is not in the list
 * (the caller re-reads the scan). An event older than what is shown (lower rank) changes nothing.
 */
export function mergeProgress(runs: readonly HostRunView[], p: EventPayload<'scan.progress'>): HostRunView[] | null {
  const i = runs.findIndex((r) => r.id === p.hostRunId);
  const cur = runs[i];
  if (!cur) return null;
  if (stateRank(p.state) < stateRank(cur.state) || (isEnded(cur.state) && cur.state !== p.state))
    return [...runs];
  const next: HostRunView = {
    ...cur,
    state: p.state,
    error: p.error ?? (p.state === 'failed' ? cur.error : null),
    // A run that ends without being done stopped in the step it was in.
    stoppedIn:
      isEnded(p.state) && p.state !== 'done' && isActiveHostRunState(cur.state) ? cur.state : cur.stoppedIn,
  };
  const out = [...runs];
  out[i] = next;
  return out;
}

/** A fresh scan.get list, keeping any run the current view already shows further along. */
export function mergeHostRuns(current: readonly HostRunView[], fresh: readonly HostRunView[]): HostRunView[] {
  const byId = new Map(current.map((r) => [r.id, r]));
  return fresh.map((f) => {
    const c = byId.get(f.id);
    return c && stateRank(c.state) > stateRank(f.state)
      ? { ...f, state: c.state, error: c.error ?? f.error, stoppedIn: c.stoppedIn ?? f.stoppedIn }
      : f;
  });
}

/** Milliseconds between two instants, or null when the start is unknown. */
export function elapsedMs(
  startIso: string | null,
  endIso: string | null,
  seenStart?: number,
  seenEnd?: number,
  now = Date.now(),
): number | null {
  const start = startIso ? Date.parse(startIso) : seenStart;
  if (start === undefined || Number.isNaN(start)) return null;
  const end = endIso ? Date.parse(endIso) : (seenEnd ?? now);
  return Math.max(0, end - start);
}

/** `4.2 s`, `1 min 05 s`, `2 h 03 min`; a dash for null. */
export function formatElapsed(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
