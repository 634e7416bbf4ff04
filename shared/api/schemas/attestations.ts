/** Attestations as they cross the API: the questions of the catalogue with the engagement's answers. */
import { z } from 'zod';
import { AttestationSchema, ATTESTATION_ANSWERS } from '../../model/attestation.js';
import { FamilySchema, IdSchema } from './common.js';
import { CheckIdSchema } from './scans.js';

export const AttestationListInputSchema = z.strictObject({ engagementId: IdSchema });

/** One question: the attestation check and the engagement's current answer (null: not answered yet). */
export const AttestationItemSchema = z.object({
  checkId: z.string(),
  title: z.string(),
  family: FamilySchema,
  area: z.string(),
  question: z.string(),
  /** The answer that passes. */
  pass: z.enum(['yes', 'no']),
  /** What to ask to see before answering. */
  evidence: z.string().nullable(),
  attestation: AttestationSchema.nullable(),
});
export type AttestationItem = z.infer<typeof AttestationItemSchema>;

export const AttestationListSchema = z.object({ items: z.array(AttestationItemSchema) });

export const AttestationAnswerInputSchema = z.strictObject({
  engagementId: IdSchema,
  checkId: CheckIdSchema,
  answer: z.enum(ATTESTATION_ANSWERS),
  /** What was seen or who said so: required, the report shows it as the evidence. */
  note: z
    .string()
    .trim()
    .min(1, { error: 'Say what you saw or who told you (the report shows it as the evidence).' })
    .max(4000, { error: 'The note must be at most 4000 characters.' }),
});
