/**
 * Receiving a review package on the reviewer's workstation: verified whole (verify-package.ts), the exporter
 * checked against the people known here (a name known with another key is refused), and stored as a review to do
 * (`review_package`, schema 0008). No finding is created here: the findings stay in the package. With a person
 * acting, an exporter not known yet is added as a colleague and the import is recorded (`review.import`); without
 * one, that happens when the package is answered.
 */
import { FoureyesError } from '../../shared/model/errors.js';
import type { Checkpoint } from '../../shared/model/audit.js';
import { appendEvent } from '../audit/trail.js';
import type { Acting } from '../people/acting.js';
import type { Workspace } from '../store/db.js';
import { ensureColleague, knownSigner } from './colleague.js';
import type { ReviewPackage } from './format.js';
import { verifyPackage } from './verify-package.js';

export interface PackageSummary {
  id: string;
  sha256: string;
  createdAt: string;
  exporter: { name: string; role: string; email: string; fingerprint: string };
  /** How the exporter stands here: known before, added now as a colleague, or not known yet (nobody acting). */
  exporterStatus: 'known' | 'added' | 'unknown';
  engagement: { id: string; name: string; approvalsRequired: number };
  checkpoint: Checkpoint;
  findings: {
    id: string;
    title: string;
    severity: string;
    status: string;
    revision: number;
    contentHash: string;
    hosts: { name: string; state: string; checkId: string }[];
    attachments: { name: string; mediaType: string; size: number }[];
    authors: string[];
  }[];
}

export interface ImportedPackage extends PackageSummary {
  /** True when this very file had been imported before (nothing was stored again). */
  alreadyImported: boolean;
}

export function summarize(
  pkg: ReviewPackage,
  sha256: string,
  status: PackageSummary['exporterStatus'],
): PackageSummary {
  const p = pkg.exporter.profile;
  return {
    id: pkg.id,
    sha256,
    createdAt: pkg.createdAt,
    exporter: { name: p.name, role: p.role, email: p.email, fingerprint: p.fingerprint },
    exporterStatus: status,
    engagement: pkg.engagement,
    checkpoint: pkg.checkpoint,
    findings: pkg.findings.map((f) => ({
      id: f.content.id,
      title: f.content.title,
      severity: f.content.severity,
      status: f.content.status,
      revision: f.revision,
      contentHash: f.contentHash,
      hosts: f.content.hosts.map((h) => ({ name: h.name, state: h.state, checkId: h.checkId })),
      attachments: f.attachments.map((a) => ({ name: a.name, mediaType: a.mediaType, size: a.size })),
      authors: f.authors.map((a) => a.name),
    })),
  };
}

export function importReviewPackage(
  ws: Workspace,
  bytes: Uint8Array,
  opts: { acting?: Acting } = {},
): ImportedPackage {
  const { pkg, exporter, sha256 } = verifyPackage(bytes);
  return ws.tx(() => {
    const before = ws.reviewPackages.get(pkg.id);
    if (before && before.sha256 !== sha256)
      throw new FoureyesError(
        'bad_input',
        `this review package is refused: a different package with the same id (${pkg.id}) was imported on ${before.importedAt}`,
      );
    let status: PackageSummary['exporterStatus'];
    if (opts.acting) {
      const { added } = ensureColleague(ws, exporter.profile, opts.acting, 'exporter', 'review package');
      status = added ? 'added' : 'known';
    } else status = knownSigner(ws, exporter.profile, 'exporter', 'review package') ? 'known' : 'unknown';
    const summary = summarize(pkg, sha256, status);
    if (before) return { ...summary, alreadyImported: true };
    ws.reviewPackages.add({
      id: pkg.id,
      sha256,
      exporterName: exporter.profile.name,
      exporterFingerprint: exporter.profile.fingerprint,
      engagementName: pkg.engagement.name,
      findings: pkg.findings.length,
      importedBy: opts.acting?.actor.personId ?? null,
      bytes: Buffer.from(bytes),
    });
    if (opts.acting)
      appendEvent(ws, opts.acting, {
        action: 'review.import',
        object: { type: 'review_package', id: pkg.id },
        details: {
          sha256,
          exporter: { name: exporter.profile.name, fingerprint: exporter.profile.fingerprint },
          engagement: { id: pkg.engagement.id, name: pkg.engagement.name },
          findings: summary.findings.map((f) => ({
            id: f.id,
            revision: f.revision,
            contentHash: f.contentHash,
          })),
          checkpoint: { count: pkg.checkpoint.count, headHash: pkg.checkpoint.headHash },
        },
      });
    return { ...summary, alreadyImported: false };
  });
}

/** A stored package, verified again (the workspace file may have been edited since it was imported). */
export function storedPackage(ws: Workspace, packageId: string) {
  const bytes = ws.reviewPackages.bytes(packageId);
  if (!bytes)
    throw new FoureyesError('not_found', `no review package ${packageId} was imported in this workspace`);
  const stored = ws.reviewPackages.get(packageId)!;
  const verified = verifyPackage(bytes);
  if (verified.sha256 !== stored.sha256 || verified.pkg.id !== packageId)
    throw new FoureyesError(
      'store',
      `the review package ${packageId} stored in this workspace is not the file that was imported (its hash changed)`,
    );
  return { ...verified, stored };
}
