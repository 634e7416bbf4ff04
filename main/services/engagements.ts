/** Engagements over the store; the store's extra fields (scope) are dropped to the contract's shape. */
import type { Engagement as ApiEngagement } from '../../shared/api/schemas/workspace.js';
import type { Engagement } from '../../shared/model/workspace.js';
import type { EngagementService } from '../api/services.js';
import type { Workspace } from '../store/db.js';

function toApi(e: Engagement): ApiEngagement {
  return {
    id: e.id,
    name: e.name,
    customer: e.customer,
    description: e.description,
    createdAt: e.createdAt,
    archivedAt: e.archivedAt,
  };
}

export function engagementService(ws: Workspace): EngagementService {
  return {
    list: ({ includeArchived }) => ({ engagements: ws.engagements.list({ includeArchived }).map(toApi) }),
    create: (input) => toApi(ws.engagements.create(input)),
    get: ({ engagementId }) => {
      const e = ws.engagements.require(engagementId);
      const scans = ws.scans.listScans(engagementId);
      const lastScanAt = scans.reduce<string | null>((m, s) => (m === null || s.startedAt > m ? s.startedAt : m), null);
      return { ...toApi(e), hostCount: ws.hosts.count(engagementId), scanCount: scans.length, lastScanAt };
    },
    archive: ({ engagementId }) => toApi(ws.engagements.archive(engagementId)),
  };
}
