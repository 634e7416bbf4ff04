import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ResultRow } from '../../../shared/api/schemas/results.js';
import {
  EMPTY_FILTER,
  apiFilter,
  queryKey,
  rowAt,
  toggled,
  windowFor,
  type Chunk,
  type ResultQuery,
  defaultResultsScan,
} from '../../../renderer/src/screens/results/resultsModel.js';

const row = (i: number): ResultRow => ({
  hostRunId: 'r1',
  hostId: 'h1',
  hostName: `host-${i}`,
  checkId: `check-${i}`,
  title: 't',
  family: 'hardening',
  area: 'a',
  severity: 'low',
  verdict: 'pass',
  reason: '',
  expected: '',
  actual: '',
});
const chunk = (offset: number, n: number): Chunk => ({
  offset,
  rows: Array.from({ length: n }, (_, i) => row(offset + i)),
});
const q = (
  over: Partial<ResultQuery['filter']> = {},
  sort: ResultQuery['sort'] = { by: 'severity', dir: 'desc' },
): ResultQuery => ({
  scanId: 's1',
  filter: { ...EMPTY_FILTER, ...over },
  sort,
});

describe('results query', () => {
  it('leaves out what filters nothing and trims the text', () => {
    expect(apiFilter(EMPTY_FILTER)).toEqual({});
    expect(apiFilter({ ...EMPTY_FILTER, verdicts: ['fail'], text: '  sshd ' })).toEqual({
      verdicts: ['fail'],
      text: 'sshd',
    });
    expect(apiFilter({ ...EMPTY_FILTER, text: '   ' })).toEqual({});
  });

  it('gives one cache key per distinct query', () => {
    expect(queryKey(q({ verdicts: ['fail', 'error'] }))).toBe(queryKey(q({ verdicts: ['error', 'fail'] })));
    expect(queryKey(q({ text: 'SSHD ' }))).toBe(queryKey(q({ text: 'sshd' })));
    expect(queryKey(q({ verdicts: ['fail'] }))).not.toBe(queryKey(q({ severities: [] })));
    expect(queryKey(q({}, { by: 'host', dir: 'asc' }))).not.toBe(
      queryKey(q({}, { by: 'host', dir: 'desc' })),
    );
    expect(queryKey({ ...q(), scanId: 's2' })).not.toBe(queryKey(q()));
  });

  it('toggles a value in a list', () => {
    expect(toggled(['a', 'b'], 'a')).toEqual(['b']);
    expect(toggled(['a'], 'b')).toEqual(['a', 'b']);
  });
});

describe('sparse rows', () => {
  it('reads a row from whichever chunk holds it', () => {
    const chunks = [chunk(0, 1000), chunk(24_000, 1000)];
    expect(rowAt(chunks, 999)?.checkId).toBe('check-999');
    expect(rowAt(chunks, 24_500)?.checkId).toBe('check-24500');
    expect(rowAt(chunks, 1000)).toBeUndefined();
  });

  it('asks for nothing when the view is loaded or on its way', () => {
    expect(windowFor(10, 40, 25_000, [chunk(0, 1000)], [])).toBeNull();
    expect(windowFor(5000, 5030, 25_000, [], [{ offset: 4500, limit: 1000 }])).toBeNull();
    expect(windowFor(0, 40, 0, [], [])).toBeNull();
  });

  it('a jump to the end costs one call that ends at the last row', () => {
    expect(windowFor(24_990, 25_023, 25_024, [chunk(0, 1000)], [])).toEqual({ offset: 24_024, limit: 1000 });
  });

  it('centres the window on what is missing', () => {
    const w = windowFor(12_000, 12_030, 25_024, [], [])!;
    expect(w.offset).toBeLessThanOrEqual(12_000);
    expect(w.offset + w.limit).toBeGreaterThan(12_030);
    expect(Math.abs(12_015 - (w.offset + w.limit / 2))).toBeLessThanOrEqual(1);
  });

  it('after loading the window it gives, every row of the view is there (any view, any cache)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30_000 }),
        fc.integer({ min: 0, max: 30_000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 1, max: 1000 })), {
          maxLength: 5,
        }),
        (total, start, height, loaded) => {
          const first = Math.min(start, total - 1);
          const last = Math.min(first + height, total - 1);
          const chunks = loaded.filter(([o]) => o < total).map(([o, n]) => chunk(o, Math.min(n, total - o)));
          const w = windowFor(first, last, total, chunks, []);
          const after = w ? [...chunks, chunk(w.offset, Math.min(w.limit, total - w.offset))] : chunks;
          if (w) expect(w.offset).toBeGreaterThanOrEqual(0);
          for (let i = first; i <= last; i++) expect(rowAt(after, i)).toBeDefined();
        },
      ),
    );
  });
});

describe('the scan the results screen opens by default', () => {
  const zero = { pass: 0, fail: 0, not_applicable: 0, error: 0, manual: 0 };
  const scan = (id: string, state: string, pass = 0) => ({ id, state, counts: { ...zero, pass } });

  it('skips a newer scan that was cancelled or failed before any result, for the newest one with results', () => {
    expect(defaultResultsScan([scan('s3', 'cancelled'), scan('s2', 'done'), scan('s1', 'done', 40)])).toBe(
      's1',
    );
    expect(defaultResultsScan([scan('s2', 'done', 3), scan('s1', 'done', 40)])).toBe('s2');
  });

  it('a running scan is shown (its rows come as hosts finish); with no useful scan, the newest', () => {
    expect(defaultResultsScan([scan('s2', 'running'), scan('s1', 'done', 40)])).toBe('s2');
    expect(defaultResultsScan([scan('s2', 'cancelled'), scan('s1', 'interrupted')])).toBe('s2');
    expect(defaultResultsScan([])).toBeNull();
  });
});
