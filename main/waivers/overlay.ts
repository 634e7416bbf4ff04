/**
 * Which results show as waived: the check+host pairs (and checks on every host) of an engagement's approved,
 * unexpired waivers whose approval verifies now and that the audit trail does not record as revoked or rejected. Computed once per query from the engagement's few waivers and
 * handed to the store, which applies it in the same SQL statement that reads, counts or pages the results
 * (store/repos/result-pages.ts, result-tallies.ts): no query per row, and the stored results are never changed, so a
 * re-scan keeps its waivers and a waiver stops applying on its expiry date by itself.
 */
import { utcDay } from '../../shared/model/waiver-dates.js';
import type { Waiver } from '../../shared/model/waiver.js';
import type { PublicKeyOf } from '../people/acting.js';
import type { Workspace } from '../store/db.js';
import { ENDING_ACTIONS, applyProblem } from './content.js';

/** Of `waivers`, those the audit trail records as revoked or rejected (one query). */
export const endedInTrail = (ws: Workspace, waivers: readonly Waiver[]): Set<string> =>
  ws.audit.objectsWithAction(
    'waiver',
    waivers.map((w) => w.id),
    ENDING_ACTIONS,
  );

import type { WaivedKeys } from '../store/repos/waived-sql.js';
import type { WaiverOverlay } from './covers.js';

export type { WaivedKeys };

export { coveringWaiver, type AppliedWaivers, type WaiverOverlay } from './covers.js';

export function waiverOverlay(ws: Workspace, publicKeyOf: PublicKeyOf, now: () => Date = () => new Date()): WaiverOverlay {
  return (engagementId) => {
    const allHosts: string[] = [];
    const hostChecks: [string, string][] = [];
    const waivers: Waiver[] = [];
    const candidates = ws.waivers.approvedAfter(engagementId, utcDay(now()));
    const ended = endedInTrail(ws, candidates);
    for (const w of candidates) {
      if (applyProblem(w, publicKeyOf, ended) !== undefined) continue;
      waivers.push(w);
      if (w.hostId === null) allHosts.push(w.checkId);
      else hostChecks.push([w.hostId, w.checkId]);
    }
    return { allHosts, hostChecks, waivers };
  };
}
