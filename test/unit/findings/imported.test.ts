import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateAll } from '../../../main/engine/evaluate.js';
import { storeImportedSnapshot } from '../../../main/services/assessment.js';
import { makeSnapshot } from '../store/helpers.js';
import { findingsFixture, type FindingsFixture } from './fixtures.js';

/**
 * The whole way from facts to findings: a snapshot evaluated by the engine against the real catalogue and stored as
 * an import (the CLI's `foureyes import`), a target outside the inventory, matched again by its name.
 */
describe('findings from an imported snapshot', () => {
  let fx: FindingsFixture;
  beforeEach(() => {
    fx = findingsFixture();
  });
  afterEach(() => fx.cleanup());

  it('makes a finding per failing check for the target, and a second import of it adds no duplicate', () => {
    const snapshot = makeSnapshot({ packages: 3 });
    const results = evaluateAll(snapshot, fx.catalogue.checks);
    const failing = results.filter((r) => r.verdict === 'fail').map((r) => r.checkId).sort();
    expect(failing.length).toBeGreaterThan(0);
    const store = () =>
      storeImportedSnapshot(fx.ws, {
        engagementId: fx.engagementId,
        catalogue: fx.catalogue,
        checks: fx.catalogue.checks,
        name: 'imported-01',
        snapshot,
        results,
      });
    store();
    const findings = fx.ws.findings.list(fx.engagementId);
    expect(findings.map((f) => f.key).sort()).toEqual(failing);
    for (const f of findings)
      expect(fx.ws.findings.hosts.forFinding(f.id)).toMatchObject([{ hostId: null, targetName: 'imported-01', state: 'failing' }]);
    const revisions = findings.map((f) => f.revision);

    store();
    const again = fx.ws.findings.list(fx.engagementId);
    expect(again.map((f) => f.id)).toEqual(findings.map((f) => f.id));
    expect(again.map((f) => f.revision)).toEqual(revisions);
    for (const f of again) expect(fx.ws.findings.hosts.forFinding(f.id)).toHaveLength(1);
  });
});
