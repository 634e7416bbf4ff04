/**
 * The offline review as it crosses the API (main/review/ behind main/services/review.ts). A review package and a
 * review answer travel as their file's bytes in base64, with a file name to save them under: the UI in browser mode
 * offers them as a download, the CLI writes them where -o says. What comes back of an import is a summary; the files
 * themselves are verified whole by main before anything of them is stored.
 */
import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';

/**
 * A file's bytes in base64, as large as the browser bridge's 8 MiB request body lets through with room for the rest
 * of the call (Electron IPC takes the same). Larger packages go through the command line.
 */
export const REVIEW_FILE_MAX_BASE64 = 8_000_000;

const FileBase64Schema = z
  .string({ error: 'File content must be base64 text.' })
  .min(1, { error: 'File content is required.' })
  .max(REVIEW_FILE_MAX_BASE64, {
    error: `File content must be at most ${REVIEW_FILE_MAX_BASE64.toLocaleString('en-US')} base64 characters through the API (use foureyes review on the command line for a larger file).`,
  })
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'File content must be base64 (letters, digits, +, / and = padding).' });

/** A file main wrote: its bytes in base64, its SHA-256 and a name to save it under. */
const WrittenFileSchema = {
  fileName: z.string(),
  contentBase64: z.string(),
  sha256: z.string(),
};

export const ReviewExportInputSchema = z.strictObject({
  engagementId: IdSchema,
  /** Only these findings (each must be in review); default: every finding of the engagement in review. */
  findingIds: z.array(IdSchema).min(1, { error: 'Finding ids, when given, must name one finding at least.' }).max(10_000).optional(),
});

const PackagedFindingSchema = z.object({
  id: z.string(),
  title: z.string(),
  revision: z.number().int(),
  contentHash: z.string(),
});

export const ReviewExportResultSchema = z.object({
  packageId: z.string(),
  ...WrittenFileSchema,
  findings: z.array(PackagedFindingSchema),
});

export const ReviewFileInputSchema = z.strictObject({ contentBase64: FileBase64Schema });

const CheckpointViewSchema = z.object({
  count: z.number().int().min(0),
  headHash: z.string(),
  at: z.string(),
  signer: z.object({ personId: z.string(), name: z.string() }),
  signature: z.string(),
});

export const ReviewPackageSummarySchema = z.object({
  id: z.string(),
  sha256: z.string(),
  createdAt: TimestampSchema,
  exporter: z.object({ name: z.string(), role: z.string(), email: z.string(), fingerprint: z.string() }),
  /** How the exporter stands here: known before, or added now as a colleague. */
  exporterStatus: z.enum(['known', 'added', 'unknown']),
  engagement: z.object({ id: z.string(), name: z.string(), approvalsRequired: z.number().int() }),
  checkpoint: CheckpointViewSchema,
  findings: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      severity: z.string(),
      status: z.string(),
      revision: z.number().int(),
      contentHash: z.string(),
      hosts: z.array(z.object({ name: z.string(), state: z.string(), checkId: z.string() })),
      attachments: z.array(z.object({ name: z.string(), mediaType: z.string(), size: z.number().int() })),
      authors: z.array(z.string()),
    }),
  ),
  /** True when this very file had been imported before (nothing was stored again). */
  alreadyImported: z.boolean(),
});

export const ReviewListSchema = z.object({
  /** Packages received here, newest first: reviews to do (answer null) and done. */
  received: z.array(
    z.object({
      id: z.string(),
      sha256: z.string(),
      exporterName: z.string(),
      exporterFingerprint: z.string(),
      engagementName: z.string(),
      findings: z.number().int(),
      importedAt: TimestampSchema,
      state: z.enum(['to_answer', 'answered']),
      answer: z.object({ id: z.string(), at: TimestampSchema, by: z.string() }).nullable(),
    }),
  ),
  /** Packages exported from here (from the trail), newest first, with the answer imported for each, if any. */
  exported: z.array(
    z.object({
      id: z.string(),
      at: TimestampSchema,
      by: z.string(),
      engagementId: z.string(),
      engagementName: z.string().nullable(),
      sha256: z.string(),
      findings: z.number().int(),
      state: z.enum(['awaiting_answer', 'answered']),
      answer: z
        .object({ id: z.string(), at: TimestampSchema, reviewer: z.string(), applied: z.number().int(), refused: z.number().int() })
        .nullable(),
    }),
  ),
});

const CommentSchema = z
  .string({ error: 'Comment must be text.' })
  .trim()
  .min(1, { error: 'Comment, when given, must not be empty.' })
  .max(10_000, { error: 'Comment must be at most 10,000 characters.' });

export const ReviewDecisionInputSchema = z.strictObject({
  findingId: IdSchema,
  decision: z.enum(['approve', 'reject'], { error: 'Decision must be approve or reject.' }),
  /** Why: required for a rejection (the finding goes back to draft with it), optional for an approval. */
  comment: CommentSchema.optional(),
});

export const ReviewAnswerInputSchema = z.strictObject({
  packageId: IdSchema,
  decisions: z
    .array(ReviewDecisionInputSchema)
    .min(1, { error: 'An answer needs at least one decision (approve or reject a finding).' })
    .max(10_000),
});

export const ReviewAnswerResultSchema = z.object({
  answerId: z.string(),
  packageId: z.string(),
  ...WrittenFileSchema,
  decisions: z.array(z.object({ findingId: z.string(), title: z.string(), decision: z.enum(['approve', 'reject']) })),
});

export const ReviewAnswerOutcomeSchema = z.object({
  answerId: z.string(),
  packageId: z.string(),
  reviewer: z.object({ name: z.string(), fingerprint: z.string(), added: z.boolean() }),
  applied: z.array(
    z.object({
      findingId: z.string(),
      title: z.string(),
      decision: z.enum(['approve', 'reject']),
      reviewState: z.string(),
    }),
  ),
  refused: z.array(
    z.object({
      findingId: z.string(),
      title: z.string().nullable(),
      decision: z.enum(['approve', 'reject']),
      reason: z.string(),
    }),
  ),
});
