/**
 * The waiver overlay in SQL: the verdict a result shows, `waived` when its stored verdict is one a waiver covers
 * (fail, error, manual) and its check is waived on every host or on its host. The waived keys arrive as two bound
 * JSON arrays (named parameters, so one statement may use the expression more than once); the statement reading
 * them is otherwise the one used without waivers. Needs `r` (result) and `h` (host_run) in scope.
 */
import { WAIVABLE_VERDICTS } from '../../../shared/model/results.js';

/** Waived checks: on every host of the engagement, and [hostId, checkId] pairs. */
export interface WaivedKeys {
  allHosts: readonly string[];
  hostChecks: readonly (readonly [string, string])[];
}

export const hasWaivers = (k: WaivedKeys | undefined): k is WaivedKeys =>
  k !== undefined && (k.allHosts.length > 0 || k.hostChecks.length > 0);

export const SHOWN_VERDICT_SQL =
  `(CASE WHEN r.verdict IN (${WAIVABLE_VERDICTS.map((v) => `'${v}'`).join(', ')}) AND ` +
  `(r.check_id IN (SELECT value FROM json_each(@waivedAll)) OR ` +
  `json_array(h.host_id, r.check_id) IN (SELECT value FROM json_each(@waivedHosts))) ` +
  `THEN 'waived' ELSE r.verdict END)`;

/** The named parameters of SHOWN_VERDICT_SQL. */
export const waivedParams = (k: WaivedKeys) => ({
  waivedAll: JSON.stringify(k.allHosts),
  waivedHosts: JSON.stringify(k.hostChecks),
});

/** The column to read a result's verdict from: the stored one, or the shown one when waivers apply. */
export const verdictSql = (k: WaivedKeys | undefined): string => (hasWaivers(k) ? SHOWN_VERDICT_SQL : 'r.verdict');

/** Bind arguments for `sql`: the positional ones, with the waived keys first when the statement names them. */
export const bindWith = (sql: string, k: WaivedKeys | undefined, positional: readonly unknown[]): unknown[] =>
  hasWaivers(k) && sql.includes('@waivedAll') ? [waivedParams(k), ...positional] : [...positional];
