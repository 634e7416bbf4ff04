import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findingService, type FindingService } from '../../../main/findings/service.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { collectAudit, keysOf, makePerson, type RecordedAudit } from '../../support/acting.js';
import { findingsFixture, type FindingsFixture } from './fixtures.js';

const ann = makePerson('Ann');
const bea = makePerson('Bea');
const cem = makePerson('Cem');

function refusal(fn: () => unknown): FoureyesError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FoureyesError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('four-eye review of findings', () => {
  let fx: FindingsFixture;
  let svc: FindingService;
  let records: RecordedAudit[];
  let findingId: string;

  beforeEach(() => {
    fx = findingsFixture();
    const audit = collectAudit();
    records = audit.records;
    svc = findingService(fx.ws, { recordAudit: audit.record, publicKeyOf: keysOf(ann, bea, cem) });
    fx.scan({ db01: { [fx.checks[0]]: 'fail' }, web01: { [fx.checks[0]]: 'fail' } });
    findingId = fx.ws.findings.forCheck(fx.engagementId, fx.checks[0])!.id;
  });
  afterEach(() => fx.cleanup());

  it('the author cannot approve their own finding', () => {
    svc.edit(ann.acting, findingId, { notes: 'Confirmed by hand on db01.' });
    svc.submit(ann.acting, findingId);
    const e = refusal(() => svc.approve(ann.acting, findingId));
    expect(e.code).toBe('not_permitted');
    expect(e.message).toMatch(/^Ann cannot approve finding ".+": they edited it \(four-eye rule/);
    expect(fx.ws.findings.review.approvals(findingId)).toEqual([]);
    expect(svc.approve(bea.acting, findingId)).toMatchObject({ approvals: 1, required: 1, finding: { reviewState: 'approved' } });
  });

  it('a co-author cannot approve, nor can the person who submitted an untouched finding', () => {
    svc.edit(ann.acting, findingId, { notes: 'First draft.' });
    svc.edit(bea.acting, findingId, { recommendation: 'Set PermitRootLogin no and reload sshd.' });
    expect(svc.get(findingId).authors.sort()).toEqual(['p-ann', 'p-bea']);
    svc.submit(ann.acting, findingId);
    expect(refusal(() => svc.approve(bea.acting, findingId)).message).toMatch(/Bea cannot approve .*they edited it/);
    expect(refusal(() => svc.reject(bea.acting, findingId, 'no')).code).toBe('not_permitted');
    svc.approve(cem.acting, findingId);

    fx.scan({ app01: { [fx.checks[1]]: 'fail' } });
    const g = fx.ws.findings.forCheck(fx.engagementId, fx.checks[1])!.id;
    svc.submit(cem.acting, g);
    expect(refusal(() => svc.approve(cem.acting, g)).message).toMatch(/Cem cannot approve .*they submitted it for review/);
  });

  it('an engagement requiring two approvers is not final with one', () => {
    svc.setApprovalsRequired(ann.acting, fx.engagementId, 2);
    svc.edit(ann.acting, findingId, { notes: 'Ready.' });
    svc.submit(ann.acting, findingId);
    expect(svc.approve(bea.acting, findingId)).toMatchObject({ approvals: 1, required: 2, finding: { reviewState: 'in_review' } });
    expect(refusal(() => svc.approve(bea.acting, findingId)).message).toMatch(/Bea has already approved revision/);
    let report = svc.finalReportFindings(fx.engagementId);
    expect(report).toMatchObject({ approvalsRequired: 2, findings: [], excluded: [], notApproved: 1 });

    svc.approve(cem.acting, findingId);
    report = svc.finalReportFindings(fx.engagementId);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]!.approvedBy.map((a) => a.name)).toEqual(['Bea', 'Cem']);
    expect(report.findings[0]!.approvedBy[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT/);

    // raising the requirement sends it back to review, saying why
    svc.setApprovalsRequired(ann.acting, fx.engagementId, 3);
    expect(fx.ws.findings.require(findingId).reviewState).toBe('in_review');
    expect(svc.history(findingId).at(-1)).toMatchObject({ field: 'review', reason: expect.stringMatching(/requires 3 approval/) });
    expect(records.map((r) => r.action)).toContain('engagement.approvals_required');
  });

  it('an edit after approval voids it and sends the finding back to review, saying so', () => {
    svc.edit(ann.acting, findingId, { notes: 'v1' });
    svc.submit(ann.acting, findingId);
    svc.approve(bea.acting, findingId);
    expect(svc.finalReportFindings(fx.engagementId).findings).toHaveLength(1);

    const edited = svc.edit(ann.acting, findingId, { notes: 'v2' });
    expect(edited).toMatchObject({ reviewState: 'in_review', revision: 3 });
    const approvals = svc.get(findingId).approvals;
    expect(approvals).toHaveLength(1);
    expect(approvals[0]!.voidedWhy).toMatch(/^edited after approval \(revision 2\): 1 approval\(s\) voided$/);
    expect(svc.history(findingId).at(-1)).toMatchObject({
      field: 'review',
      actorName: 'Ann',
      before: { state: 'approved', approvals: [{ personId: 'p-bea', name: 'Bea' }] },
      after: { state: 'in_review', approvals: [] },
    });
    const actions = records.map((r) => r.action);
    expect(actions.slice(-2)).toEqual(['finding.edit', 'finding.approvals_void']);
    expect(records.at(-2)).toMatchObject({ actor: 'p-ann', before: { notes: 'v1' }, after: { notes: 'v2' } });
    expect(svc.finalReportFindings(fx.engagementId)).toMatchObject({ findings: [], notApproved: 1 });

    // a re-scan that changes the evidence voids it in the same way
    svc.approve(bea.acting, findingId);
    fx.scan({ db01: { [fx.checks[0]]: 'fail' }, web01: { [fx.checks[0]]: 'pass' } });
    expect(fx.ws.findings.require(findingId)).toMatchObject({ reviewState: 'in_review', notes: 'v2' });
    expect(svc.history(findingId).at(-1)).toMatchObject({ field: 'review', actorId: null, reason: expect.stringMatching(/^changed by scan after approval/) });
  });

  it('a rejection needs a comment, voids approvals and returns the finding to draft', () => {
    svc.setApprovalsRequired(ann.acting, fx.engagementId, 2);
    svc.submit(ann.acting, findingId);
    svc.approve(bea.acting, findingId);
    expect(refusal(() => svc.reject(cem.acting, findingId, '   ')).message).toMatch(/Reason is required/);
    const f = svc.reject(cem.acting, findingId, 'Evidence on web01 is from the old config.');
    expect(f).toMatchObject({ reviewState: 'draft', submittedBy: null });
    expect(fx.ws.findings.review.approvals(findingId)).toEqual([]);
    expect(records.at(-1)).toMatchObject({ action: 'finding.reject', reason: 'Evidence on web01 is from the old config.' });
    expect(refusal(() => svc.approve(bea.acting, findingId)).message).toMatch(/is a draft, not in review/);
  });

  it('overrides and human decisions need a reason; every edit is in the history and the trail', () => {
    const f = fx.ws.findings.require(findingId);
    const other = f.catalogueSeverity === 'critical' ? 'low' : 'critical';
    expect(refusal(() => svc.edit(ann.acting, findingId, { severity: other })).message).toMatch(/needs a reason/);
    expect(refusal(() => svc.edit(ann.acting, findingId, { status: 'false_positive' })).message).toBe(
      'status false positive needs a reason',
    );
    expect(refusal(() => svc.edit(ann.acting, findingId, { status: 'verified_fixed' })).message).toMatch(/set by a scan/);
    expect(refusal(() => svc.edit(ann.acting, findingId, { dueDate: '2026-02-30' })).message).toMatch(/calendar date/);
    expect(fx.ws.findings.require(findingId).revision).toBe(1);

    svc.edit(ann.acting, findingId, { severity: other, tags: ['ssh'], dueDate: '2026-06-30' }, { reason: 'internet facing' });
    const h = svc.history(findingId).filter((c) => c.actorId === 'p-ann');
    expect(h.map((c) => [c.field, c.before, c.after, c.reason])).toEqual([
      ['severity', f.severity, other, 'internet facing'],
      ['tags', [], ['ssh'], 'internet facing'],
      ['dueDate', null, '2026-06-30', 'internet facing'],
    ]);
    expect(records.at(-1)).toMatchObject({
      action: 'finding.edit',
      object: { type: 'finding', id: findingId },
      reason: 'internet facing',
      before: { severity: f.severity, tags: [], dueDate: null },
      after: { severity: other, tags: ['ssh'], dueDate: '2026-06-30' },
    });
    expect(refusal(() => svc.edit(bea.acting, findingId, { notes: 'x' }, { expectedRevision: 1 })).message).toMatch(
      /changed meanwhile \(revision 2, expected 1\)/,
    );
  });
});
