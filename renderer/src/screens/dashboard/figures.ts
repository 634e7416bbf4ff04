/**
 * Pure figures of the dashboard, computed from `dashboard.summary` as the API returns it: the chart rows, the
 * headline numbers and the hosts without a score. No DOM and no React here, so unit tests run them in Node.
 */
import type { z } from 'zod';
import type { DashboardSummarySchema } from '../../../../shared/api/schemas/results.js';
import type { VerdictCounts } from '../../../../shared/api/schemas/common.js';
import type { ShownVerdict, Verdict } from '../../../../shared/model/results.js';

export type Summary = z.infer<typeof DashboardSummarySchema>;
export type SummaryHost = Summary['hosts'][number];

/** Order of the stacked segments: what needs attention is not last. */
export const STACK_ORDER: readonly Verdict[] = ['pass', 'fail', 'error', 'manual', 'not_applicable'];

export const VERDICT_NAMES: Readonly<Record<ShownVerdict, string>> = {
  pass: 'pass',
  fail: 'fail',
  error: 'error',
  manual: 'manual',
  not_applicable: 'n/a',
  waived: 'waived',
};

/** The segments shown: `waived` after the others when an approved waiver covers any result of the scan. */
export function stackOrder(s: Summary): readonly ShownVerdict[] {
  return s.byFamily.some((f) => (f.counts.waived ?? 0) > 0) ? [...STACK_ORDER, 'waived'] : STACK_ORDER;
}

/** A row's count of one shown verdict (waived: zero when absent). */
export const countOf = (c: VerdictCounts, v: ShownVerdict): number => (v === 'waived' ? (c.waived ?? 0) : c[v]);

/** Longest host label on a chart axis, in code points; the full name is in the tooltip and the table. */
export const LABEL_MAX = 24;

/** Cuts a label to `max` code points with an ellipsis (never inside a surrogate pair). */
export function truncateLabel(s: string, max = LABEL_MAX): string {
  const cps = Array.from(s);
  return cps.length <= max ? s : cps.slice(0, Math.max(1, max - 1)).join('') + '…';
}

export const total = (c: VerdictCounts): number =>
  c.pass + c.fail + c.error + c.manual + c.not_applicable + (c.waived ?? 0);

/** A host on the score chart. `key` is unique even when a removed host shares a name with a current one. */
export interface ScoredHost {
  key: string;
  host: SummaryHost;
  score: number;
}

/** Hosts with a score, worst first (ties by name, so the order is stable). */
export function scoredHosts(hosts: readonly SummaryHost[]): ScoredHost[] {
  return hosts
    .map((host, i) => ({ host, i }))
    .filter(({ host }) => host.state === 'done' && host.score !== null)
    .map(({ host, i }) => ({ key: `h${i}`, host, score: host.score as number }))
    .sort((a, b) => a.score - b.score || a.host.hostName.localeCompare(b.host.hostName));
}

/**
 * Why a host has no bar: never scanned in this scan, its run failed (where and why: the reason is target or SSH
 * text, shown as text), did not finish, or nothing weighted was decided.
 */
export interface UnscoredHost {
  host: SummaryHost;
  why: string;
  failed: boolean;
}

export function unscoredHosts(hosts: readonly SummaryHost[]): UnscoredHost[] {
  return hosts
    .filter((h) => h.state !== 'done' || h.score === null)
    .map((host) => ({
      host,
      failed: host.state === 'failed',
      why:
        host.state === null
          ? 'not scanned'
          : host.state === 'failed'
            ? `failed${host.stoppedIn ? ` while ${host.stoppedIn}` : ''}: ${host.error?.message ?? 'no reason recorded'}`
            : host.state !== 'done'
              ? `not scanned (${host.state})`
              : 'no score (no pass or fail of weight)',
    }))
    .sort((a, b) => a.host.hostName.localeCompare(b.host.hostName));
}

export interface Headline {
  /** Hosts with a finished run in the scan, of all hosts of the summary (listed or only counted). */
  hostsScanned: number;
  hostsTotal: number;
  /** Hosts whose run failed in the scan. */
  hostsFailed: number;
  /** Score of the whole scan (from the trend point of that scan); null when it has none. */
  score: number | null;
  failed: number;
  criticalHighFailed: number;
}

export function headline(s: Summary): Headline {
  const point = s.trend.find((p) => p.scanId === s.scanId);
  const sev = (name: string): number => s.bySeverity.find((b) => b.severity === name)?.counts.fail ?? 0;
  return {
    hostsScanned: s.hosts.filter((h) => h.state === 'done').length,
    hostsTotal: s.hosts.length + s.unlistedHosts,
    hostsFailed: s.hosts.filter((h) => h.state === 'failed').length,
    score: point?.score ?? null,
    failed: s.bySeverity.reduce((n, b) => n + b.counts.fail, 0),
    criticalHighFailed: sev('critical') + sev('high'),
  };
}

/** One stacked bar: a label and its counts per verdict. */
export type StackRow = { name: string } & VerdictCounts;

export function familyRows(s: Summary): StackRow[] {
  return s.byFamily.map((f) => ({ name: f.family, ...f.counts }));
}

/** Worst severity on top. */
export function severityRows(s: Summary): StackRow[] {
  return [...s.bySeverity].reverse().map((b) => ({ name: b.severity, ...b.counts }));
}

/** Text of a chart's aria-label: each row's counts, in words. */
export function describeStack(
  title: string,
  rows: readonly StackRow[],
  order: readonly ShownVerdict[] = STACK_ORDER,
): string {
  const parts = rows.map((r) => `${r.name}: ${order.map((v) => `${countOf(r, v)} ${VERDICT_NAMES[v]}`).join(', ')}`);
  return `${title}. ${parts.join('; ')}.`;
}

/** Colour class of a score bar: the same thresholds everywhere on the dashboard. */
export function scoreBand(score: number): 'good' | 'fair' | 'poor' {
  return score >= 80 ? 'good' : score >= 50 ? 'fair' : 'poor';
}
