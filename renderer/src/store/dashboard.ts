/** Dashboard figures of the open engagement, the scans it can summarise, and which of them is shown. */
import type { MethodOutput } from '../../../shared/api/contract.js';
import type { EventPayload } from '../../../shared/api/events.js';
import type { ScanSummary } from '../../../shared/api/schemas/scans.js';
import { api } from '../api/client.js';
import { value } from '../api/call.js';
import { EMPTY_FILTER } from '../screens/results/resultsModel.js';
import {
  coalescer,
  dashboardReloadOnFinished,
  dashboardReloadOnProgress,
  type DashboardContext,
} from '../screens/results/refreshModel.js';
import type { AppState, SliceCreator } from './types.js';

export type DashboardSummary = MethodOutput<'dashboard.summary'>;

export interface DashboardSlice {
  dashboard: DashboardSummary | null;
  /** Engagement the figures above belong to (they are kept while another one loads). */
  dashboardEngagementId: string | null;
  /** Scans of that engagement for the chooser, newest first. */
  dashboardScans: ScanSummary[];
  /** Scan chosen by the user; null: the latest finished one (the API's default). */
  dashboardScanId: string | null;
  dashboardLoading: boolean;
  /** Load the summary and the scan list. `scanId` chooses a scan; without it the current choice stays. */
  loadDashboard(engagementId: string, scanId?: string | null): Promise<void>;
  /** Show another scan (null: back to the latest finished one). */
  chooseDashboardScan(scanId: string | null): Promise<void>;
  /**
   * Go to the results of the scan shown, filtered to one host (other filters cleared, the sort kept).
   * `hostId` null (a host removed since): the scan's results, unfiltered.
   */
  openHostResults(hostId: string | null): void;
  /** A host run changed state: when the dashboard shows that scan and the run ended, reload (coalesced). */
  dashboardScanProgress(p: EventPayload<'scan.progress'>): void;
  /**
   * A scan ended: when it is of the open engagement, reload (coalesced); the default choice (latest finished)
   * then shows it when it is done, a scan the user chose stays.
   */
  dashboardScanFinished(scanId: string): void;
}

let loadSeq = 0;

/** What the dashboard knows about the scans events name. */
function contextOf(s: AppState): DashboardContext {
  const engagementId = s.route.engagementId;
  const open =
    s.route.screen === 'dashboard' && engagementId !== null && s.dashboardEngagementId === engagementId;
  const mine = [...s.dashboardScans, ...(s.scansOf === engagementId ? s.scans : [])].map((x) => x.id);
  const other = [s.liveScan?.scan, s.resultsScan?.scan]
    .filter((x) => x !== undefined && x.engagementId !== engagementId)
    .map((x) => x!.id);
  return { open, shownScanId: s.dashboard?.scanId ?? null, engagementScanIds: mine, otherScanIds: other };
}

export const createDashboardSlice: SliceCreator<DashboardSlice> = (set, get) => {
  const reloader = coalescer(() => {
    const s = get();
    const engagementId = s.route.engagementId;
    if (s.route.screen === 'dashboard' && engagementId) void s.loadDashboard(engagementId);
  });
  return {
    dashboard: null,
    dashboardEngagementId: null,
    dashboardScans: [],
    dashboardScanId: null,
    dashboardLoading: false,
    loadDashboard: async (engagementId, scanId) => {
      const sameEngagement = get().dashboardEngagementId === engagementId;
      const chosen = scanId !== undefined ? scanId : sameEngagement ? get().dashboardScanId : null;
      const seq = ++loadSeq;
      set({ dashboardLoading: true, dashboardScanId: chosen });
      try {
        const [summary, scans] = await Promise.all([
          value(api().dashboard.summary({ engagementId, ...(chosen ? { scanId: chosen } : {}) })),
          value(api().scan.list({ engagementId })),
        ]);
        // A later load (another scan chosen, another engagement opened) wins.
        if (seq !== loadSeq || get().route.engagementId !== engagementId) return;
        set({ dashboard: summary, dashboardEngagementId: engagementId, dashboardScans: scans.items });
      } catch (e) {
        if (seq === loadSeq) get().notify('error', 'Dashboard', e);
      } finally {
        if (seq === loadSeq) set({ dashboardLoading: false });
      }
    },
    chooseDashboardScan: async (scanId) => {
      const engagementId = get().route.engagementId;
      if (engagementId) await get().loadDashboard(engagementId, scanId);
    },
    openHostResults: (hostId) => {
      const scanId = get().dashboard?.scanId ?? null;
      if (scanId === null) return;
      // The results screen keeps the query it finds for its scan: set it first, narrowed to the host.
      get().setResultQuery({
        scanId,
        filter: { ...EMPTY_FILTER, hostIds: hostId === null ? [] : [hostId] },
        sort: get().resultQuery?.sort ?? { by: 'severity', dir: 'desc' },
      });
      get().navigate({ screen: 'results', scanId });
    },
    dashboardScanProgress: (p) => {
      if (dashboardReloadOnProgress(p, contextOf(get()))) reloader.request();
    },
    dashboardScanFinished: (scanId) => {
      if (dashboardReloadOnFinished(scanId, contextOf(get()))) reloader.request();
    },
  };
};
