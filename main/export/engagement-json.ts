/**
 * The JSON of a whole engagement (`foureyes-engagement/1`): the engagement, its hosts (how they are reached, never
 * with what secret), every scan with its host runs and results (evidence, the verdict shown and the stored one, the
 * waiver that covers it), the findings with their host parts, attachments' metadata (name, type, size, SHA-256; not
 * the bytes), authors, review state, every approval with its signature and whether a final report holds it, the
 * waivers, and the public profiles and keys of the people named, with which the signatures verify. The zod schema
 * below is the one definition: docs/schema/foureyes-engagement-1.schema.json is generated from it
 * (`npm run schema:export`), and a test keeps the two equal and validates exports against the file.
 */
import { z } from 'zod';
import { ErrorInfoSchema } from '../../shared/api/schemas/common.js';
import { SudoUseSchema, TargetIdentitySchema } from '../../shared/api/schemas/scans.js';
import { EvidenceSchema } from '../../shared/model/evidence.js';
import {
  AttachmentSchema,
  FindingApprovalSchema,
  FindingHostSchema,
  FindingSchema,
} from '../../shared/model/finding.js';
import { FAMILIES, SEVERITIES, SHOWN_VERDICTS, VERDICTS } from '../../shared/model/results.js';
import { WaiverSchema } from '../../shared/model/waiver.js';
import {
  ACTIVE_HOST_RUN_STATES,
  HOST_PRIVILEGES,
  HOST_RUN_SOURCES,
  HOST_RUN_STATES,
  RUN_PRIVILEGES,
  SCAN_STATUSES,
} from '../../shared/model/workspace.js';
import type { EngagementExportData, ExportHostRun } from './data.js';

export const ENGAGEMENT_FORMAT = 'foureyes-engagement/1';
/** Where the published schema lives in the repository. */
export const ENGAGEMENT_SCHEMA_PATH = 'docs/schema/foureyes-engagement-1.schema.json';

const Timestamp = z.string().describe('ISO 8601, UTC');
const d = <T extends z.ZodType>(t: T, text: string): T => t.describe(text);

const ResultSchema = z.strictObject({
  checkId: z.string(),
  title: d(z.string(), "the catalogue's title of the check (its id when the catalogue does not know it)"),
  family: z.enum(FAMILIES).nullable(),
  area: z.string().nullable(),
  severity: z.enum(SEVERITIES),
  verdict: d(z.enum(SHOWN_VERDICTS), 'as shown: waived where an approved waiver that verifies covers it'),
  storedVerdict: d(z.enum(VERDICTS), 'as evaluated'),
  waiverId: z.string().nullable(),
  expected: z.string(),
  actual: d(z.string(), 'target text in its text form (controls and invalid UTF-8 as \\xNN)'),
  reason: z.string(),
  evidence: z.array(EvidenceSchema),
  needsPrivilege: z.boolean(),
  checkDigest: z.string(),
});

const HostRunSchema = z.strictObject({
  id: z.string(),
  hostId: z.string().nullable(),
  hostName: z.string(),
  source: z.enum(HOST_RUN_SOURCES),
  state: z.enum(HOST_RUN_STATES),
  privilege: z.enum(RUN_PRIVILEGES).nullable(),
  sudo: SudoUseSchema.nullable(),
  sudoNotObtained: z.string().nullable(),
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
  error: ErrorInfoSchema.nullable(),
  stoppedIn: z.enum(ACTIVE_HOST_RUN_STATES).nullable(),
  identity: TargetIdentitySchema.nullable(),
  results: z.array(ResultSchema),
});

const ScanSchema = z.strictObject({
  id: z.string(),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  status: z.enum(SCAN_STATUSES),
  catalogueVersion: z.string(),
  profile: z.string().nullable(),
  checkIds: z.array(z.string()),
  hostRuns: z.array(HostRunSchema),
});

const AuthSchema = z.union([
  z.strictObject({ type: z.literal('key'), keyPath: d(z.string(), 'where the key file is on the workstation, not the key') }),
  z.strictObject({ type: z.literal('agent'), socket: z.string().optional() }),
  z.strictObject({ type: z.literal('password') }),
]);

const HostSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  port: z.number().int(),
  user: z.string(),
  auth: AuthSchema,
  jumpHostId: z.string().nullable(),
  privilege: z.enum(HOST_PRIVILEGES),
  pinnedFingerprint: z.string().nullable(),
  tags: z.array(z.string()),
  notes: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const FindingEntrySchema = z.strictObject({
  finding: FindingSchema.strict(),
  hosts: z.array(
    FindingHostSchema.extend({
      shown: d(z.enum(['failing', 'fixed', 'waived']), 'as shown: waived where an applied waiver covers a failing part'),
      waiverId: z.string().nullable(),
    }).strict(),
  ),
  attachments: z.array(AttachmentSchema.strict()),
  authors: z.array(z.strictObject({ personId: z.string(), name: z.string().nullable() })),
  approvals: d(z.array(FindingApprovalSchema.strict()), 'every approval, live and voided, with its Ed25519 signature'),
  final: d(
    z.strictObject({ included: z.boolean(), reason: z.string().nullable() }),
    'whether a final report holds the finding now (approved, every live approval verifying), and if not why',
  ),
});

const PersonSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  email: z.string(),
  fingerprint: z.string(),
  publicKey: d(z.string(), 'Ed25519 public key, SPKI PEM'),
  origin: z.enum(['local', 'imported']),
});

export const EngagementExportSchema = z
  .strictObject({
    format: z.literal(ENGAGEMENT_FORMAT),
    exportedAt: Timestamp,
    tool: z.strictObject({ name: z.literal('Foureyes'), version: z.string() }),
    catalogueVersion: d(z.string(), 'the catalogue that titled the checks of this export'),
    engagement: z.strictObject({
      id: z.string(),
      name: z.string(),
      customer: z.string().nullable(),
      description: z.string().nullable(),
      scope: z.string().nullable(),
      createdAt: Timestamp,
      archivedAt: Timestamp.nullable(),
      approvalsRequired: z.number().int().min(1),
    }),
    hosts: z.array(HostSchema),
    scans: d(z.array(ScanSchema), 'oldest first'),
    findings: z.array(FindingEntrySchema),
    waivers: z.array(WaiverSchema.strict()),
    people: z.array(PersonSchema),
  })
  .describe('Foureyes engagement export, format foureyes-engagement/1');
export type EngagementExport = z.infer<typeof EngagementExportSchema>;

/** The published JSON Schema (draft-07) of the engagement export, generated from the zod schema. */
export function engagementJsonSchema(): Record<string, unknown> {
  const s = z.toJSONSchema(EngagementExportSchema, { target: 'draft-7', io: 'output' }) as Record<string, unknown>;
  return { ...s, title: 'Foureyes engagement export (foureyes-engagement/1)' };
}

function hostRun(d: EngagementExportData, h: ExportHostRun): z.infer<typeof HostRunSchema> {
  const r = h.run;
  return {
    id: r.id,
    hostId: r.hostId,
    hostName: r.hostName,
    source: r.source,
    state: r.state,
    privilege: r.privilege,
    sudo: r.stats?.sudo ?? null,
    sudoNotObtained: r.stats?.sudoNotObtained ?? null,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    error: r.error,
    stoppedIn: r.stoppedIn,
    identity: r.identity,
    results: h.results.map((x) => {
      const c = d.checks.get(x.checkId);
      return {
        checkId: x.checkId,
        title: c?.title ?? x.checkId,
        family: c?.family ?? null,
        area: c?.area ?? null,
        severity: x.severity,
        verdict: x.shown,
        storedVerdict: x.verdict,
        waiverId: x.waiver?.id ?? null,
        expected: x.expected,
        actual: x.actual,
        reason: x.reason,
        evidence: x.evidence,
        needsPrivilege: x.needsPrivilege === true,
        checkDigest: x.checkDigest,
      };
    }),
  };
}

/** The engagement export object (JSON.stringify it to write). */
export function toEngagementJson(d: EngagementExportData): EngagementExport {
  const e = d.engagement;
  return {
    format: ENGAGEMENT_FORMAT,
    exportedAt: d.exportedAt,
    tool: d.tool,
    catalogueVersion: d.catalogueVersion,
    engagement: {
      id: e.id,
      name: e.name,
      customer: e.customer,
      description: e.description,
      scope: e.scope,
      createdAt: e.createdAt,
      archivedAt: e.archivedAt,
      approvalsRequired: d.approvalsRequired,
    },
    hosts: d.hosts.map((h) => ({
      id: h.id,
      name: h.name,
      address: h.address,
      port: h.port,
      user: h.user,
      auth: h.auth,
      jumpHostId: h.jumpHostId,
      privilege: h.privilege,
      pinnedFingerprint: h.pinnedFingerprint,
      tags: h.tags,
      notes: h.notes,
      createdAt: h.createdAt,
      updatedAt: h.updatedAt,
    })),
    scans: d.scans.map(({ scan, hostRuns }) => ({
      id: scan.id,
      startedAt: scan.startedAt,
      finishedAt: scan.finishedAt,
      status: scan.status,
      catalogueVersion: scan.catalogueVersion,
      profile: scan.profile,
      checkIds: scan.checkIds,
      hostRuns: hostRuns.map((h) => hostRun(d, h)),
    })),
    findings: d.findings.map((f) => ({
      finding: f.finding,
      hosts: f.hosts,
      attachments: f.attachments,
      authors: f.authors,
      approvals: f.approvals,
      final: f.final,
    })),
    waivers: d.waivers,
    people: d.people,
  };
}
