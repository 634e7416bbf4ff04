/**
 * The command line's way into findings: the same service the API dispatches to (main/services/findings.ts), with the
 * same input validation (the contract's schemas, refusals as sentences), so a command changes a finding exactly as
 * the workstation does: one transaction, one signed audit event, the four-eye rule.
 */
import { CONTRACT, type HandlerInput, type MethodName } from '../../shared/api/contract.js';
import { inputIssueSentence } from '../../shared/api/schemas/sentences.js';
import { FoureyesError } from '../../shared/model/errors.js';
import { wellFormed } from '../../shared/text/well-formed.js';
import { describeIssues } from '../api/registry.js';
import { recordAudit } from '../audit/trail.js';
import { publicKeyOf } from '../people/public-keys.js';
import { findingApiService, type FindingCommands } from '../services/findings.js';
import type { Workspace } from '../store/db.js';
import type { Engagement } from '../../shared/model/workspace.js';

export const findingsOf = (ws: Workspace): FindingCommands =>
  findingApiService(ws, { recordAudit: recordAudit(ws), publicKeyOf: publicKeyOf(ws) });

/** `input` checked (defaults applied) by the contract's schema of `method`; a refusal names `command`. */
export function contractInput<M extends MethodName>(method: M, input: unknown, command: string): HandlerInput<M> {
  const r = CONTRACT[method].input.safeParse(wellFormed(input), { error: inputIssueSentence });
  if (!r.success) throw new FoureyesError('bad_input', `${command}: ${describeIssues(r.error.issues).message}`);
  return r.data as HandlerInput<M>;
}

const SHORT_ID = /^[A-Za-z0-9-]{4,64}$/;

/** A finding named by its id or a unique start of it (as `foureyes findings` shows them, 8 characters). */
export function resolveFindingId(ws: Workspace, given: string): string {
  if (ws.findings.get(given)) return given;
  const shown = JSON.stringify(given.slice(0, 80));
  if (!SHORT_ID.test(given))
    throw new FoureyesError('bad_input', `${shown} is not a finding id (letters, digits and -; 4 characters at least)`);
  const ids = ws.findings.pages.idsStartingWith(given, 2);
  if (ids.length === 0) throw new FoureyesError('not_found', `no finding with an id starting ${shown} in ${ws.path}`);
  if (ids.length > 1)
    throw new FoureyesError('bad_input', `more than one finding has an id starting ${shown}: give more of it`);
  return ids[0]!;
}

/** The engagement named by `--engagement` (its id or exact name), or every engagement, archived ones too. */
export function engagementsChosen(ws: Workspace, given: string | undefined): Engagement[] {
  return given !== undefined
    ? [ws.engagements.require(resolveEngagementId(ws, given))]
    : ws.engagements.list({ includeArchived: true });
}

/** An engagement named by its id or its exact name. */
export function resolveEngagementId(ws: Workspace, given: string): string {
  if (ws.engagements.get(given)) return given;
  const byName = ws.engagements.list({ includeArchived: true }).filter((e) => e.name === given);
  if (byName.length === 1) return byName[0]!.id;
  throw new FoureyesError(
    byName.length === 0 ? 'not_found' : 'bad_input',
    byName.length === 0
      ? `no engagement with the id or name ${JSON.stringify(given.slice(0, 200))}`
      : `several engagements are named ${JSON.stringify(given.slice(0, 200))}: give the id`,
  );
}
