/**
 * The two files of an offline review, as zod schemas (the one definition; the types are inferred):
 *
 * - a **review package** (`foureyes-review/1`): findings in review with the content their hash is computed over
 *   (main/findings/content.ts), the evidence and attachment bytes behind the hashes in that content, who wrote each
 *   finding, the exporter's public profile and a signed checkpoint of the exporting workspace's trail;
 * - a **review answer** (`foureyes-review-answer/1`): per finding the decision with the revision and content hash it
 *   was made on and, for an approval, the reviewer's signature over the approval message the workspace itself uses;
 *   the reviewer's public profile and a signed checkpoint of the reviewer's trail.
 *
 * Both are signed as a whole by their author: Ed25519 over the RFC 8785 canonical JSON of every field but
 * `signature`, and written as exactly that canonical JSON (with the signature) and a newline, so any byte changed
 * in transit is refused (signed-file.ts). The schemas carry no transforms: what is checked is what is read.
 */
import { z } from 'zod';
import { FINDING_STATUSES, HOST_PART_STATES, ATTACHMENT_TYPES } from '../../shared/model/finding.js';
import { SEVERITIES } from '../../shared/model/results.js';
import { CheckpointSchema } from '../audit/checkpoint.js';
import { ProfileFileSchema } from '../people/profile.js';

export const PACKAGE_FORMAT = 'foureyes-review/1';
export const ANSWER_FORMAT = 'foureyes-review-answer/1';

/** A package larger than this is refused unread (attachments are at most 10 MB each, base64 in the file). */
export const MAX_PACKAGE_BYTES = 256 * 1024 * 1024;
/** An answer carries no attachments. */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

const str = (max: number) => z.string().max(max);
const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'not an id (letters, digits, - and _)' });
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'not a SHA-256 in hex' });
const base64 = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, { error: 'not base64' });
const timestamp = z.iso.datetime({ offset: false, error: 'not a UTC timestamp' });
const revision = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A person as a package names them: their id in the workspace that wrote the file, name and key fingerprint. */
export const PersonRefSchema = z.strictObject({
  personId: id,
  name: str(200).min(1),
  fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, { error: 'not a key fingerprint' }),
});
export type PersonRef = z.infer<typeof PersonRefSchema>;

/** The author of a file: their id where they wrote it, and their public profile (no secret). */
export const SignerSchema = z.strictObject({ personId: id, profile: ProfileFileSchema });
export type Signer = z.infer<typeof SignerSchema>;

/** Exactly the object main/findings/content.ts hashes (FindingContent). */
export const FindingContentSchema = z.strictObject({
  id,
  title: str(1000),
  severity: z.enum(SEVERITIES),
  status: z.enum(FINDING_STATUSES),
  notes: str(100_000),
  recommendation: str(20_000),
  hosts: z
    .array(
      z.strictObject({
        checkId: str(200),
        hostId: id.nullable(),
        name: str(1000),
        state: z.enum(HOST_PART_STATES),
        evidenceSha256: hex64,
      }),
    )
    .max(100_000),
  attachments: z.array(z.strictObject({ name: str(255), sha256: hex64 })).max(1000),
  revision,
});

/** The fields of the content, each hashed on its own so a refusal can name the field that changed. */
export const CONTENT_FIELDS = [
  'id',
  'title',
  'severity',
  'status',
  'notes',
  'recommendation',
  'hosts',
  'attachments',
  'revision',
] as const;

const EvidenceSchema = z.strictObject({
  factId: str(200),
  path: str(8192).optional(),
  line: z.number().int().min(0).optional(),
  excerpt: str(1_000_000),
});

/** One finding of a package. */
export const PackageFindingSchema = z.strictObject({
  content: FindingContentSchema,
  revision,
  contentHash: hex64,
  fieldHashes: z.strictObject(
    Object.fromEntries(CONTENT_FIELDS.map((f) => [f, hex64])) as Record<
      (typeof CONTENT_FIELDS)[number],
      typeof hex64
    >,
  ),
  /** What the reviewer reads beside the content (signed with the package, not part of the content hash). */
  context: z.strictObject({
    key: str(300),
    catalogueSeverity: z.enum(SEVERITIES),
    severityReason: str(2000).nullable(),
    statusReason: str(2000).nullable(),
    tags: z.array(str(50)).max(50),
    customerOwner: str(200).nullable(),
    dueDate: str(10).nullable(),
  }),
  /** The evidence of each host part, in the order of `content.hosts`. */
  evidence: z
    .array(
      z.strictObject({
        checkId: str(200),
        name: str(1000),
        actual: str(1_000_000),
        evidence: z.array(EvidenceSchema).max(10_000),
      }),
    )
    .max(100_000),
  attachments: z
    .array(
      z.strictObject({
        name: str(255),
        mediaType: z.enum(ATTACHMENT_TYPES),
        size: z.number().int().min(1),
        sha256: hex64,
        data: base64(15 * 1024 * 1024),
      }),
    )
    .max(1000),
  /** Everyone who edited any part of the finding, and who submitted it: none of them may approve it. */
  authors: z.array(PersonRefSchema).max(1000),
  submittedBy: PersonRefSchema.nullable(),
});
export type PackageFinding = z.infer<typeof PackageFindingSchema>;

export const ReviewPackageSchema = z.strictObject({
  format: z.literal(PACKAGE_FORMAT, { error: `not "${PACKAGE_FORMAT}"` }),
  id,
  createdAt: timestamp,
  exporter: SignerSchema,
  engagement: z.strictObject({ id, name: str(1000), approvalsRequired: z.number().int().min(1).max(99) }),
  findings: z.array(PackageFindingSchema).min(1).max(10_000),
  /** The exporting workspace's trail at the export, signed by the exporter. */
  checkpoint: CheckpointSchema,
  signature: base64(200),
});
export type ReviewPackage = z.infer<typeof ReviewPackageSchema>;

export const DecisionSchema = z.strictObject({
  findingId: id,
  decision: z.enum(['approve', 'reject']),
  comment: str(2000).min(1).optional(),
  /** The revision and content hash the decision was made on. */
  revision,
  contentHash: hex64,
  at: timestamp,
  /** For an approval: the reviewer's Ed25519 signature of approvalMessage(findingId, revision, contentHash). */
  approvalSignature: base64(200).optional(),
});
export type Decision = z.infer<typeof DecisionSchema>;

export const ReviewAnswerSchema = z.strictObject({
  format: z.literal(ANSWER_FORMAT, { error: `not "${ANSWER_FORMAT}"` }),
  id,
  createdAt: timestamp,
  /** The package answered: its id and the SHA-256 of its file as received. */
  package: z.strictObject({ id, sha256: hex64, exporter: PersonRefSchema }),
  reviewer: SignerSchema,
  decisions: z.array(DecisionSchema).min(1).max(10_000),
  checkpoint: CheckpointSchema,
  signature: base64(200),
});
export type ReviewAnswer = z.infer<typeof ReviewAnswerSchema>;
