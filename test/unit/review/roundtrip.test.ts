/**
 * The offline review between two real workspaces: Ann and Ben export on the first, Rita answers on the second, the
 * answer comes back. The result is an in-workspace review's (same approval rows, checked by the final report);
 * what does not fit is refused with the reason, and both trails verify at the end.
 */
import { generateKeyPairSync, verify } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../main/audit/canonical.js';
import { checkCheckpoint, makeCheckpoint } from '../../../main/audit/checkpoint.js';
import { verifyTrail } from '../../../main/audit/verify.js';
import { approvalMessage } from '../../../main/findings/content.js';
import type { Acting } from '../../../main/people/acting.js';
import { fingerprintOf } from '../../../main/people/keys.js';
import { addColleague, profileOf } from '../../../main/people/people.js';
import { answerReview } from '../../../main/review/answer.js';
import { importReviewAnswer } from '../../../main/review/answer-import.js';
import { importReviewPackage } from '../../../main/review/import.js';
import { exportReviewPackage } from '../../../main/review/package.js';
import type { Workspace } from '../../../main/store/db.js';
import { flip, flipBase64, PASS, refusal, rewrite, serviceFor, workstations, type Workstations } from './fixtures.js';

/** Re-signs an answer as `acting` (whose profile in `ws` becomes the reviewer), approvals and checkpoint included. */
function resignAs(bytes: Buffer, ws: Workspace, acting: Acting): Buffer {
  const me = ws.people.byId(acting.actor.personId)!;
  return rewrite(bytes, (v) => {
    v.reviewer = { personId: me.id, profile: profileOf(me) };
    for (const d of v.decisions as {
      findingId: string;
      revision: number;
      contentHash: string;
      approvalSignature?: string;
    }[])
      if (d.approvalSignature !== undefined)
        d.approvalSignature = acting
          .sign(approvalMessage(d.findingId, d.revision, d.contentHash))
          .toString('base64');
    v.checkpoint = makeCheckpoint(ws, acting);
    delete v.signature;
    v.signature = acting.sign(Buffer.from(canonicalJson(v))).toString('base64');
  });
}

describe('offline review round trip between two workspaces', () => {
  let w: Workstations;
  let pkg: Buffer;
  let packageId: string;
  beforeEach(() => {
    w = workstations();
    ({ bytes: pkg, id: packageId } = exportReviewPackage(w.a.ws, w.a.ann, {
      engagementId: w.a.engagementId,
    }));
  });
  afterEach(() => w.cleanup());

  const answer = (
    decisions = [
      { findingId: w.annFinding, decision: 'approve' as const },
      { findingId: w.benFinding, decision: 'reject' as const, comment: 'Name the sshd reload command.' },
    ],
  ) => {
    importReviewPackage(w.b.ws, pkg, { acting: w.b.rita });
    return answerReview(w.b.ws, w.b.rita, packageId, decisions).bytes;
  };

  it('approves and rejects as an in-workspace review would, listed in the final report with the remote reviewer and time', () => {
    const bytes = answer();
    const wire = JSON.parse(bytes.toString('utf8')) as { decisions: { at: string }[]; checkpoint: never };
    expect(checkCheckpoint(w.b.ws, wire.checkpoint).ok).toBe(true);
    expect(w.b.ws.reviewPackages.get(packageId)!.answer).toMatchObject({ by: w.b.rita.actor.personId });
    expect(
      w.b.ws.audit.forObject('review_answer', JSON.parse(bytes.toString()).id as string)[0],
    ).toMatchObject({
      action: 'review.answer',
      actor_name: 'Rita',
    });

    const out = importReviewAnswer(w.a.ws, w.a.ben, bytes);
    expect(out.refused).toEqual([]);
    expect(out.reviewer).toMatchObject({ name: 'Rita', added: true });
    expect(out.applied).toEqual([
      { findingId: w.annFinding, title: expect.any(String), decision: 'approve', reviewState: 'approved' },
      { findingId: w.benFinding, title: expect.any(String), decision: 'reject', reviewState: 'draft' },
    ]);

    const rita = w.a.ws.people.byName('Rita')!;
    expect(rita.origin).toBe('imported');
    const report = w.a.svc.finalReportFindings(w.a.engagementId);
    expect(report.excluded).toEqual([]);
    expect(report.findings.map((f) => f.finding.id)).toEqual([w.annFinding]);
    expect(report.findings[0]!.approvedBy).toEqual([
      { personId: rita.id, name: 'Rita', at: wire.decisions[0]!.at },
    ]);

    // the same approval row an approval made here gives: signature over the approval message, checked by Rita's key
    const [row] = w.a.ws.findings.review.approvals(w.annFinding);
    const f = w.a.ws.findings.require(w.annFinding);
    expect(row).toMatchObject({
      reviewerId: rita.id,
      reviewerName: 'Rita',
      revision: f.revision,
      voidedAt: null,
    });
    expect(
      verify(
        null,
        approvalMessage(f.id, f.revision, row!.contentHash),
        rita.publicKey,
        Buffer.from(row!.signature, 'base64'),
      ),
    ).toBe(true);

    // the rejection sent Ben's finding back to draft with Rita's comment in its history
    expect(w.a.ws.findings.require(w.benFinding)).toMatchObject({ reviewState: 'draft', submittedBy: null });
    expect(w.a.svc.history(w.benFinding).at(-1)).toMatchObject({
      actorName: 'Rita',
      field: 'review',
      reason: 'Name the sshd reload command.',
    });
    const events = w.a.ws.audit.forObject('finding', w.annFinding).map((e) => e.action);
    expect(events.at(-1)).toBe('finding.approve');
    const imported = w.a.ws.audit.forObject('review_answer', out.answerId);
    expect(imported).toMatchObject([{ action: 'review.answer_import', actor_name: 'Ben' }]);

    // both trails verify, and each still holds the checkpoint it gave away
    for (const ws of [w.a.ws, w.b.ws]) expect(verifyTrail(ws)).toMatchObject({ ok: true });
    expect(checkCheckpoint(w.a.ws, JSON.parse(pkg.toString()).checkpoint as never).ok).toBe(true);

    // an edit afterwards voids the remote approval like any other
    w.a.svc.edit(w.a.ann, w.annFinding, { notes: 'Also seen on app01.' });
    expect(w.a.svc.finalReportFindings(w.a.engagementId).findings).toEqual([]);

    // the same answer twice is refused
    expect(refusal(() => importReviewAnswer(w.a.ws, w.a.ben, bytes)).message).toMatch(
      /^this review answer was imported already, on .+ by Ben$/,
    );
  });

  it('refuses the decision on a finding edited after the export, saying so, and applies the others', () => {
    const bytes = answer([
      { findingId: w.annFinding, decision: 'approve' },
      { findingId: w.benFinding, decision: 'approve' },
    ]);
    w.a.svc.edit(w.a.ann, w.annFinding, { notes: 'Rewritten after the package left.' });
    const out = importReviewAnswer(w.a.ws, w.a.ben, bytes);
    expect(out.applied.map((a) => a.findingId)).toEqual([w.benFinding]);
    expect(out.refused).toEqual([
      {
        findingId: w.annFinding,
        title: expect.any(String),
        decision: 'approve',
        reason: expect.stringMatching(
          /^finding ".+" was edited since Rita reviewed it \(revision \d+ now, the review was of revision \d+\): the decision is not applied; export it for review again$/,
        ),
      },
    ]);
    expect(w.a.ws.findings.review.approvals(w.annFinding)).toEqual([]);
    expect(w.a.ws.findings.require(w.annFinding).reviewState).toBe('in_review');
    expect(verifyTrail(w.a.ws).ok).toBe(true);
  });

  it('refuses an author approving their own finding remotely, on either side', () => {
    // Ann takes her own package to answer it on her workstation
    importReviewPackage(w.a.ws, pkg, { acting: w.a.ann });
    const e = refusal(() =>
      answerReview(w.a.ws, w.a.ann, packageId, [{ findingId: w.annFinding, decision: 'approve' }]),
    );
    expect(e.code).toBe('not_permitted');
    expect(e.message).toMatch(
      /^Ann cannot approve finding ".+": they edited it \(four-eye rule: a second person reviews\)$/,
    );
    // an answer in Ann's name, signed with her own key, made without the answer command: refused when applied
    const forged = resignAs(answer([{ findingId: w.annFinding, decision: 'approve' }]), w.a.ws, w.a.ann);
    const out = importReviewAnswer(w.a.ws, w.a.ben, forged);
    expect(out.applied).toEqual([]);
    expect(out.refused[0]!.reason).toMatch(/^Ann cannot approve finding ".+": they edited it/);
    expect(w.a.ws.findings.review.approvals(w.annFinding)).toEqual([]);
  });

  it("refuses a reviewer key that is not the named reviewer's", () => {
    const bytes = answer();
    // the first workstation knows a Rita already, with another key
    const other = generateKeyPairSync('ed25519');
    const pem = other.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    addColleague(
      w.a.ws,
      {
        format: 'foureyes-person/1',
        name: 'Rita',
        role: 'reviewer',
        email: 'rita@example.net',
        publicKey: pem,
        fingerprint: fingerprintOf(other.publicKey),
      },
      w.a.ben,
    );
    const e = refusal(() => importReviewAnswer(w.a.ws, w.a.ben, bytes));
    expect(e.message).toMatch(
      /^this review answer is refused: its reviewer Rita is known to this workspace with another key \(SHA256:.+\), and the review answer is signed with SHA256:.+, which is not Rita's$/,
    );
    expect(w.a.ws.findings.review.approvals(w.annFinding)).toEqual([]);
  });

  it('refuses an answer with one changed byte, a swapped approval signature, or for a package not exported here', () => {
    const bytes = answer();
    const sigAt = bytes.indexOf('"approvalSignature":"') + 30;
    const offsets = [
      bytes.indexOf('Name the sshd') + 3,
      sigAt,
      bytes.lastIndexOf('"signature":"') + 20,
      bytes.indexOf('MCowBQYDK2VwAyEA') + 20,
    ];
    for (const [i, at] of offsets.entries()) {
      const e = refusal(() => importReviewAnswer(w.a.ws, w.a.ben, i === 0 ? flip(bytes, at, 0x02) : flipBase64(bytes, at)));
      expect(e.message, `byte ${at}`).toMatch(/^this review answer is (refused|malformed): /);
    }
    expect(refusal(() => importReviewAnswer(w.a.ws, w.a.ben, flipBase64(bytes, sigAt))).message).toMatch(
      /decisions\[0\]\.approvalSignature \(finding .+\) is not the signature of Rita/,
    );
    for (let at = 0; at < bytes.length; at += Math.max(1, Math.floor(bytes.length / 150)))
      expect(() => importReviewAnswer(w.a.ws, w.a.ben, flip(bytes, at)), `byte ${at}`).toThrow(
        /^this review answer is/,
      );

    // one bit of Rita's approval signature changed (the answer's own signature left as it was)
    const altered = rewrite(bytes, (v) => {
      const ds = v.decisions as { approvalSignature?: string }[];
      const sig = Buffer.from(ds[0]!.approvalSignature!, 'base64');
      sig[5] = sig[5]! ^ 1;
      ds[0]!.approvalSignature = sig.toString('base64');
    });
    expect(refusal(() => importReviewAnswer(w.a.ws, w.a.ben, altered)).message).toMatch(
      /decisions\[0\]\.approvalSignature/,
    );

    // an answer to a package this workspace never exported
    const elsewhere = workstations();
    try {
      expect(refusal(() => importReviewAnswer(elsewhere.a.ws, elsewhere.a.ben, bytes)).message).toMatch(
        /^this review answer is refused: it answers review package .+, which this workspace did not export$/,
      );
    } finally {
      elsewhere.cleanup();
    }
    expect(w.a.ws.findings.review.approvals(w.annFinding)).toEqual([]);
    expect(importReviewAnswer(w.a.ws, w.a.ben, bytes).applied).toHaveLength(2);
  });

  it('refuses swapped signatures: the answer signature of another answer, an approval signature of another finding', () => {
    const first = answer([
      { findingId: w.annFinding, decision: 'approve' },
      { findingId: w.benFinding, decision: 'approve' },
    ]);
    const second = exportReviewPackage(w.a.ws, w.a.ann, {
      engagementId: w.a.engagementId,
      findingIds: [w.benFinding],
    });
    importReviewPackage(w.b.ws, second.bytes, { acting: w.b.rita });
    const other = answerReview(w.b.ws, w.b.rita, second.id, [
      { findingId: w.benFinding, decision: 'approve' },
    ]).bytes;
    const otherSig = (JSON.parse(other.toString()) as { signature: string }).signature;
    expect(
      refusal(() =>
        importReviewAnswer(
          w.a.ws,
          w.a.ben,
          rewrite(first, (v) => (v.signature = otherSig)),
        ),
      ).message,
    ).toMatch(/^this review answer is refused: its signature does not verify with the key of Rita/);
    // Rita's real approval of Ben's finding put on Ann's finding
    const crossed = rewrite(first, (v) => {
      const ds = v.decisions as { findingId: string; approvalSignature?: string }[];
      const ann = ds.find((d) => d.findingId === w.annFinding)!;
      ann.approvalSignature = ds.find((d) => d.findingId === w.benFinding)!.approvalSignature;
    });
    expect(refusal(() => importReviewAnswer(w.a.ws, w.a.ben, crossed)).message).toMatch(
      /^this review answer is refused: decisions\[\d\]\.approvalSignature \(finding [0-9a-f-]{36}\) is not the signature of Rita \(SHA256:.+\) over revision \d+ with content hash [0-9a-f]{12}…$/,
    );
    expect(w.a.ws.findings.review.approvals(w.annFinding)).toEqual([]);
  });

  it('puts no passphrase and no private key into a package or an answer', () => {
    const bytes = answer();
    const secrets = [PASS.ann, PASS.ben, PASS.rita, 'PRIVATE KEY', 'ENCRYPTED'];
    for (const ws of [w.a.ws, w.b.ws])
      for (const p of ws.people.list()) {
        const enc = ws.people.privateKey(p.id);
        if (enc) secrets.push(...enc.split('\n').filter((l) => l.length > 20));
      }
    expect(secrets.length).toBeGreaterThan(8);
    for (const file of [pkg, bytes]) for (const s of secrets) expect(file.includes(s), s).toBe(false);
    // nor the trails of either workspace
    for (const ws of [w.a.ws, w.b.ws]) {
      const text = JSON.stringify(ws.db.prepare('SELECT * FROM audit_event').all());
      for (const s of [PASS.ann, PASS.ben, PASS.rita, 'PRIVATE KEY']) expect(text.includes(s), s).toBe(false);
    }
    expect(serviceFor(w.a.ws).get(w.annFinding).finding.id).toBe(w.annFinding);
  });
});
