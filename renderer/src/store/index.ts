/** The bound store: every slice in one zustand store. Components select what they need with useStore(selector). */
import { create } from 'zustand';
import { createAppSlice } from './app.js';
import { createDashboardSlice } from './dashboard.js';
import { createEngagementSlice } from './engagements.js';
import { createHostSlice } from './hosts.js';
import { createResultSlice } from './results.js';
import { createScanSlice } from './scans.js';
import { createSessionSlice } from './session.js';
import { createFindingsSlice } from './findings.js';
import { createFindingSlice } from './finding.js';
import { createReviewSlice } from './review.js';
import { createAuditSlice } from './audit.js';
import { createWaiverSlice } from './waivers.js';
import { createHandoverSlice } from './handover.js';
import { createAccessSlice } from './access.js';
import type { AppState } from './types.js';

export type { AppState } from './types.js';

export const useStore = create<AppState>()((...a) => ({
  ...createAppSlice(...a),
  ...createEngagementSlice(...a),
  ...createHostSlice(...a),
  ...createScanSlice(...a),
  ...createResultSlice(...a),
  ...createDashboardSlice(...a),
  ...createSessionSlice(...a),
  ...createFindingsSlice(...a),
  ...createFindingSlice(...a),
  ...createReviewSlice(...a),
  ...createAuditSlice(...a),
  ...createWaiverSlice(...a),
  ...createHandoverSlice(...a),
  ...createAccessSlice(...a),
}));
