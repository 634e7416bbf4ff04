/** The audit trail: a page of events (newest first, as stored) and what verifying the whole trail says. */
import type { AuditEvent, TrailReport } from '../../../shared/model/audit.js';
import { api } from '../api/client.js';
import { value } from '../api/call.js';
import type { SliceCreator } from './types.js';

export const AUDIT_PAGE = 50;

export interface AuditSlice {
  auditEvents: AuditEvent[];
  auditTotal: number;
  auditOffset: number;
  auditLoading: boolean;
  auditReport: TrailReport | null;
  auditVerifying: boolean;
  loadAudit(offset: number): Promise<void>;
  verifyAudit(): Promise<void>;
}

export const createAuditSlice: SliceCreator<AuditSlice> = (set, get) => ({
  auditEvents: [],
  auditTotal: 0,
  auditOffset: 0,
  auditLoading: false,
  auditReport: null,
  auditVerifying: false,
  loadAudit: async (offset) => {
    set({ auditLoading: true });
    try {
      const page = await value(api().audit.list({ paging: { offset, limit: AUDIT_PAGE } }));
      set({ auditEvents: page.items, auditTotal: page.total, auditOffset: page.offset });
    } catch (e) {
      get().notify('error', 'Audit trail', e);
    } finally {
      set({ auditLoading: false });
    }
  },
  verifyAudit: async () => {
    set({ auditVerifying: true });
    try {
      set({ auditReport: await value(api().audit.verify({})) });
    } catch (e) {
      get().notify('error', 'Verify the trail', e);
    } finally {
      set({ auditVerifying: false });
    }
  },
});
