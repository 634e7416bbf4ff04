/** Dashboard figures of the open engagement. */
import type { MethodOutput } from '../../../shared/api/contract.js';
import { api } from '../api/client.js';
import { value } from '../api/call.js';
import type { SliceCreator } from './types.js';

export type DashboardSummary = MethodOutput<'dashboard.summary'>;

export interface DashboardSlice {
  dashboard: DashboardSummary | null;
  loadDashboard(engagementId: string, scanId?: string): Promise<void>;
}

export const createDashboardSlice: SliceCreator<DashboardSlice> = (set, get) => ({
  dashboard: null,
  loadDashboard: async (engagementId, scanId) => {
    try {
      const d = await value(api().dashboard.summary({ engagementId, ...(scanId ? { scanId } : {}) }));
      if (get().route.engagementId === engagementId) set({ dashboard: d });
    } catch (e) {
      get().notify('error', 'Dashboard', e);
    }
  },
});
