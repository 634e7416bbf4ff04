/**
 * Attestations: a consultant's answers to the catalogue's questions that no command can answer (is there an
 * approved hardening standard, who reviews log alerts), per engagement, each with who answered, when and a note.
 * The answer decides the attestation check on every host of the engagement's scans, and is recorded, signed, in
 * the audit trail.
 */
import { z } from 'zod';
import { ActorSchema } from './actor.js';

export const ATTESTATION_ANSWERS = ['yes', 'no', 'not_applicable'] as const;
export type AttestationAnswerValue = (typeof ATTESTATION_ANSWERS)[number];

export const AttestationSchema = z.object({
  engagementId: z.string(),
  checkId: z.string(),
  answer: z.enum(ATTESTATION_ANSWERS),
  /** What the consultant saw or was told (a document, who said so). */
  note: z.string(),
  answeredBy: ActorSchema,
  answeredAt: z.string(),
});
export type Attestation = z.infer<typeof AttestationSchema>;
