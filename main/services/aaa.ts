/**
 * The AAA view over the API and the command line: one host run, or one scan of an engagement (its newest scan with
 * a completed host run unless named). Built on request from the stored snapshots and results (main/aaa).
 */
import type { HandlerInput, MethodOutput } from '../../shared/api/contract.js';
import type { AaaHost } from '../../shared/api/schemas/aaa.js';
import { FoureyesError } from '../../shared/model/errors.js';
import { engagementView } from '../aaa/engagement-view.js';
import { hostView } from '../aaa/host-view.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import type { Workspace } from '../store/db.js';

export interface AaaService {
  host(input: HandlerInput<'aaa.host'>): MethodOutput<'aaa.host'>;
  engagement(input: HandlerInput<'aaa.engagement'>): MethodOutput<'aaa.engagement'>;
}

function hostRunView(ws: Workspace, catalogue: Catalogue, hostRunId: string): AaaHost {
  const run = ws.hostRuns.require(hostRunId);
  const snapshot = ws.snapshots.info(hostRunId) ? ws.snapshots.loadSnapshot(hostRunId) : null;
  return hostView({
    hostRunId,
    hostName: run.hostName,
    snapshot,
    results: ws.results.forHostRun(hostRunId),
    checks: catalogue.byId,
  });
}

export function aaaService(ws: Workspace, catalogue: Catalogue): AaaService {
  return {
    host: ({ hostRunId }) => hostRunView(ws, catalogue, hostRunId),
    engagement: ({ engagementId, scanId }) => {
      ws.engagements.require(engagementId);
      const scans = ws.scans.listScans(engagementId);
      const scan = scanId
        ? scans.find((s) => s.id === scanId)
        : scans.find((s) => ws.hostRuns.list(s.id).some((r) => r.state === 'done'));
      if (scanId && !scan)
        throw new FoureyesError('not_found', `no scan ${scanId} in this engagement`, { scanId });
      if (!scan) return engagementView(null, []);
      const runs = ws.hostRuns.list(scan.id).filter((r) => r.state === 'done');
      return engagementView(
        { id: scan.id, startedAt: scan.startedAt },
        runs.map((r) => hostRunView(ws, catalogue, r.id)),
      );
    },
  };
}
