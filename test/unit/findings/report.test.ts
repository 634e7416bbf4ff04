import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approvalMessage, currentContent } from '../../../main/findings/content.js';
import { findingService, type FindingService } from '../../../main/findings/service.js';
import { collectAudit, keysOf, makePerson } from '../../support/acting.js';
import { findingsFixture, type FindingsFixture } from './fixtures.js';

const ann = makePerson('Ann');
const bea = makePerson('Bea');
const cem = makePerson('Cem');

/**
 * The final report against a workspace changed behind the application's back, with plain SQL on the file as an
 * attacker would: every approval is checked again against what is stored now.
 */
describe('final report', () => {
  let fx: FindingsFixture;
  let svc: FindingService;
  let ids: [string, string];
  beforeEach(() => {
    fx = findingsFixture();
    svc = findingService(fx.ws, { recordAudit: collectAudit().record, publicKeyOf: keysOf(ann, bea, cem) });
    fx.scan({ db01: { [fx.checks[0]]: 'fail', [fx.checks[1]]: 'fail' } });
    ids = [fx.ws.findings.forCheck(fx.engagementId, fx.checks[0])!.id, fx.ws.findings.forCheck(fx.engagementId, fx.checks[1])!.id];
    for (const id of ids) {
      svc.edit(ann.acting, id, { notes: `Notes for ${id}` });
      svc.submit(ann.acting, id);
      svc.approve(bea.acting, id);
    }
  });
  afterEach(() => fx.cleanup());

  const sql = (text: string, ...params: unknown[]) => fx.ws.db.prepare(text).run(...params);
  const report = () => svc.finalReportFindings(fx.engagementId);
  const excludedReason = (id: string) => report().excluded.find((e) => e.findingId === id)?.reason;

  it('holds the approved findings with who approved each, untouched', () => {
    const r = report();
    expect(r.findings.map((f) => f.finding.id).sort()).toEqual([...ids].sort());
    expect(r.excluded).toEqual([]);
    for (const f of r.findings) {
      expect(f.approvedBy).toMatchObject([{ personId: 'p-bea', name: 'Bea' }]);
      expect(f.contentHash).toBe(currentContent(fx.ws, f.finding).hash);
    }
  });

  it('leaves out a finding whose content was changed after approval, naming the approval', () => {
    sql('UPDATE finding SET notes = ? WHERE id = ?', 'Nothing to see here.', ids[0]);
    expect(report().findings.map((f) => f.finding.id)).toEqual([ids[1]]);
    expect(excludedReason(ids[0])).toMatch(
      /^the approval by Bea of \S+ is for other content \(hash [0-9a-f]{12}…, now [0-9a-f]{12}…\); 0 of the 1 approval\(s\) required verify$/,
    );
  });

  it('evidence changed in a host part is caught the same way', () => {
    sql("UPDATE finding_host SET evidence = '[]' WHERE finding_id = ?", ids[1]);
    expect(excludedReason(ids[1])).toMatch(/is for other content/);
  });

  it('a stored hash made to match the tampered content fails on the signature', () => {
    sql('UPDATE finding SET title = ? WHERE id = ?', 'Harmless', ids[0]);
    const f = fx.ws.findings.require(ids[0]);
    sql('UPDATE finding_approval SET content_hash = ? WHERE finding_id = ?', currentContent(fx.ws, f).hash, ids[0]);
    expect(excludedReason(ids[0])).toMatch(/^the approval by Bea of \S+ has a signature that does not verify with Bea's key;/);
  });

  it('a signature swapped from another approval, or one bit flipped, does not verify', () => {
    const sigOf = (id: string) =>
      fx.ws.db.prepare('SELECT signature FROM finding_approval WHERE finding_id = ?').pluck().get(id) as string;
    const [s0, s1] = [sigOf(ids[0]), sigOf(ids[1])];
    sql('UPDATE finding_approval SET signature = ? WHERE finding_id = ?', s1, ids[0]);
    const flipped = Buffer.from(s0, 'base64');
    flipped[10] = flipped[10]! ^ 1;
    sql('UPDATE finding_approval SET signature = ? WHERE finding_id = ?', flipped.toString('base64'), ids[1]);
    const r = report();
    expect(r.findings).toEqual([]);
    for (const id of ids) expect(excludedReason(id)).toMatch(/signature that does not verify/);
  });

  it('an approval inserted for a reviewer the workspace has no key for, or signed by the author, does not count', () => {
    const f = fx.ws.findings.require(ids[0]);
    const { hash } = currentContent(fx.ws, f);
    const insert = (who: { personId: string; name: string }, sign: (m: Buffer) => Buffer) =>
      sql(
        `INSERT INTO finding_approval (finding_id, reviewer_id, reviewer_name, revision, content_hash, signature, at)
         VALUES (?, ?, ?, ?, ?, ?, '2026-03-02T00:00:00.000Z')`,
        f.id,
        who.personId,
        who.name,
        f.revision,
        hash,
        sign(approvalMessage(f.id, f.revision, hash)).toString('base64'),
      );
    const mallory = makePerson('Mallory');
    insert(mallory.acting.actor, (m) => mallory.acting.sign(m));
    expect(excludedReason(ids[0])).toMatch(/cannot be checked: no public key is known for Mallory; 1 of the 1/);
    sql("DELETE FROM finding_approval WHERE reviewer_id = 'p-mallory'");
    // the author signs their own approval with their real key and slips it in
    svc.setApprovalsRequired(cem.acting, fx.engagementId, 2);
    sql("UPDATE finding SET review_state = 'approved' WHERE id = ?", f.id);
    insert(ann.acting.actor, (m) => ann.acting.sign(m));
    expect(excludedReason(ids[0])).toMatch(/the approval by Ann of \S+ is by an author or the submitter of the finding; 1 of the 2/);
  });

  it('a finding marked approved by hand without approvals is left out', () => {
    fx.scan({ app01: { [fx.checks[0]]: 'fail' } }); // new revision: back to review
    sql("UPDATE finding SET review_state = 'approved' WHERE id = ?", ids[0]);
    expect(excludedReason(ids[0])).toBe('0 of the 1 approval(s) required verify');
    expect(report().notApproved).toBe(0);
  });
});
