/**
 * Pure decisions for refreshing views of a scan while it runs: which host run events call for a refresh of the
 * results or the dashboard, how refreshes are coalesced (at most one per interval), and the running scan's progress
 * line. The store slices act on these; nothing here calls the API.
 */
import type { HostRunView, HostRunState, ScanState } from '../../../../shared/api/schemas/scans.js';
import { isTerminalHostRunState } from '../../../../shared/model/workspace.js';

/** Least time between two refreshes of one view (ms). */
export const REFRESH_INTERVAL_MS = 500;

/** A host run state after which a run changes no more: its results (if any) are stored. */
export function isTerminal(state: HostRunState): boolean {
  return isTerminalHostRunState(state);
}

/**
 * Throttle with a trailing call: how long to wait before running a refresh asked for at `now`, or null when one is
 * already scheduled (it will see this change too). `lastRunAt`: when the last refresh ran (null: never).
 */
export function refreshDelay(
  now: number,
  lastRunAt: number | null,
  scheduled: boolean,
  intervalMs = REFRESH_INTERVAL_MS,
): number | null {
  if (scheduled) return null;
  if (lastRunAt === null) return 0;
  return Math.max(0, lastRunAt + intervalMs - now);
}

/** Coalesces calls to `run`: the first runs at once, later ones within the interval share one trailing run. */
export interface Coalescer {
  /** Ask for a run. */
  request(): void;
  /** Forget a scheduled run (nothing to refresh any more). */
  cancel(): void;
}

export function coalescer(run: () => void, intervalMs = REFRESH_INTERVAL_MS): Coalescer {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastRunAt: number | null = null;
  const fire = (): void => {
    timer = null;
    lastRunAt = Date.now();
    run();
  };
  return {
    request: () => {
      const delay = refreshDelay(Date.now(), lastRunAt, timer !== null, intervalMs);
      if (delay === null) return;
      timer = setTimeout(fire, delay);
    },
    cancel: () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}

/** What the results slice does about a host run that changed state. */
export type ResultsAction = 'none' | 'refresh' | 'invalidate';

/**
 * A run of the scan the results screen holds reached a terminal state: refresh what is shown when the screen is
 * open, else only drop the cached rows (the screen re-reads them when it opens).
 */
export function resultsActionOn(
  event: { scanId: string; state: HostRunState },
  resultsScanId: string | null,
  onResultsScreen: boolean,
): ResultsAction {
  if (resultsScanId !== event.scanId || !isTerminal(event.state)) return 'none';
  return onResultsScreen ? 'refresh' : 'invalidate';
}

/** What the dashboard knows when an event comes. */
export interface DashboardContext {
  /** The dashboard screen is open and its figures belong to the open engagement. */
  open: boolean;
  /** Scan the figures are of (null: no scan). */
  shownScanId: string | null;
  /** Scan ids of the open engagement the store knows. */
  engagementScanIds: readonly string[];
  /** Scan ids known to belong to another engagement. */
  otherScanIds: readonly string[];
}

/** A host run ended: reload when the dashboard shows that very scan (the engagement's latest, still running). */
export function dashboardReloadOnProgress(
  event: { scanId: string; state: HostRunState },
  ctx: DashboardContext,
): boolean {
  return ctx.open && ctx.shownScanId === event.scanId && isTerminal(event.state);
}

/**
 * A scan ended: reload when it is of this engagement, or not known yet (started after the list was read). The
 * default choice (latest finished) then moves to it; a scan the user chose stays.
 */
export function dashboardReloadOnFinished(scanId: string, ctx: DashboardContext): boolean {
  if (!ctx.open) return false;
  if (ctx.engagementScanIds.includes(scanId) || ctx.shownScanId === scanId) return true;
  return !ctx.otherScanIds.includes(scanId);
}

/** How far a scan is, for the line next to the scan chooser. */
export interface ScanProgress {
  running: boolean;
  ended: number;
  total: number;
  failed: number;
  text: string;
}

export function scanProgress(state: ScanState, runs: readonly Pick<HostRunView, 'state'>[]): ScanProgress {
  const ended = runs.filter((r) => isTerminal(r.state)).length;
  const failed = runs.filter((r) => r.state === 'failed').length;
  const running = state === 'running';
  const hosts = `${ended} of ${runs.length} ${runs.length === 1 ? 'host' : 'hosts'} done`;
  const text = running
    ? `scan running: ${hosts}${failed > 0 ? ` (${failed} failed)` : ''}`
    : `scan ${state}: ${hosts}`;
  return { running, ended, total: runs.length, failed, text };
}
