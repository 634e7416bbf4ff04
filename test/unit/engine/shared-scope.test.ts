/**
 * evaluateAll shares one parse of each fact among the checks of a snapshot (SnapshotScope). Sharing must not
 * change a single result: on every scenario snapshot of the catalogue, the whole catalogue evaluated together
 * gives exactly what each check gives on its own.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { scenarioSnapshot } from '../../../main/catalogue/scenario.js';
import { evaluateAll, evaluateCheck } from '../../../main/engine/evaluate.js';
import { FactUnavailable } from '../../../main/engine/outcome.js';
import { SCENARIO_VERDICTS } from '../../../shared/checks/scenario.js';
import { snap } from './fixtures/build.js';
import { FIXTURES } from './fixtures/index.js';

const cat = loadCatalogue();
const snapshots = [
  ...cat.checks.flatMap((c) => SCENARIO_VERDICTS.flatMap((v) => (c.scenarios?.[v] ?? []).map(scenarioSnapshot))),
  ...Object.values(FIXTURES).flatMap((fx) => [...fx.pass, ...fx.fail].map((sc) => snap(sc))),
];

describe('evaluateAll with a shared scope', () => {
  it('gives every check the result it gives alone', () => {
    expect(snapshots.length).toBeGreaterThan(200);
    for (const s of snapshots)
      expect(evaluateAll(s, cat.checks)).toEqual(cat.checks.map((c) => evaluateCheck(s, c)));
    // Every scenario snapshot against the whole catalogue, twice: hundreds of thousands of evaluations.
  }, 240_000);

  it('a fact that is unavailable is still a verdict, without a stack', () => {
    const e = new FactUnavailable('accounts.shadow', 'privilege', 'needs root');
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe('needs root');
    expect(e.kind).toBe('privilege');
    expect(Error.stackTraceLimit).toBeGreaterThan(0);
  });
});
