/**
 * A scan that stands alone (`foureyes-scan/1`, written by `foureyes export scan`, read by `foureyes reevaluate`):
 * the scan, the digest over the checks it ran, every host run's fact snapshot and results, the definition of every
 * check it ran (built-in, from a check pack, or tailored by its profile), the profile with its tailoring, and the
 * attestation answers its evaluation used. Evaluated again anywhere with these definitions, not the local
 * catalogue, each snapshot gives the verdicts stored beside it.
 *
 * What is read back is untrusted: the zod schema below validates the file, every definition is validated as a
 * check in a catalogue file is, and every error names the file and the field.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import type { Check } from '../../shared/checks/schema.js';
import { SNAPSHOT_FORMAT, type FactSnapshot } from '../../shared/facts/snapshot.js';
import { FoureyesError } from '../../shared/model/errors.js';
import { EvidenceSchema } from '../../shared/model/evidence.js';
import { SEVERITIES, VERDICTS } from '../../shared/model/results.js';
import { HOST_RUN_SOURCES, HOST_RUN_STATES, RUN_PRIVILEGES, SCAN_STATUSES } from '../../shared/model/workspace.js';
import { checkDigest, type Catalogue } from '../catalogue/catalogue.js';
import { fieldPath, validateCheck } from '../catalogue/validate.js';
import type { Workspace } from '../store/db.js';
import type { ExportTool } from './data.js';

export const SCAN_FORMAT = 'foureyes-scan/1';
/** Largest file `reevaluate` reads. */
export const MAX_SCAN_EXPORT_BYTES = 512 * 1024 * 1024;

export const CHECK_ORIGINS = ['builtin', 'pack', 'tailored'] as const;

const Timestamp = z.string().max(64);
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 in hex expected');
const Id = z.string().min(1).max(200);

const FactSchema = z.looseObject({ kind: z.enum(['file', 'fileset', 'command', 'paths']) });
const SnapshotSchema = z.looseObject({
  format: z.literal(SNAPSHOT_FORMAT),
  collectorVersion: z.string().max(200),
  collectedAt: Timestamp,
  source: z.enum(['ssh', 'local', 'import']),
  privileged: z.boolean(),
  complete: z.boolean(),
  facts: z.record(z.string().max(200), FactSchema),
  issues: z.array(z.strictObject({ factId: z.string(), message: z.string() })),
});

const ResultSchema = z.strictObject({
  checkId: Id,
  checkDigest: Sha256,
  verdict: z.enum(VERDICTS),
  severity: z.enum(SEVERITIES),
  expected: z.string(),
  actual: z.string(),
  reason: z.string(),
  evidence: z.array(EvidenceSchema),
  needsPrivilege: z.boolean(),
});

const HostSchema = z.strictObject({
  hostRunId: Id,
  name: z.string().min(1).max(1000),
  source: z.enum(HOST_RUN_SOURCES),
  state: z.enum(HOST_RUN_STATES),
  privilege: z.enum(RUN_PRIVILEGES).nullable(),
  /** Null when the run stored no snapshot (it failed before collecting anything). */
  snapshot: SnapshotSchema.nullable(),
  results: z.array(ResultSchema),
});

const CheckEntrySchema = z.strictObject({
  id: Id,
  digest: Sha256,
  origin: z.enum(CHECK_ORIGINS),
  /** The check as the scan ran it, expanded (its template named as a record), without scenarios. */
  definition: z.record(z.string(), z.unknown()),
});

const ProfileSchema = z.strictObject({
  id: Id,
  title: z.string().max(1000),
  benchmark: z.string().max(200).optional(),
  version: z.string().max(200).optional(),
  level: z.union([z.literal(1), z.literal(2)]).optional(),
  digest: Sha256,
  disabled: z.array(z.strictObject({ check: Id, reason: z.string().max(4000) })),
  set: z.record(Id, z.record(z.string(), z.unknown())),
});

const AnswerSchema = z.strictObject({
  checkId: Id,
  answer: z.enum(['yes', 'no', 'not_applicable']),
  note: z.string().max(4000),
  by: z.string().max(1000),
  at: Timestamp,
});

export const ScanExportSchema = z.strictObject({
  format: z.literal(SCAN_FORMAT),
  exportedAt: Timestamp,
  tool: z.strictObject({ name: z.string().max(100), version: z.string().max(100) }),
  scan: z.strictObject({
    id: Id,
    startedAt: Timestamp,
    finishedAt: Timestamp.nullable(),
    status: z.enum(SCAN_STATUSES),
    catalogueVersion: z.string().max(200),
  }),
  /** sha256 over `<id>:<digest>\n` of the checks below, in their order. */
  catalogue: z.strictObject({ version: z.string().max(200), digest: Sha256 }),
  profile: ProfileSchema.nullable(),
  checks: z.array(CheckEntrySchema).max(100_000),
  attestations: z.array(AnswerSchema),
  hosts: z.array(HostSchema),
});
export type ScanExport = z.infer<typeof ScanExportSchema>;

/** The digest of the checks a file carries, as `catalogue.digest`. */
export function checksDigest(checks: readonly { id: string; digest: string }[]): string {
  const h = createHash('sha256');
  for (const c of checks) h.update(`${c.id}:${c.digest}\n`);
  return h.digest('hex');
}

const withoutScenarios = (c: Check): Record<string, unknown> => {
  const { scenarios: _s, ...rest } = c;
  return rest;
};

/**
 * The scan as one standalone document. The definitions of its built-in checks come from `builtin` (the catalogue
 * of this build, at the digest the scan ran them); the others from what the scan stored (schema 0013). A check
 * neither holds at that digest (a scan made with another catalogue, or before definitions were stored) is an
 * error naming it.
 */
export function buildScanExport(ws: Workspace, scanId: string, builtin: Catalogue, tool: ExportTool, now = new Date()): ScanExport {
  const scan = ws.scans.getScan(scanId);
  if (!scan) throw new FoureyesError('not_found', `scan ${scanId} does not exist`);
  const stored = ws.scanDefinitions.checks(scanId);
  const byDigest = new Map(stored.map((d) => [d.digest, d]));
  const runs = scan.hostRuns.map((run) => ({ run, results: ws.results.forHostRun(run.id) }));
  const ranAt = new Map<string, string>();
  for (const { run, results } of runs)
    for (const r of results) {
      const prev = ranAt.get(r.checkId);
      if (prev !== undefined && prev !== r.checkDigest)
        throw new FoureyesError('store', `scan ${scanId}: check '${r.checkId}' has results of two definitions (host run ${run.id})`);
      ranAt.set(r.checkId, r.checkDigest);
    }
  const checks = scan.checkIds.map((id): ScanExport['checks'][number] => {
    const digest =
      ranAt.get(id) ??
      stored.find((d) => d.checkId === id)?.digest ??
      (builtin.byId.has(id) ? builtin.digest(id) : undefined);
    const own = digest !== undefined ? byDigest.get(digest) : undefined;
    if (own && own.checkId === id) return { id, digest: own.digest, origin: own.origin, definition: withoutScenarios(own.definition) };
    const shipped = builtin.byId.get(id);
    if (shipped && digest === builtin.digest(id)) return { id, digest, origin: 'builtin', definition: withoutScenarios(shipped) };
    throw new FoureyesError(
      'not_found',
      `scan ${scanId} ran check '${id}'${digest !== undefined ? ` at digest ${digest.slice(0, 12)}` : ''}, a definition ` +
        `neither the built-in catalogue of this build (${builtin.version}) nor the scan's stored definitions hold ` +
        '(the scan was made with another catalogue, or before scans stored their pack and tailored checks)',
      { checkId: id },
    );
  });
  const profile = scan.options.profile;
  const parsedProfile = profile === undefined || profile === null ? null : ProfileSchema.safeParse(profile);
  if (parsedProfile && !parsedProfile.success)
    throw new FoureyesError('store', `scan ${scanId}: its stored profile record is malformed`);
  return {
    format: SCAN_FORMAT,
    exportedAt: now.toISOString(),
    tool: { ...tool },
    scan: {
      id: scan.id,
      startedAt: scan.startedAt,
      finishedAt: scan.finishedAt,
      status: scan.status,
      catalogueVersion: scan.catalogueVersion,
    },
    catalogue: { version: scan.catalogueVersion, digest: checksDigest(checks) },
    profile: parsedProfile ? parsedProfile.data : null,
    checks,
    attestations: ws.scanDefinitions.answers(scanId),
    hosts: runs.map(({ run, results }) => ({
      hostRunId: run.id,
      name: run.hostName,
      source: run.source,
      state: run.state,
      privilege: run.privilege,
      snapshot: ws.snapshots.info(run.id) ? (ws.snapshots.loadSnapshot(run.id) as unknown as ScanExport['hosts'][number]['snapshot']) : null,
      results: results.map((r) => ({
        checkId: r.checkId,
        checkDigest: r.checkDigest,
        verdict: r.verdict,
        severity: r.severity,
        expected: r.expected,
        actual: r.actual,
        reason: r.reason,
        evidence: r.evidence,
        needsPrivilege: r.needsPrivilege === true,
      })),
    })),
  };
}

/** A scan export read back: the document and its checks validated as checks, in the file's order. */
export interface ReadScanExport {
  doc: ScanExport;
  checks: { entry: ScanExport['checks'][number]; check: Check; computedDigest: string }[];
}

function bad(file: string, field: string, message: string): FoureyesError {
  return new FoureyesError('bad_input', `${file}: field ${field}: ${message}`, { file, field });
}

/** Validates the text of a scan export; every error names the file and the field. */
export function parseScanExport(text: string, file: string): ReadScanExport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new FoureyesError('bad_input', `${file}: not valid JSON (${(e as Error).message.slice(0, 200)})`, { file });
  }
  if (typeof value === 'object' && value !== null && 'format' in value && (value as { format: unknown }).format !== SCAN_FORMAT)
    throw bad(file, 'format', `expected ${SCAN_FORMAT}, found ${JSON.stringify((value as { format: unknown }).format)?.slice(0, 100) ?? 'nothing'}`);
  const res = ScanExportSchema.safeParse(value);
  if (!res.success) {
    const issue = res.error.issues[0];
    const key = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const path = [...(issue?.path ?? []), ...(key !== undefined ? [key] : [])];
    throw bad(file, path.length === 0 ? '(file)' : fieldPath(path), key !== undefined ? `unknown field '${key}'` : (issue?.message ?? 'invalid'));
  }
  const doc = res.data;
  const seen = new Map<string, number>();
  const checks = doc.checks.map((entry, i) => {
    const prev = seen.get(entry.id);
    if (prev !== undefined) throw bad(file, `checks[${i}].id`, `check '${entry.id}' is already defined at checks[${prev}]`);
    seen.set(entry.id, i);
    const check = validateCheck(entry.definition, `${file}: checks[${i}].definition`, i);
    if (check.id !== entry.id) throw bad(file, `checks[${i}].definition.id`, `'${check.id}' is not the entry's id '${entry.id}'`);
    return { entry, check, computedDigest: checkDigest(check) };
  });
  if (checksDigest(doc.checks) !== doc.catalogue.digest)
    throw bad(file, 'catalogue.digest', 'does not match the ids and digests of the checks the file lists');
  doc.hosts.forEach((h, i) =>
    h.results.forEach((r, j) => {
      const at = seen.get(r.checkId);
      if (at === undefined) throw bad(file, `hosts[${i}].results[${j}].checkId`, `no definition of check '${r.checkId}' in the file`);
      if (doc.checks[at]?.digest !== r.checkDigest)
        throw bad(file, `hosts[${i}].results[${j}].checkDigest`, `not the digest of check '${r.checkId}' at checks[${at}]`);
    }),
  );
  return { doc, checks };
}

/** Reads and validates a scan export file. */
export function readScanExportFile(file: string): ReadScanExport {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_SCAN_EXPORT_BYTES)
      throw new FoureyesError('bad_input', `${file}: larger than ${MAX_SCAN_EXPORT_BYTES} bytes`, { file });
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof FoureyesError) throw e;
    throw new FoureyesError('not_found', `${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file });
  }
  return parseScanExport(text, file);
}

/** The snapshot of a host entry as the engine reads it (validated in shape; its facts stay untrusted). */
export const snapshotOf = (h: ScanExport['hosts'][number]): FactSnapshot | null => h.snapshot as unknown as FactSnapshot | null;
