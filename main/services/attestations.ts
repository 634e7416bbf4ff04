/**
 * Attestations over the API and the command line: the catalogue's questions that no command can answer, with the
 * engagement's answers. An answer is written with its signed audit event in one transaction
 * (`attestation.answer`, before and after), so the trail says who answered what, when and why; the answer then
 * decides that check on every host of the engagement's later scans (main/engine/evaluate.ts).
 */
import type { HandlerInput, MethodOutput } from '../../shared/api/contract.js';
import type { AttestationItem } from '../../shared/api/schemas/attestations.js';
import type { AttestationRule, Check } from '../../shared/checks/schema.js';
import type { Attestation } from '../../shared/model/attestation.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { RecordAudit } from '../audit/types.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import type { Acting } from '../people/acting.js';
import type { Workspace } from '../store/db.js';

export interface AttestationService {
  list(input: HandlerInput<'attestation.list'>): MethodOutput<'attestation.list'>;
  answer(input: HandlerInput<'attestation.answer'>, acting: Acting): MethodOutput<'attestation.answer'>;
}

/** The attestation checks of a catalogue, in catalogue order. */
export const attestationChecks = (cat: Catalogue): Check[] => cat.checks.filter((c) => c.rule.type === 'attestation');

function item(c: Check, a: Attestation | undefined): AttestationItem {
  const r = c.rule as AttestationRule;
  return {
    checkId: c.id,
    title: c.title,
    family: c.family,
    area: c.area,
    question: r.question,
    pass: r.pass,
    evidence: r.evidence ?? null,
    attestation: a ?? null,
  };
}

export function attestationService(ws: Workspace, catalogue: Catalogue, deps: { recordAudit: RecordAudit }): AttestationService {
  return {
    list: ({ engagementId }) => {
      ws.engagements.require(engagementId);
      const answers = new Map(ws.attestations.forEngagement(engagementId).map((a) => [a.checkId, a]));
      return { items: attestationChecks(catalogue).map((c) => item(c, answers.get(c.id))) };
    },
    answer: ({ engagementId, checkId, answer, note }, acting) =>
      ws.tx(() => {
        ws.engagements.requireWritable(engagementId);
        const c = catalogue.byId.get(checkId);
        if (!c) throw new FoureyesError('bad_input', `no check '${checkId}' in the catalogue`, { checkId });
        if (c.rule.type !== 'attestation')
          throw new FoureyesError('bad_input', `check ${checkId} is decided from the hosts' facts, not by an answer (only attestation checks are answered)`, { checkId });
        const before = ws.attestations.get(engagementId, checkId);
        const a = ws.attestations.answer({ engagementId, checkId, answer, note, by: acting.actor });
        deps.recordAudit(acting, {
          action: 'attestation.answer',
          object: { type: 'attestation', id: `${engagementId}/${checkId}` },
          reason: note,
          ...(before ? { before: { answer: before.answer, note: before.note, by: before.answeredBy.name, at: before.answeredAt } } : {}),
          after: { engagementId, checkId, answer: a.answer, note: a.note },
        });
        return item(c, a);
      }),
  };
}
