/**
 * Which waiver covers a result, from the waivers that apply now (overlay.ts computes them). Kept apart from the
 * verification (no key, no trail, no schema) so that the CLI's scan report, on assess's fast start, can use it.
 */
import { WAIVABLE_VERDICTS, type Verdict } from '../../shared/model/results.js';
import type { Waiver } from '../../shared/model/waiver.js';
import type { WaivedKeys } from '../store/repos/waived-sql.js';

/** The waivers of an engagement that apply now, and their keys. */
export interface AppliedWaivers extends WaivedKeys {
  waivers: readonly Waiver[];
}

/** The waiver that covers a `verdict` of check `checkId` on host `hostId` (null: a target outside the inventory). */
export function coveringWaiver(k: AppliedWaivers, hostId: string | null, checkId: string, verdict: Verdict): Waiver | undefined {
  if (!WAIVABLE_VERDICTS.includes(verdict)) return undefined;
  return k.waivers.find((w) => w.checkId === checkId && (w.hostId === null || (hostId !== null && w.hostId === hostId)));
}

export type WaiverOverlay = (engagementId: string) => AppliedWaivers;
