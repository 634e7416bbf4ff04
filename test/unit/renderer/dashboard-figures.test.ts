import { describe, expect, it } from 'vitest';
import {
  headline,
  scoredHosts,
  severityRows,
  truncateLabel,
  unscoredHosts,
  type Summary,
  type SummaryHost,
} from '../../../renderer/src/screens/dashboard/figures.js';

const counts = (pass: number, fail: number) => ({ pass, fail, error: 0, manual: 0, not_applicable: 0 });
const host = (name: string, state: SummaryHost['state'], score: number | null, id: string | null = name): SummaryHost => ({
  hostId: id,
  hostName: name,
  hostRunId: state ? `run-${name}` : null,
  state,
  error: state === 'failed' ? { code: 'connect_refused', message: `${name}: connection refused` } : null,
  stoppedIn: state === 'failed' ? 'connecting' : null,
  score,
  counts: counts(1, 1),
});

describe('dashboard figures', () => {
  it('orders scored hosts worst first, ties by name, and keeps removed hosts apart from current ones', () => {
    const hosts = [host('b', 'done', 70), host('a', 'done', 70), host('c', 'done', 12.5), host('a', 'done', 90, null)];
    const s = scoredHosts(hosts);
    expect(s.map((h) => [h.host.hostName, h.score])).toEqual([
      ['c', 12.5],
      ['a', 70],
      ['b', 70],
      ['a', 90],
    ]);
    expect(new Set(s.map((h) => h.key)).size).toBe(4);
  });

  it('lists hosts without a finished run or without a score, saying why', () => {
    const u = unscoredHosts([host('x', null, null), host('y', 'failed', null), host('z', 'done', null), host('w', 'done', 50)]);
    expect(u.map((h) => [h.host.hostName, h.why])).toEqual([
      ['x', 'not scanned'],
      ['y', 'failed while connecting: y: connection refused'],
      ['z', 'no score (no pass or fail of weight)'],
    ]);
    expect(u.map((h) => h.failed)).toEqual([false, true, false]);
  });

  it('takes the headline from the summary: failures by severity and the scan score from its trend point', () => {
    const summary: Summary = {
      waiversExpiring: { count: 0, items: [] },
      scanId: 's2',
      hosts: [host('a', 'done', 40), host('b', 'failed', null), host('c', null, null)],
      unlistedHosts: 2,
      byFamily: [],
      bySeverity: [
        { severity: 'info', counts: counts(0, 1) },
        { severity: 'low', counts: counts(2, 3) },
        { severity: 'medium', counts: counts(2, 4) },
        { severity: 'high', counts: counts(1, 5) },
        { severity: 'critical', counts: counts(0, 2) },
      ],
      trend: [
        { scanId: 's1', startedAt: '2026-01-01T00:00:00Z', score: 10, counts: counts(0, 0) },
        { scanId: 's2', startedAt: '2026-01-02T00:00:00Z', score: 41.7, counts: counts(0, 0) },
      ],
    };
    expect(headline(summary)).toEqual({ hostsScanned: 1, hostsTotal: 5, hostsFailed: 1, score: 41.7, failed: 15, criticalHighFailed: 7 });
    expect(severityRows(summary).map((r) => r.name)).toEqual(['critical', 'high', 'medium', 'low', 'info']);
    expect(headline({ ...summary, scanId: 'other' }).score).toBeNull();
  });

  it('cuts long labels by code point, never inside a surrogate pair', () => {
    expect(truncateLabel('short', 10)).toBe('short');
    expect(truncateLabel('abcdefghijk', 5)).toBe('abcd…');
    const emoji = '😀'.repeat(10);
    const cut = truncateLabel(emoji, 4);
    expect(Array.from(cut)).toEqual(['😀', '😀', '😀', '…']);
  });
});
