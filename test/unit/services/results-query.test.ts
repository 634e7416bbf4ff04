/**
 * results.query in SQL against the straightforward reference (read every row, filter, sort and page in JS) on a
 * seeded workspace: every combination of filters present, with every sort key and direction; every value of each
 * filter; and paging through whole lists in small pages.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandlerInput } from '../../../shared/api/contract.js';
import { RESULT_SORT_KEYS, ResultsQueryInputSchema } from '../../../shared/api/schemas/results.js';
import { resultService } from '../../../main/services/results.js';
import { referenceQuery } from './api-reference.js';
import { seedResultsWorkspace, sync, type Seeded } from './results-seed.js';

type Input = HandlerInput<'results.query'>;
type Filter = Input['filter'];

let dir: string;
let s: Seeded;
let service: ReturnType<typeof resultService>;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fe-results-query-'));
  s = seedResultsWorkspace(path.join(dir, 'ws.sqlite'));
  service = resultService(s.ws, s.catalogue);
});
afterAll(() => {
  s.ws.close();
  rmSync(dir, { recursive: true, force: true });
});

const SORTS = RESULT_SORT_KEYS.flatMap((by) => (['asc', 'desc'] as const).map((dir) => ({ by, dir })));

/** Values tried for each filter; the first is the one used in combinations. */
function filterValues(): { [K in keyof Filter]-?: NonNullable<Filter[K]>[] } {
  const areas = [...new Set(s.catalogue.checks.map((c) => c.area))].sort();
  const title = s.catalogue.checks.find((c) => c.family === 'aaa')!.title;
  return {
    verdicts: [['fail'], ['pass', 'error'], ['manual', 'not_applicable']],
    severities: [['high', 'critical'], ['info'], ['low', 'medium']],
    families: [['aaa'], ['hardening'], ['drift', 'aaa']],
    areas: [[areas[0]!], areas.slice(1, 4)],
    hostIds: [[s.hostIds[0]!, s.hostIds[3]!], [s.hostIds[1]!]],
    text: [
      'root', // actual and reason, several cases
      'K', // the Kelvin sign lower-cases to an ASCII k
      'i̇', // what the dotted capital I lower-cases to
      'äöü',
      'db0', // host names db01 and DB02
      'İZMİR',
      title.split(' ').slice(0, 2).join(' ').toUpperCase(), // a title (catalogue only)
      'zz-custom', // a check the catalogue does not know
      'byte root', // after the NUL
      'ssh-',
      '%', // LIKE wildcards and its escape character are plain text here
      'b_0',
      '\\',
      'nothing-matches-this',
    ],
  };
}

const run = (input: unknown) => {
  const parsed = ResultsQueryInputSchema.parse(input);
  return { got: sync(service.query(parsed)), want: referenceQuery(s.ws, s.catalogue, parsed) };
};

describe('results.query in SQL matches the reference', () => {
  it('the seeded data exercises what it should', () => {
    const all = referenceQuery(s.ws, s.catalogue, ResultsQueryInputSchema.parse({ scanId: s.scanIds[0], paging: { limit: 1000 } }));
    expect(all.total).toBeGreaterThan(200);
    expect(all.total).toBeLessThanOrEqual(1000);
    // Nine runs: one failed (no results), db01 twice (the inventory host and the local machine).
    expect(new Set(all.items.map((r) => r.hostName)).size).toBe(7);
    expect(new Set(all.items.filter((r) => r.hostName === 'db01').map((r) => r.hostRunId)).size).toBe(2);
    expect(all.items.some((r) => r.hostId === null && r.hostName === 'gone-01')).toBe(true);
    expect(all.items.some((r) => !s.catalogue.byId.has(r.checkId))).toBe(true);
  });

  it('every combination of filters present, with every sort', () => {
    const values = filterValues();
    const keys = Object.keys(values) as (keyof Filter)[];
    let compared = 0;
    for (const scanId of s.scanIds.slice(0, 2)) {
      for (let mask = 0; mask < 1 << keys.length; mask++) {
        const filter = Object.fromEntries(
          keys.filter((_, i) => mask & (1 << i)).map((k) => [k, values[k][mask % values[k].length]]),
        );
        for (const sort of SORTS) {
          const { got, want } = run({ scanId, filter, sort, paging: { offset: 0, limit: 1000 } });
          expect(got, JSON.stringify({ filter, sort })).toEqual(want);
          compared += want.total;
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('every value of each filter alone, with every sort, on every scan', () => {
    const values = filterValues();
    for (const scanId of s.scanIds) {
      for (const [key, list] of Object.entries(values)) {
        for (const value of list) {
          for (const sort of SORTS) {
            const { got, want } = run({ scanId, filter: { [key]: value }, sort, paging: { offset: 0, limit: 1000 } });
            expect(got, JSON.stringify({ key, value, sort })).toEqual(want);
          }
        }
      }
    }
  });

  it('text matches each field case-insensitively as JS lower-cases, and a title only through the catalogue', () => {
    const scanId = s.scanIds[0]!;
    const q = (text: string) => run({ scanId, filter: { text }, paging: { limit: 1000 } }).got;
    const kelvin = q('300 k');
    expect(kelvin.total).toBeGreaterThan(0);
    expect(kelvin.items.every((r) => r.actual.includes('300 \u212A'))).toBe(true);
    expect(q('ROOT').items.some((r) => r.actual === 'ROOT may log in')).toBe(true);
    expect(q('İzmir').items.every((r) => r.hostName === 'İzmir-05')).toBe(true);
    const title = s.catalogue.checks[0]!.title;
    const byTitle = q(title.toUpperCase());
    expect(byTitle.total).toBeGreaterThan(0);
    expect(byTitle.items.every((r) => r.title.toLowerCase().includes(title.toLowerCase()) || r.actual.toLowerCase().includes(title.toLowerCase()))).toBe(true);
  });

  it('pages in any order neither overlap nor skip, and offsets past the end are empty', () => {
    for (const sort of SORTS) {
      for (const filter of [{}, { verdicts: ['fail' as const] }, { text: 'o' }]) {
        const scanId = s.scanIds[0]!;
        const whole = run({ scanId, filter, sort, paging: { offset: 0, limit: 1000 } }).want;
        const pages: unknown[] = [];
        for (let offset = 0; offset < whole.total + 20; offset += 17) {
          const { got, want } = run({ scanId, filter, sort, paging: { offset, limit: 17 } });
          expect(got).toEqual(want);
          expect(got.total).toBe(whole.total);
          pages.push(...got.items);
        }
        expect(pages).toEqual(whole.items);
      }
    }
  });

  it('an unknown scan is not_found', () => {
    expect(() => service.query(ResultsQueryInputSchema.parse({ scanId: 'nope' }))).toThrow(/scan nope does not exist/);
  });
});
