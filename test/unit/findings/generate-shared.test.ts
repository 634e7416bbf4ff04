/**
 * A finding that the failures of two checks go to (a finding_check row per check): each check's merge sees what the
 * merge of the check before it in the same scan stored (its parts, its revision), as when each was read on its own.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findingsFixture, type FindingsFixture } from './fixtures.js';

describe('a finding of two checks', () => {
  let fx: FindingsFixture;
  beforeEach(() => {
    fx = findingsFixture();
  });
  afterEach(() => fx.cleanup());

  const state = (findingId: string) => {
    const f = fx.ws.findings.require(findingId);
    return {
      revision: f.revision,
      status: f.status,
      parts: fx.ws.findings.hosts.forFinding(findingId).map((p) => `${p.checkId}:${p.targetName}:${p.state}`),
      changes: fx.ws.findings.review.changes(findingId).map((c) => `${c.revision}:${c.field}`),
    };
  };

  it('takes both checks\' hosts, a revision for each check that changes it, and is fixed when neither fails', () => {
    const [c0, c1] = [...fx.checks].sort();
    const check = fx.catalogue.byId.get(c0!)!;
    const f = fx.ws.findings.create(
      { engagementId: fx.engagementId, key: c0!, title: check.title, severity: check.severity, recommendation: check.remediation.text, createdBy: null },
      [c0!, c1!],
    );
    const seen: unknown[] = [];
    fx.scan({ db01: { [c0!]: 'fail', [c1!]: 'fail' }, web01: { [c1!]: 'fail' } });
    seen.push(state(f.id));
    fx.scan({ db01: { [c0!]: 'pass', [c1!]: 'fail' }, web01: { [c1!]: 'pass' } });
    seen.push(state(f.id));
    fx.scan({ db01: { [c0!]: 'pass', [c1!]: 'pass' }, web01: { [c1!]: 'pass' } });
    seen.push(state(f.id));
    fx.scan({ db01: { [c0!]: 'pass', [c1!]: 'pass' }, web01: { [c1!]: 'pass' } });
    seen.push(state(f.id));
    // The second check's catalogue title, remediation and severity replace the first's, and the first's theirs
    // back, at every scan that still sees a host of each: what a finding of two checks has always done.
    expect(seen).toEqual([
      { revision: 3, status: 'open', parts: [`${c0}:db01:failing`, `${c1}:db01:failing`, `${c1}:web01:failing`], changes: ['2:host', '3:host', '3:host', '3:title', '3:recommendation', '3:catalogueSeverity', '3:severity'] },
      { revision: 5, status: 'open', parts: [`${c0}:db01:fixed`, `${c1}:db01:failing`, `${c1}:web01:fixed`], changes: ['2:host', '3:host', '3:host', '3:title', '3:recommendation', '3:catalogueSeverity', '3:severity', '4:host', '4:title', '4:recommendation', '4:catalogueSeverity', '4:severity', '5:host', '5:title', '5:recommendation', '5:catalogueSeverity', '5:severity'] },
      { revision: 7, status: 'verified_fixed', parts: [`${c0}:db01:fixed`, `${c1}:db01:fixed`, `${c1}:web01:fixed`], changes: ['2:host', '3:host', '3:host', '3:title', '3:recommendation', '3:catalogueSeverity', '3:severity', '4:host', '4:title', '4:recommendation', '4:catalogueSeverity', '4:severity', '5:host', '5:title', '5:recommendation', '5:catalogueSeverity', '5:severity', '6:title', '6:recommendation', '6:catalogueSeverity', '6:severity', '7:host', '7:title', '7:recommendation', '7:catalogueSeverity', '7:severity', '7:status'] },
      { revision: 9, status: 'verified_fixed', parts: [`${c0}:db01:fixed`, `${c1}:db01:fixed`, `${c1}:web01:fixed`], changes: ['2:host', '3:host', '3:host', '3:title', '3:recommendation', '3:catalogueSeverity', '3:severity', '4:host', '4:title', '4:recommendation', '4:catalogueSeverity', '4:severity', '5:host', '5:title', '5:recommendation', '5:catalogueSeverity', '5:severity', '6:title', '6:recommendation', '6:catalogueSeverity', '6:severity', '7:host', '7:title', '7:recommendation', '7:catalogueSeverity', '7:severity', '7:status', '8:title', '8:recommendation', '8:catalogueSeverity', '8:severity', '9:title', '9:recommendation', '9:catalogueSeverity', '9:severity'] },
    ]);
  });
});
