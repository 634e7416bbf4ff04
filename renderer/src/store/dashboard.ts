/** Dashboard figures of the open engagement, the scans it can summarise, and which of them is shown. */
import type { MethodOutput } from '../../../shared/api/contract.js';
import type { ScanSummary } from '../../../shared/api/schemas/scans.js';
import { api } from '../api/client.js';
import { value } from '../api/call.js';
import { EMPTY_FILTER } from '../screens/results/resultsModel.js';
import type { SliceCreator } from './types.js';

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
}

let loadSeq = 0;

export const createDashboardSlice: SliceCreator<DashboardSlice> = (set, get) => ({
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
});
