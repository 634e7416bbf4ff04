import { createHash, createPublicKey, verify } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../main/audit/canonical.js';
import { checkCheckpoint } from '../../../main/audit/checkpoint.js';
import { verifyTrail } from '../../../main/audit/verify.js';
import { currentContent } from '../../../main/findings/content.js';
import { ReviewPackageSchema } from '../../../main/review/format.js';
import { exportReviewPackage } from '../../../main/review/package.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { PNG, workstations, type Workstations } from './fixtures.js';

describe('exporting a review package', () => {
  let w: Workstations;
  beforeEach(() => (w = workstations()));
  afterEach(() => w.cleanup());

  it('holds the findings in review with the content content.ts hashes, evidence, attachments and a signed checkpoint', () => {
    const { ws } = w.a;
    const events = ws.audit.count();
    const out = exportReviewPackage(ws, w.a.ann, { engagementId: w.a.engagementId });
    const pkg = ReviewPackageSchema.parse(JSON.parse(out.bytes.toString('utf8')));
    expect(pkg.findings.map((f) => f.content.id).sort()).toEqual([w.annFinding, w.benFinding].sort());

    const ann = pkg.findings.find((f) => f.content.id === w.annFinding)!;
    const { content, hash } = currentContent(ws, ws.findings.require(w.annFinding));
    expect(ann.content).toEqual(content);
    expect(ann.contentHash).toBe(hash);
    expect(ann.revision).toBe(content.revision);
    expect(ann.content.notes).toBe('Root logs in with a **password** on db01 and web01.');
    expect(ann.evidence).toHaveLength(2);
    for (const [i, h] of ann.content.hosts.entries()) {
      const e = ann.evidence[i]!;
      const sha = createHash('sha256')
        .update(canonicalJson({ actual: e.actual, evidence: e.evidence }))
        .digest('hex');
      expect(sha).toBe(h.evidenceSha256);
    }
    expect(ann.attachments).toHaveLength(1);
    expect(Buffer.from(ann.attachments[0]!.data, 'base64')).toEqual(PNG);
    expect(ann.authors.map((a) => a.name)).toEqual(['Ann']);
    expect(ann.submittedBy?.name).toBe('Ann');

    // signed by Ann over the canonical JSON of everything else; the file is that canonical JSON
    const { signature, ...rest } = pkg;
    const key = createPublicKey(pkg.exporter.profile.publicKey);
    expect(verify(null, Buffer.from(canonicalJson(rest)), key, Buffer.from(signature, 'base64'))).toBe(true);
    expect(out.bytes.toString('utf8')).toBe(`${canonicalJson(pkg)}\n`);
    expect(pkg.exporter.profile.name).toBe('Ann');

    // the checkpoint is of this workspace's trail at the export, and holds
    expect(pkg.checkpoint.count).toBe(events);
    expect(checkCheckpoint(ws, pkg.checkpoint).ok).toBe(true);

    // recorded, with the file's hash
    const [ev] = ws.audit.forObject('review_package', out.id);
    expect(ev).toMatchObject({ action: 'review.export', actor_name: 'Ann' });
    const details = JSON.parse(ev!.details!) as { packageSha256: string; findings: unknown[] };
    expect(details.packageSha256).toBe(createHash('sha256').update(out.bytes).digest('hex'));
    expect(details.findings).toHaveLength(2);
    expect(verifyTrail(ws).ok).toBe(true);
  });

  it('exports only the findings named, and refuses one not in review', () => {
    const out = exportReviewPackage(w.a.ws, w.a.ben, {
      engagementId: w.a.engagementId,
      findingIds: [w.benFinding],
    });
    expect(out.findings.map((f) => f.id)).toEqual([w.benFinding]);
    w.a.svc.reject(w.a.ben, w.annFinding, 'Needs the evidence from web01 too.');
    const e = (() => {
      try {
        exportReviewPackage(w.a.ws, w.a.ben, { engagementId: w.a.engagementId, findingIds: [w.annFinding] });
      } catch (err) {
        return err as FoureyesError;
      }
      throw new Error('expected a refusal');
    })();
    expect(e).toBeInstanceOf(FoureyesError);
    expect(e.message).toMatch(/is a draft, not in review/);
  });
});
