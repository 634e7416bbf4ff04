/** Hosts of the open engagement. */
import type { Host } from '../../../shared/api/schemas/workspace.js';
import { api } from '../api/client.js';
import { value } from '../api/call.js';
import type { SliceCreator } from './types.js';

export interface HostSlice {
  hosts: Host[];
  /** Engagement the host list belongs to (a late reply for another engagement is dropped). */
  hostsOf: string | null;
  loadHosts(engagementId: string): Promise<void>;
}

export const createHostSlice: SliceCreator<HostSlice> = (set, get) => ({
  hosts: [],
  hostsOf: null,
  loadHosts: async (engagementId) => {
    try {
      const { hosts } = await value(api().host.list({ engagementId }));
      if (get().route.engagementId === engagementId) set({ hosts, hostsOf: engagementId });
    } catch (e) {
      get().notify('error', 'Hosts', e);
    }
  },
});
