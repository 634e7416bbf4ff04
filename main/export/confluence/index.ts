/**
 * The Confluence bundle of an engagement (one of its scans for the host pages and scores): read once through
 * ../data.ts, pages built (pages.ts), a checkpoint of the trail and the integrity manifest signed by the person
 * exporting, written as a folder or a zip (bundle.ts). With `final`, refused while any finding is not approved;
 * approved findings whose approvals do not verify are left out and named.
 */
import { writeFileSync } from 'node:fs';
import { FoureyesError } from '../../../shared/model/errors.js';
import { createHash } from 'node:crypto';
import { makeCheckpoint } from '../../audit/checkpoint.js';
import { appendEvent } from '../../audit/trail.js';
import type { Catalogue } from '../../catalogue/catalogue.js';
import type { Acting } from '../../people/acting.js';
import type { Workspace } from '../../store/db.js';
import { readEngagementExport, type ReadOptions } from '../data.js';
import { leftOutOfFinal, refuseUnapproved } from '../final.js';
import { bundleFiles, bundleZip, INTEGRITY_FILE, writeBundleDir, type BundleFile } from './bundle.js';
import { buildPages, type BuiltPage } from './pages.js';

export { verifyBundle, verifyBundleFiles, readBundle, type BundleCheck } from './bundle.js';

export interface ConfluenceOptions extends ReadOptions {
  engagementId: string;
  /** The scan of the host pages and scores; default the engagement's newest. */
  scanId?: string;
  final: boolean;
  /** How a refusal names the final rule: `--final` (the CLI's flag, the default) or `final` (the API). */
  finalWhat?: string;
  acting: Acting;
}

export interface ConfluenceBundle {
  engagementId: string;
  scanId: string | null;
  final: boolean;
  checkpoint: { count: number; headHash: string };
  files: BundleFile[];
  pages: BuiltPage[];
  /** Approved findings left out of a final bundle because their approvals do not verify, with why. */
  leftOut: { findingId: string; title: string; reason: string }[];
}

/** The bundle's files in memory. */
export function confluenceBundle(
  ws: Workspace,
  catalogue: Catalogue,
  o: ConfluenceOptions,
): ConfluenceBundle {
  const data = readEngagementExport(ws, o.engagementId, catalogue, o);
  if (o.final) refuseUnapproved(data, o.finalWhat);
  const scanId = o.scanId ?? data.scans[data.scans.length - 1]?.scan.id ?? null;
  if (o.scanId !== undefined && !data.scans.some((s) => s.scan.id === o.scanId))
    throw new FoureyesError('bad_input', `--scan ${o.scanId} is not a scan of this engagement`);
  const person = ws.people.byId(o.acting.actor.personId);
  if (!person)
    throw new FoureyesError('not_found', `${o.acting.actor.name} is not a person of this workspace`);
  const checkpoint = makeCheckpoint(ws, o.acting);
  const { pages, attachments, charts } = buildPages({
    data,
    scanId,
    final: o.final,
    checkpoint,
    exportedBy: { name: person.name, fingerprint: person.fingerprint },
    attachmentBytes: (id) => {
      try {
        return ws.findings.attachments.bytes(id);
      } catch {
        return undefined;
      }
    },
  });
  const manifest = {
    format: 'foureyes-confluence/1',
    tool: data.tool,
    exportedAt: data.exportedAt,
    exportedBy: { name: person.name, fingerprint: person.fingerprint },
    engagement: { id: data.engagement.id, name: data.engagement.name },
    scan: scanId,
    final: o.final,
    catalogueVersion: data.catalogueVersion,
    pages: pages.map((p) => ({
      id: p.id,
      title: p.title,
      parent: p.parent,
      order: p.order,
      file: p.file,
      attachments: p.attachments,
    })),
    charts,
    attachments: attachments.map((a) => ({
      name: a.name,
      file: a.file,
      mediaType: a.mediaType,
      size: a.bytes.length,
    })),
  };
  const files = bundleFiles(
    { manifest, pages, attachments, at: data.exportedAt },
    o.acting,
    person.publicKey,
  );
  const leftOut = o.final ? leftOutOfFinal(data) : [];
  return {
    engagementId: o.engagementId,
    scanId,
    final: o.final,
    checkpoint: { count: checkpoint.count, headHash: checkpoint.headHash },
    files,
    pages,
    leftOut,
  };
}

/** Writes the bundle to `out`: a folder, or with `zip` one zip file. */
export function writeConfluenceBundle(b: ConfluenceBundle, out: string, zip: boolean): number {
  if (!zip) {
    writeBundleDir(out, b.files);
    return b.files.reduce((n, f) => n + f.bytes.length, 0);
  }
  const bytes = bundleZip(b.files);
  try {
    writeFileSync(out, bytes, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    throw new FoureyesError(
      'bad_input',
      `--out: cannot write ${out} (${(e as NodeJS.ErrnoException).code ?? 'error'}); give a new file`,
    );
  }
  return bytes.length;
}

/**
 * Records the export in the trail (`export.confluence`, signed by the exporter): the engagement, scan, whether
 * final, the SHA-256 of the signed integrity manifest (which names every file's hash) and the checkpoint it carries.
 */
export function recordConfluenceExport(ws: Workspace, acting: Acting, b: ConfluenceBundle): void {
  const integrity = b.files.find((f) => f.path === INTEGRITY_FILE);
  ws.tx(() =>
    appendEvent(ws, acting, {
      action: 'export.confluence',
      object: { type: 'engagement', id: b.engagementId },
      details: {
        scanId: b.scanId,
        final: b.final,
        pages: b.pages.length,
        files: b.files.length,
        integritySha256: integrity ? createHash('sha256').update(integrity.bytes).digest('hex') : null,
        checkpoint: b.checkpoint,
        leftOut: b.leftOut.map((f) => f.findingId),
      },
    }),
  );
}
