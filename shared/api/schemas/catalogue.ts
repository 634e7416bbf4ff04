/** Check metadata as the UI sees it (the rule itself stays in main). */
import { z } from 'zod';
import { PLATFORMS } from '../../checks/rules.js';
import { FamilySchema, SeveritySchema } from './common.js';

export const CheckSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  family: FamilySchema,
  area: z.string(),
  severity: SeveritySchema,
  platforms: z.array(z.enum(PLATFORMS)),
  /** References keyed by framework (cis, nist_800_53, ...). */
  references: z.record(z.string(), z.array(z.string())),
});
export type CheckSummary = z.infer<typeof CheckSummarySchema>;

export const CheckMetaSchema = CheckSummarySchema.extend({
  rationale: z.string(),
  facts: z.array(z.string()),
  remediation: z.object({
    text: z.string(),
    impact: z.string().optional(),
    shell: z.string().optional(),
    ansible: z.string().optional(),
    risky: z.boolean().optional(),
  }),
});
export type CheckMeta = z.infer<typeof CheckMetaSchema>;

export const CatalogueListSchema = z.object({
  /** Catalogue version (stored with every scan). */
  version: z.string(),
  checks: z.array(CheckSummarySchema),
});
