/**
 * A workspace for findings tests: the real catalogue, one engagement with three inventory hosts, and scans stored
 * through the store sink the scan service and the CLI use (so generation runs where it runs for them).
 */
import { join } from 'node:path';
import { loadCatalogue, type Catalogue } from '../../../main/catalogue/load.js';
import { createStoreSink } from '../../../main/scan/store-sink.js';
import type { Workspace } from '../../../main/store/db.js';
import type { CheckResult } from '../../../shared/model/results.js';
import type { Host } from '../../../shared/model/workspace.js';
import { STATS, makeSnapshot, seededWorkspace, tempDir } from '../store/helpers.js';

let catalogue: Catalogue | undefined;

export interface FindingsFixture {
  ws: Workspace;
  catalogue: Catalogue;
  engagementId: string;
  hosts: { db01: Host; web01: Host; app01: Host };
  /** Two real check ids of the catalogue. */
  checks: [string, string];
  /** Stores a scan in which each named host had these verdicts; returns the scan id. */
  scan(verdicts: Partial<Record<'db01' | 'web01' | 'app01', Record<string, 'pass' | 'fail'>>>, actual?: string): string;
  cleanup(): void;
}

export function findingsFixture(): FindingsFixture {
  catalogue ??= loadCatalogue();
  const cat = catalogue;
  const { dir, cleanup } = tempDir();
  const { ws, engagementId, hostIds } = seededWorkspace(join(dir, 'w.sqlite'));
  const app = ws.hosts.add(engagementId, { name: 'app01', address: '10.77.0.13', user: 'audit' });
  const hosts = { db01: ws.hosts.require(hostIds[0]), web01: ws.hosts.require(hostIds[1]), app01: app };
  const checks: [string, string] = [cat.checks[0]!.id, cat.checks[1]!.id];
  const result = (checkId: string, verdict: 'pass' | 'fail', actual: string): CheckResult => ({
    checkId,
    verdict,
    expected: 'as the check wants',
    actual: verdict === 'fail' ? actual : 'as wanted',
    reason: verdict === 'fail' ? 'Not as the check wants.' : 'As the check wants.',
    evidence: [{ factId: 'sshd.config', path: '/etc/ssh/sshd_config', line: 3, excerpt: verdict === 'fail' ? actual : 'ok' }],
  });
  return {
    ws,
    catalogue: cat,
    engagementId,
    hosts,
    checks,
    scan(verdicts, actual = 'PermitRootLogin yes') {
      const names = Object.keys(verdicts) as ('db01' | 'web01' | 'app01')[];
      const sink = createStoreSink(ws, {
        engagementId,
        catalogue: cat,
        checks: cat.checks.filter((c) => checks.includes(c.id)),
        hosts: names.map((n) => ({ name: n, source: 'ssh' as const, hostId: hosts[n].id })),
      });
      for (const n of names) {
        const results = Object.entries(verdicts[n]!).map(([c, v]) => result(c, v, actual));
        sink.hostDone(n, makeSnapshot({ packages: 3 }), results, STATS, 'root');
      }
      sink.finish('done');
      return sink.scan.id;
    },
    cleanup: () => {
      ws.close();
      cleanup();
    },
  };
}
