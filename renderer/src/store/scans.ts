/** Scans of the open engagement. */
import type { ScanSummary } from '../../../shared/api/schemas/scans.js';
import { api } from '../api/client.js';
import { value } from '../api/call.js';
import type { SliceCreator } from './types.js';

export interface ScanSlice {
  scans: ScanSummary[];
  loadScans(engagementId: string): Promise<void>;
}

export const createScanSlice: SliceCreator<ScanSlice> = (set, get) => ({
  scans: [],
  loadScans: async (engagementId) => {
    try {
      const page = await value(api().scan.list({ engagementId }));
      if (get().route.engagementId === engagementId) set({ scans: page.items });
    } catch (e) {
      get().notify('error', 'Scans', e);
    }
  },
});
