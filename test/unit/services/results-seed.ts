/**
 * A seeded workspace for comparing the services against the reference (api-reference.ts): the real catalogue,
 * hosts whose names sort differently by code unit and by locale (upper case, umlauts, a dotted capital I), two host
 * runs with the same name, a host removed after its scan, a failed run, results of checks the catalogue does not
 * know, and actual values with mixed case, non-ASCII letters whose lower case is ASCII (Kelvin sign) and a NUL.
 * Several scans in different states, so scan.list and the trend have more than one point.
 */
import { loadCatalogue, type Catalogue } from '../../../main/catalogue/load.js';
import { openWorkspace, type Workspace } from '../../../main/store/db.js';
import type { RecordedResult } from '../../../shared/model/workspace.js';
import { VERDICTS, type Severity } from '../../../shared/model/results.js';
import { prng } from '../../bench/ui/workspace.js';
import { STATS, makeSnapshot } from '../store/helpers.js';

export const HOST_NAMES = ['db01', 'DB02', 'app01', 'Äpfel-03', 'web_01', 'zeta.example', 'İzmir-05', 'gone-01'];

/** Checks the catalogue does not know, each with its fixed severity. */
export const UNKNOWN_CHECKS: readonly [string, Severity][] = [
  ['zz-custom-check', 'high'],
  ['custom-aaa-login', 'low'],
];

const ACTUALS = [
  'PermitRootLogin yes (/etc/ssh/sshd_config:32)',
  'ROOT may log in',
  'temperature 300 \u212A',
  'İnstalled by hand',
  'ümlaut ÄÖÜ in GECOS',
  'nul\u0000byte Root',
  'MaxAuthTries 6',
  'sha512 hashing',
];
const REASONS = ['Root may log in over SSH.', 'The value is above the limit.', 'Not found.', 'Kein Eintrag für Ärger.'];

export interface Seeded {
  ws: Workspace;
  catalogue: Catalogue;
  engagementId: string;
  /** Scans in creation order: done (all hosts), done (three hosts), cancelled, running. */
  scanIds: string[];
  hostIds: string[];
}

export function seedResultsWorkspace(path: string, seed = 7): Seeded {
  const catalogue = loadCatalogue();
  let t = Date.parse('2026-03-01T08:00:00.000Z');
  const ws = openWorkspace(path, { now: () => new Date((t += 60_000)) });
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const e = ws.engagements.create({ name: 'Seeded', customer: 'Example' });
  const hosts = HOST_NAMES.map((name, i) => ws.hosts.add(e.id, { name, address: `10.0.0.${i + 1}`, user: 'audit' }));

  const results = (): RecordedResult[] => {
    // About 47 known checks a run, whatever the catalogue's size: enough for every filter, within one 1000-row page.
    const share = Math.min(0.45, 47 / catalogue.checks.length);
    const known = catalogue.checks.filter(() => rand() < share);
    const all: [string, Severity][] = [
      ...known.map((c): [string, Severity] => [c.id, c.severity]),
      ...UNKNOWN_CHECKS.filter(() => rand() < 0.7),
    ];
    return all.map(([checkId, severity]) => ({
      checkId,
      checkDigest: 'd',
      verdict: pick(VERDICTS),
      severity,
      expected: 'no',
      actual: pick(ACTUALS),
      reason: pick(REASONS),
      evidence: [],
    }));
  };

  const scan = (hostIdx: readonly number[], opts: { local?: string; fail?: number; end?: 'done' | 'cancelled' | 'running' }) => {
    const s = ws.scans.createScan({ engagementId: e.id, catalogueVersion: catalogue.version, checkIds: [] });
    const runs = ws.hostRuns.createHostRuns(s.id, [
      ...hostIdx.map((i) => ({ hostId: hosts[i]!.id, source: 'ssh' as const })),
      ...(opts.local ? [{ targetName: opts.local, source: 'local' as const }] : []),
    ]);
    runs.forEach((r, i) => {
      if (i === opts.fail) ws.hostRuns.failHostRun(r.id, { code: 'unreachable', message: 'no route' });
      else if (opts.end === 'running' && i > 0) return;
      else ws.hostRuns.completeHostRun(r.id, makeSnapshot({ packages: 5 }), results(), STATS, { privilege: 'root' });
    });
    if (opts.end !== 'running') ws.scans.finishScan(s.id, opts.end ?? 'done');
    return s.id;
  };

  const scanIds = [
    scan([0, 1, 2, 3, 4, 5, 6, 7], { local: 'db01', fail: 5 }),
    scan([0, 2, 7], {}),
    scan([1, 3], { end: 'cancelled' }),
    scan([0, 4], { end: 'running' }),
  ];
  ws.hosts.remove(hosts[7]!.id); // its runs stay, without a host id
  return { ws, catalogue, engagementId: e.id, scanIds, hostIds: hosts.slice(0, 7).map((h) => h.id) };
}


/** The services answer synchronously (better-sqlite3); a promise here would be a change worth noticing. */
export function sync<T>(v: T | Promise<T>): T {
  if (v instanceof Promise) throw new Error('expected a synchronous answer');
  return v;
}
