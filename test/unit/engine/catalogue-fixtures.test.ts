/**
 * ComplianceAsCode-style scenarios written in TypeScript (for cases data cannot express, such as malformed facts),
 * each giving the expected verdict. That every check has a pass and a fail scenario, from these fixtures or from
 * its own data, is asserted in test/unit/catalogue/scenarios.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { evaluateCheck } from '../../../main/engine/evaluate.js';
import { snap } from './fixtures/build.js';
import { FIXTURES } from './fixtures/index.js';

const catalogue = loadCatalogue();

describe('catalogue fixtures', () => {
  it('no scenario names a check that does not exist', () => {
    expect(Object.keys(FIXTURES).filter((id) => !catalogue.byId.has(id))).toEqual([]);
  });

  for (const check of catalogue.checks) {
    const fx = FIXTURES[check.id];
    if (!fx) continue;
    for (const [verdict, list] of [
      ['pass', fx.pass],
      ['fail', fx.fail],
    ] as const) {
      list.forEach((sc, i) => {
        it(`${check.id}: ${verdict} #${i + 1}${sc.name ? ` (${sc.name})` : ''}`, () => {
          const r = evaluateCheck(snap(sc), check);
          expect({ verdict: r.verdict, reason: r.reason, actual: r.actual }).toMatchObject({ verdict });
          expect(r.expected.length).toBeGreaterThan(0);
          expect(r.actual.length).toBeGreaterThan(0);
          expect(r.reason.length).toBeGreaterThan(0);
          if (verdict === 'fail') expect(r.evidence.length + r.actual.length).toBeGreaterThan(0);
        });
      });
    }
  }
});
