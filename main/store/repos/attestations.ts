/** Attestations (schema 0012): the current answer per engagement and check. main/services/attestations.ts signs them. */
import type { Actor } from '../../../shared/model/actor.js';
import type { Attestation, AttestationAnswerValue } from '../../../shared/model/attestation.js';
import type { StoreContext } from '../context.js';

interface Row {
  engagement_id: string;
  check_id: string;
  answer: AttestationAnswerValue;
  note: string;
  answered_by: string;
  answered_by_name: string;
  answered_at: string;
}

const toAttestation = (r: Row): Attestation => ({
  engagementId: r.engagement_id,
  checkId: r.check_id,
  answer: r.answer,
  note: r.note,
  answeredBy: { personId: r.answered_by, name: r.answered_by_name },
  answeredAt: r.answered_at,
});

export class AttestationsRepo {
  constructor(private readonly ctx: StoreContext) {}

  /** Records (or replaces) the answer to one check for one engagement. */
  answer(a: { engagementId: string; checkId: string; answer: AttestationAnswerValue; note: string; by: Actor }): Attestation {
    this.ctx
      .sql(
        `INSERT INTO attestation (engagement_id, check_id, answer, note, answered_by, answered_by_name, answered_at)
         VALUES (@e, @c, @answer, @note, @by, @name, @at)
         ON CONFLICT (engagement_id, check_id) DO UPDATE SET answer = excluded.answer, note = excluded.note,
           answered_by = excluded.answered_by, answered_by_name = excluded.answered_by_name, answered_at = excluded.answered_at`,
      )
      .run({ e: a.engagementId, c: a.checkId, answer: a.answer, note: a.note, by: a.by.personId, name: a.by.name, at: this.ctx.now() });
    return this.get(a.engagementId, a.checkId) as Attestation;
  }

  get(engagementId: string, checkId: string): Attestation | undefined {
    const r = this.ctx
      .sql<[string, string], Row>('SELECT * FROM attestation WHERE engagement_id = ? AND check_id = ?')
      .get(engagementId, checkId);
    return r && toAttestation(r);
  }

  forEngagement(engagementId: string): Attestation[] {
    return this.ctx
      .sql<[string], Row>('SELECT * FROM attestation WHERE engagement_id = ? ORDER BY check_id')
      .all(engagementId)
      .map(toAttestation);
  }
}
