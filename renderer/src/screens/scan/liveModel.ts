/**
 * Pure helpers for the live view of a scan: host run states in order, merging events and re-reads without ever
 * stepping a run back, progress fractions and elapsed times.
 */
import type { EventPayload } from '../../../../shared/api/events.js';
import type { HostRun, HostRunState } from '../../../../shared/api/schemas/scans.js';

/** The steps a run goes through, in order; a progress bar shows how far along them it is. */
export const RUN_STEPS = ['queued', 'connecting', 'collecting', 'evaluating', 'done'] as const;

const ENDED: readonly HostRunState[] = ['done', 'failed', 'cancelled', 'interrupted'];

export function isEnded(state: HostRunState): boolean {
  return ENDED.includes(state);
}

/** Order of states: every end state ranks above every step before it. */
export function stateRank(state: HostRunState): number {
  return isEnded(state) ? RUN_STEPS.length : RUN_STEPS.indexOf(state as (typeof RUN_STEPS)[number]);
}

/**
 * Share of the way (0..1) a run has gone. Failed, cancelled and interrupted runs keep the share of the last step
 * they reached when it is known (`lastStep`), else show a full bar in their own colour.
 */
export function progressOf(state: HostRunState, lastStep?: HostRunState): number {
  if (state === 'done') return 1;
  if (isEnded(state)) return lastStep && !isEnded(lastStep) ? progressOf(lastStep) : 1;
  return RUN_STEPS.indexOf(state as (typeof RUN_STEPS)[number]) / (RUN_STEPS.length - 1);
}

/**
 * The host runs with one progress event applied, or null when the event names a run that is not in the list
 * (the caller re-reads the scan). An event older than what is shown (lower rank) changes nothing.
 */
export function mergeProgress(runs: readonly HostRun[], p: EventPayload<'scan.progress'>): HostRun[] | null {
  const i = runs.findIndex((r) => r.id === p.hostRunId);
  const cur = runs[i];
  if (!cur) return null;
  if (stateRank(p.state) < stateRank(cur.state) || (isEnded(cur.state) && cur.state !== p.state))
    return [...runs];
  const next: HostRun = {
    ...cur,
    state: p.state,
    error: p.error ?? (p.state === 'failed' ? cur.error : null),
  };
  const out = [...runs];
  out[i] = next;
  return out;
}

/** A fresh scan.get list, keeping any run the current view already shows further along. */
export function mergeHostRuns(current: readonly HostRun[], fresh: readonly HostRun[]): HostRun[] {
  const byId = new Map(current.map((r) => [r.id, r]));
  return fresh.map((f) => {
    const c = byId.get(f.id);
    return c && stateRank(c.state) > stateRank(f.state)
      ? { ...f, state: c.state, error: c.error ?? f.error }
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
