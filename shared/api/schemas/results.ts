/** Result rows, check detail and dashboard figures as they cross the API. */
import { z } from 'zod';
import {
  FamilySchema,
  IdSchema,
  PagingSchema,
  SeveritySchema,
  TimestampSchema,
  VerdictCountsSchema,
  VerdictSchema,
  ShownVerdictSchema,
  ErrorInfoSchema,
  pageOf,
  textInput,
} from './common.js';
import { ActiveHostRunStateSchema, HostRunStateSchema } from './scans.js';
import { CheckMetaSchema } from './catalogue.js';
import { EvidenceSchema } from '../../model/evidence.js';
import { WaiversExpiringSchema } from './waivers.js';

/** Evidence (shared/model/results.ts). Excerpts are untrusted target text: render as text. */
export { EvidenceSchema };

/** Mirrors `CheckResult` in shared/model/results.ts. */
export const CheckResultSchema = z.object({
  checkId: z.string(),
  verdict: VerdictSchema,
  expected: z.string(),
  actual: z.string(),
  reason: z.string(),
  evidence: z.array(EvidenceSchema),
  needsPrivilege: z.boolean().optional(),
});

export const ResultFilterSchema = z.strictObject({
  verdicts: z.array(ShownVerdictSchema).max(8).optional(),
  severities: z.array(SeveritySchema).max(8).optional(),
  families: z.array(FamilySchema).max(8).optional(),
  areas: z.array(textInput(64, 'Area')).max(100).optional(),
  hostIds: z.array(IdSchema).max(1000).optional(),
  /** Case-insensitive substring of check id, title, host name, actual value or reason. */
  text: textInput(200, 'Search text').optional(),
});

export const RESULT_SORT_KEYS = ['severity', 'verdict', 'host', 'check'] as const;

export const ResultsQueryInputSchema = z.strictObject({
  scanId: IdSchema,
  filter: ResultFilterSchema.default({}),
  sort: z
    .strictObject({ by: z.enum(RESULT_SORT_KEYS), dir: z.enum(['asc', 'desc']).default('desc') })
    .default({ by: 'severity', dir: 'desc' }),
  paging: PagingSchema.default({ offset: 0, limit: 100 }),
});
export type ResultsQueryInput = z.infer<typeof ResultsQueryInputSchema>;

/** One row of the results table: a check's verdict on one host run. */
export const ResultRowSchema = z.object({
  hostRunId: IdSchema,
  /** Null when the host was removed from the inventory after the scan. */
  hostId: IdSchema.nullable(),
  hostName: z.string(),
  checkId: z.string(),
  title: z.string(),
  family: FamilySchema,
  area: z.string(),
  severity: SeveritySchema,
  /** `waived` when an approved waiver covers the check on this host (the stored result is untouched). */
  verdict: ShownVerdictSchema,
  reason: z.string(),
  expected: z.string(),
  actual: z.string(),
});
export type ResultRow = z.infer<typeof ResultRowSchema>;

export const ResultsPageSchema = pageOf(ResultRowSchema);

/** Bounded excerpt of one raw fact, as collected (untrusted). */
export const FactExcerptSchema = z.object({
  factId: z.string(),
  kind: z.enum(['file', 'fileset', 'command', 'paths']),
  /** File path(s) for file facts, the command label for command facts. */
  label: z.string(),
  excerpt: z.string(),
  /** True when the excerpt is shorter than what was collected. */
  truncated: z.boolean(),
  /** Why the fact could not be read (denied, missing, timeout, error). */
  problem: z.string().optional(),
});

export const CheckDetailSchema = z.object({
  hostRunId: IdSchema,
  hostName: z.string(),
  result: CheckResultSchema,
  check: CheckMetaSchema,
  /** Excerpts of the facts the check read, so the reader sees what decided the verdict. */
  facts: z.array(FactExcerptSchema),
  /** When the facts were collected on the host. */
  collectedAt: TimestampSchema.nullable(),
  /**
   * Present when the result shows as waived: the approved waiver that covers it (`result.verdict` stays what the
   * scan found).
   */
  waiver: z
    .object({
      waiverId: IdSchema,
      reason: z.string(),
      owner: z.string().nullable(),
      expiresOn: z.string(),
      approvedBy: z.string(),
    })
    .optional(),
});

export const DashboardHostSchema = z.object({
  /** Null when the host was removed from the inventory after the scan. */
  hostId: IdSchema.nullable(),
  hostName: z.string(),
  hostRunId: IdSchema.nullable(),
  state: HostRunStateSchema.nullable(),
  /** Why the host's run failed (null unless it did), and the state it was in then. */
  error: ErrorInfoSchema.nullable(),
  stoppedIn: ActiveHostRunStateSchema.nullable(),
  score: z.number().min(0).max(100).nullable(),
  counts: VerdictCountsSchema,
});

export const DashboardSummarySchema = z.object({
  /** The scan summarised (the latest finished one unless asked otherwise); null when the engagement has none. */
  scanId: IdSchema.nullable(),
  /**
   * The scan's hosts, and the inventory's hosts without a run in it: at most 1000 of those, by name; the number not
   * listed is unlistedHosts.
   */
  hosts: z.array(DashboardHostSchema),
  /** Inventory hosts without a run in the scan beyond the ones listed. */
  unlistedHosts: z.number().int().min(0),
  byFamily: z.array(z.object({ family: FamilySchema, counts: VerdictCountsSchema })),
  bySeverity: z.array(z.object({ severity: SeveritySchema, counts: VerdictCountsSchema })),
  /** One point per finished scan of the engagement, oldest first. */
  trend: z.array(
    z.object({
      scanId: IdSchema,
      startedAt: TimestampSchema,
      score: z.number().min(0).max(100).nullable(),
      counts: VerdictCountsSchema,
    }),
  ),
  /** Approved waivers of the engagement that stop applying within 14 days (results they cover will fail again). */
  waiversExpiring: WaiversExpiringSchema,
});
