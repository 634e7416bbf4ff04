/**
 * Publishing an export to a server as it crosses the API (main/publish/ behind main/services/publish.ts). A
 * Confluence bundle travels as the bytes of its zip in base64 (`foureyes export confluence --zip`); the API token
 * comes with the call, is used for that call only and is never stored, logged or echoed (its field is named as a
 * secret, so the dispatch scrubs it from every error and log entry). What comes back is what was created, updated
 * and left unchanged, and, when the server stopped it, why (a later call with the same bundle continues).
 */
import { z } from 'zod';
import { ERROR_CODES } from '../../model/errors.js';
import { IdSchema, textInput } from './common.js';
import { REVIEW_FILE_MAX_BASE64 } from './review.js';

export const PublishConfluenceInputSchema = z.strictObject({
  bundleBase64: z
    .string({ error: 'Bundle must be the base64 of a bundle zip.' })
    .min(1, { error: 'Bundle is required.' })
    .max(REVIEW_FILE_MAX_BASE64, {
      error: `Bundle must be at most ${REVIEW_FILE_MAX_BASE64.toLocaleString('en-US')} base64 characters through the API (use foureyes publish confluence on the command line for a larger one).`,
    })
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, {
      error: 'Bundle must be base64 (letters, digits, +, / and = padding).',
    }),
  url: textInput(2000, 'Confluence URL'),
  space: textInput(255, 'Space key'),
  parentId: z
    .string()
    .regex(/^[0-9]{1,20}$/, { error: 'Parent page id must be digits.' })
    .optional(),
  /** Atlassian Cloud: the account e-mail; the token is then sent as Basic user:token, else as a Bearer token. */
  user: textInput(320, 'User').optional(),
  token: z
    .string({ error: 'API token is required.' })
    .min(1, { error: 'API token is required.' })
    .max(8192, { error: 'API token must be at most 8192 characters.' }),
  dryRun: z.boolean().default(false),
});

const CountsSchema = z.object({
  created: z.number().int().min(0),
  updated: z.number().int().min(0),
  unchanged: z.number().int().min(0),
});

export const PublishConfluenceResultSchema = z.object({
  url: z.string(),
  space: z.string(),
  parent: z.string().nullable(),
  /** SHA-256 of the bundle's integrity.json. */
  digest: z.string(),
  signer: z.object({ name: z.string(), fingerprint: z.string() }).nullable(),
  engagement: z.object({ id: z.string(), name: z.string() }),
  dryRun: z.boolean(),
  complete: z.boolean(),
  pages: CountsSchema.extend({ doneBefore: z.number().int().min(0) }),
  attachments: CountsSchema,
  items: z.array(
    z.object({
      kind: z.enum(['page', 'attachment']),
      title: z.string(),
      name: z.string().optional(),
      id: z.string().nullable(),
      action: z.enum(['created', 'updated', 'unchanged', 'done before']),
    }),
  ),
  /** Why it stopped before the end (what was published until then is above). */
  stopped: z.object({ code: z.enum(ERROR_CODES), message: z.string() }).nullable(),
});

export const PublishJiraInputSchema = z.strictObject({
  engagementId: IdSchema,
  url: textInput(2000, 'Jira URL'),
  project: z
    .string({ error: 'Project key is required.' })
    .regex(/^[A-Z][A-Z0-9_]{0,254}$/, {
      error: 'Project key must be upper-case letters, digits and _, starting with a letter.',
    }),
  /** Atlassian Cloud: the account e-mail; the token is then sent as Basic user:token, else as a Bearer token. */
  user: textInput(320, 'User').optional(),
  token: z
    .string({ error: 'API token is required.' })
    .min(1, { error: 'API token is required.' })
    .max(8192, { error: 'API token must be at most 8192 characters.' }),
  issueType: textInput(255, 'Issue type').default('Task'),
  components: z.array(textInput(255, 'Component')).max(50).default([]),
  /** Refused while a finding is not approved or has an approval that does not verify. */
  final: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});

export const PublishJiraResultSchema = z.object({
  url: z.string(),
  project: z.string(),
  engagement: z.object({ id: z.string(), name: z.string() }),
  dryRun: z.boolean(),
  complete: z.boolean(),
  issues: z.array(
    z.object({
      findingId: z.string(),
      title: z.string(),
      externalId: z.string(),
      action: z.enum(['created', 'updated', 'unchanged', 'would create', 'would update']),
      key: z.string().nullable(),
      changed: z.array(z.string()),
    }),
  ),
  /** External ids carried by more than one issue, with their keys (the first is the one kept up to date). */
  duplicates: z.array(z.object({ externalId: z.string(), keys: z.array(z.string()) })),
  /** Why it stopped before the end (the issues above were done); the same call again finishes the job. */
  stopped: z.object({ code: z.enum(ERROR_CODES), message: z.string() }).nullable(),
});
