import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentContent } from '../../../main/findings/content.js';
import { findingService } from '../../../main/findings/service.js';
import { collectAudit, keysOf, makePerson } from '../../support/acting.js';
import { findingsFixture, type FindingsFixture } from './fixtures.js';

describe('findings from scans', () => {
  let fx: FindingsFixture;
  beforeEach(() => {
    fx = findingsFixture();
  });
  afterEach(() => fx.cleanup());

  const parts = (findingId: string) =>
    fx.ws.findings.hosts.forFinding(findingId).map((p) => `${p.targetName}:${p.state}`);

  it('one finding per failing check with its failing hosts, from the catalogue', () => {
    const [c0, c1] = fx.checks;
    const scanId = fx.scan({ db01: { [c0]: 'fail', [c1]: 'pass' }, web01: { [c0]: 'pass' }, app01: { [c0]: 'fail', [c1]: 'fail' } });
    const list = fx.ws.findings.list(fx.engagementId);
    expect(list.map((f) => f.key).sort()).toEqual([c0, c1].sort());
    const f0 = fx.ws.findings.forCheck(fx.engagementId, c0)!;
    const check = fx.catalogue.byId.get(c0)!;
    expect(f0).toMatchObject({
      title: check.title,
      severity: check.severity,
      catalogueSeverity: check.severity,
      recommendation: check.remediation.text,
      status: 'open',
      reviewState: 'draft',
      revision: 1,
      createdBy: null,
    });
    expect(parts(f0.id)).toEqual(['app01:failing', 'db01:failing']);
    const p = fx.ws.findings.hosts.forFinding(f0.id)[0]!;
    expect(p).toMatchObject({ firstScanId: scanId, lastScanId: scanId, actual: 'PermitRootLogin yes' });
    expect(p.evidence[0]).toMatchObject({ factId: 'sshd.config', excerpt: 'PermitRootLogin yes' });
    expect(fx.ws.findings.review.changes(f0.id)).toMatchObject([{ field: 'finding', actorId: null, scanId }]);
  });

  it('a check that passes everywhere makes no finding', () => {
    const [c0] = fx.checks;
    fx.scan({ db01: { [c0]: 'pass' } });
    expect(fx.ws.findings.list(fx.engagementId)).toEqual([]);
  });

  it('a re-scan after a fix moves the host part to fixed without touching the notes, then verified fixed', () => {
    const [c0] = fx.checks;
    fx.scan({ db01: { [c0]: 'fail' }, web01: { [c0]: 'fail' } });
    const f = fx.ws.findings.forCheck(fx.engagementId, c0)!;
    const ann = makePerson('Ann');
    const { record } = collectAudit();
    const svc = findingService(fx.ws, { recordAudit: record, publicKeyOf: keysOf(ann) });
    svc.edit(ann.acting, f.id, { notes: '## Seen on\n\nBoth **web** hosts.', title: 'Root may log in over SSH' });

    const second = fx.scan({ db01: { [c0]: 'pass' }, web01: { [c0]: 'fail' } });
    let now = fx.ws.findings.require(f.id);
    expect(parts(f.id)).toEqual(['db01:fixed', 'web01:failing']);
    expect(now).toMatchObject({ notes: '## Seen on\n\nBoth **web** hosts.', title: 'Root may log in over SSH', status: 'open' });
    const db = fx.ws.findings.hosts.forFinding(f.id).find((p) => p.targetName === 'db01')!;
    expect(db).toMatchObject({ lastScanId: second, actual: 'as wanted' });
    expect(db.fixedAt).not.toBeNull();

    fx.scan({ web01: { [c0]: 'pass' } });
    now = fx.ws.findings.require(f.id);
    expect(parts(f.id)).toEqual(['db01:fixed', 'web01:fixed']);
    expect(now).toMatchObject({ status: 'verified_fixed', notes: '## Seen on\n\nBoth **web** hosts.' });
    const history = fx.ws.findings.review.changes(f.id).map((c) => [c.field, c.actorId === null ? 'scan' : c.actorName]);
    expect(history).toContainEqual(['host', 'scan']);
    expect(history).toContainEqual(['status', 'scan']);
    expect(history).toContainEqual(['notes', 'Ann']);
  });

  it('a newly failing host joins the existing finding; a host failing again reopens its part and the finding', () => {
    const [c0] = fx.checks;
    fx.scan({ db01: { [c0]: 'fail' } });
    const f = fx.ws.findings.forCheck(fx.engagementId, c0)!;
    fx.scan({ db01: { [c0]: 'fail' }, app01: { [c0]: 'fail' } });
    expect(fx.ws.findings.list(fx.engagementId)).toHaveLength(1);
    expect(parts(f.id)).toEqual(['app01:failing', 'db01:failing']);
    expect(fx.ws.findings.require(f.id).revision).toBe(2);

    fx.scan({ db01: { [c0]: 'pass' }, app01: { [c0]: 'pass' } });
    expect(fx.ws.findings.require(f.id).status).toBe('verified_fixed');
    fx.scan({ db01: { [c0]: 'fail' } });
    expect(parts(f.id)).toEqual(['app01:fixed', 'db01:failing']);
    expect(fx.ws.findings.require(f.id)).toMatchObject({ status: 'open', revision: 4 });
    expect(fx.ws.findings.hosts.forFinding(f.id).find((p) => p.targetName === 'db01')!.fixedAt).toBeNull();
  });

  it('the same failure seen again is no new revision; a status and severity set by a person stay', () => {
    const [c0] = fx.checks;
    fx.scan({ db01: { [c0]: 'fail' } });
    const f = fx.ws.findings.forCheck(fx.engagementId, c0)!;
    fx.scan({ db01: { [c0]: 'fail' } });
    expect(fx.ws.findings.require(f.id).revision).toBe(1);

    const ann = makePerson('Ann');
    const svc = findingService(fx.ws, { recordAudit: collectAudit().record, publicKeyOf: keysOf(ann) });
    const other = f.severity === 'info' ? 'low' : 'info';
    svc.edit(ann.acting, f.id, { status: 'accepted_risk', severity: other }, { reason: 'isolated lab network' });
    fx.scan({ db01: { [c0]: 'pass' } });
    expect(fx.ws.findings.require(f.id)).toMatchObject({
      status: 'accepted_risk',
      statusReason: 'isolated lab network',
      severity: other,
      severityReason: 'isolated lab network',
    });
    expect(parts(f.id)).toEqual(['db01:fixed']);
  });

  it('the same failure with other evidence is a new revision that says so, and changes the content hash', () => {
    const [c0] = fx.checks;
    fx.scan({ db01: { [c0]: 'fail' } });
    const f = fx.ws.findings.forCheck(fx.engagementId, c0)!;
    const first = currentContent(fx.ws, fx.ws.findings.require(f.id)).hash;
    fx.scan({ db01: { [c0]: 'fail' } }, 'PermitRootLogin prohibit-password');
    const now = fx.ws.findings.require(f.id);
    expect(now.revision).toBe(2);
    expect(fx.ws.findings.hosts.forFinding(f.id)[0]).toMatchObject({ state: 'failing', actual: 'PermitRootLogin prohibit-password' });
    expect(fx.ws.findings.review.changes(f.id).map((c) => c.field)).toContain('evidence');
    expect(currentContent(fx.ws, now).hash).not.toBe(first);
    // Seen again as it is now: no further revision.
    fx.scan({ db01: { [c0]: 'fail' } }, 'PermitRootLogin prohibit-password');
    expect(fx.ws.findings.require(f.id).revision).toBe(2);
  });

  it('a status of fixed set by a person is confirmed by a scan that finds no host failing', () => {
    const [c0] = fx.checks;
    fx.scan({ db01: { [c0]: 'fail' } });
    const f = fx.ws.findings.forCheck(fx.engagementId, c0)!;
    const ann = makePerson('Ann');
    const svc = findingService(fx.ws, { recordAudit: collectAudit().record, publicKeyOf: keysOf(ann) });
    svc.edit(ann.acting, f.id, { status: 'fixed' });
    fx.scan({ db01: { [c0]: 'fail' } });
    expect(fx.ws.findings.require(f.id).status).toBe('fixed');
    fx.scan({ db01: { [c0]: 'pass' } });
    expect(fx.ws.findings.require(f.id)).toMatchObject({ status: 'verified_fixed', editedFields: [] });
  });
});
