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

/** A profile a scan can run (built-in, or the user's own in their profiles directory). */
export const ProfileSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  benchmark: z.string().optional(),
  version: z.string().optional(),
  level: z.number().int().optional(),
  builtin: z.boolean(),
  /** The checks it runs, in catalogue order (empty when it cannot be used: see `problem`). */
  checkIds: z.array(z.string()),
  /** Checks it disables, with the reason. */
  disabled: z.array(z.object({ check: z.string(), reason: z.string() })),
  /** Checks whose parameters it sets. */
  tailored: z.array(z.string()),
  digest: z.string().nullable(),
  /** Why the profile cannot be used (a mistake in its file), or null. */
  problem: z.string().nullable(),
});
export type ProfileSummary = z.infer<typeof ProfileSummarySchema>;

export const CatalogueListSchema = z.object({
  /** Catalogue version (stored with every scan). */
  version: z.string(),
  checks: z.array(CheckSummarySchema),
  profiles: z.array(ProfileSummarySchema),
});
