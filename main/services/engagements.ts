/** Engagements over the store; the store's extra fields (scope) are dropped to the contract's shape. */
import type { Engagement as ApiEngagement } from '../../shared/api/schemas/workspace.js';
import type { Engagement } from '../../shared/model/workspace.js';
import type { EngagementService } from '../api/services.js';
import type { Workspace } from '../store/db.js';
import { auditIf } from './audited.js';

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
    create: (input, acting) =>
      ws.tx(() => {
        const e = ws.engagements.create(input);
        auditIf(ws, acting, { action: 'engagement.create', object: { type: 'engagement', id: e.id }, after: e });
        return toApi(e);
      }),
    get: ({ engagementId }) => {
      const e = ws.engagements.require(engagementId);
      const scans = ws.scans.listScans(engagementId);
      const lastScanAt = scans.reduce<string | null>((m, s) => (m === null || s.startedAt > m ? s.startedAt : m), null);
      return { ...toApi(e), hostCount: ws.hosts.count(engagementId), scanCount: scans.length, lastScanAt };
    },
    archive: ({ engagementId }, acting) =>
      ws.tx(() => {
        const before = ws.engagements.require(engagementId);
        const after = ws.engagements.archive(engagementId);
        const object = { type: 'engagement', id: engagementId };
        if (after.archivedAt !== before.archivedAt)
          auditIf(ws, acting, { action: 'engagement.archive', object, before, after });
        return toApi(after);
      }),
  };
}
