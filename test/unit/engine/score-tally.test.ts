import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEVERITIES, VERDICTS, type Severity, type Verdict } from '../../../shared/model/results.js';
import { scoreResults, scoreTally } from '../../../main/engine/score.js';

describe('scoreTally', () => {
  it('equals scoreResults when results are grouped by verdict and severity', () => {
    const result = fc.record({ verdict: fc.constantFrom(...VERDICTS), severity: fc.constantFrom(...SEVERITIES) });
    fc.assert(
      fc.property(fc.array(result, { maxLength: 300 }), (rs) => {
        const withIds = rs.map((r, i) => ({ ...r, checkId: `c${i}`, expected: '', actual: '', reason: '', evidence: [] }));
        const sev = new Map(withIds.map((r) => [r.checkId, r.severity]));
        const groups = new Map<string, { verdict: Verdict; severity: Severity; n: number }>();
        for (const r of rs) {
          const k = `${r.verdict}/${r.severity}`;
          const g = groups.get(k) ?? { verdict: r.verdict, severity: r.severity, n: 0 };
          g.n++;
          groups.set(k, g);
        }
        expect(scoreTally(groups.values())).toEqual(scoreResults(withIds, (id) => sev.get(id)));
      }),
    );
  });

  it('counts waived results apart and out of the weights: a waived failure leaves the failed count and the total', () => {
    const before = scoreTally([
      { verdict: 'pass', severity: 'high', n: 2 },
      { verdict: 'fail', severity: 'critical', n: 1 },
      { verdict: 'fail', severity: 'medium', n: 1 },
    ]);
    expect(before).toMatchObject({ score: 48, passedWeight: 12, totalWeight: 25 });
    expect(before.counts.waived).toBeUndefined();
    // The critical failure waived: 12 / 15, neither passed nor failed.
    const after = scoreTally([
      { verdict: 'pass', severity: 'high', n: 2 },
      { verdict: 'waived', severity: 'critical', n: 1 },
      { verdict: 'fail', severity: 'medium', n: 1 },
    ]);
    expect(after).toEqual({
      score: 80,
      counts: { pass: 2, fail: 1, not_applicable: 0, error: 0, manual: 0, waived: 1 },
      passedWeight: 12,
      totalWeight: 15,
    });
    // Only waived: nothing decided.
    expect(scoreTally([{ verdict: 'waived', severity: 'high', n: 3 }]).score).toBeNull();
  });

  it('scores nothing decided as null and weighs by severity', () => {
    expect(scoreTally([]).score).toBeNull();
    expect(scoreTally([{ verdict: 'pass', severity: 'info', n: 5 }]).score).toBeNull();
    // 2 high passes (12) against 1 critical fail (10): 12 / 22.
    const s = scoreTally([
      { verdict: 'pass', severity: 'high', n: 2 },
      { verdict: 'fail', severity: 'critical', n: 1 },
      { verdict: 'error', severity: 'critical', n: 4 },
    ]);
    expect(s).toEqual({
      score: 54.5,
      counts: { pass: 2, fail: 1, not_applicable: 0, error: 4, manual: 0 },
      passedWeight: 12,
      totalWeight: 22,
    });
  });
});
