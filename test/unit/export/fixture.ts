/**
 * A real workspace file for the export tests: the real catalogue, an engagement with inventory hosts, one scan
 * stored through the store sink (as the workstation and the CLI store theirs) in which target strings are hostile
 * (markup, `]]>`, `&`, C0 controls, bidi overrides, invalid UTF-8 as the text form and as lone surrogates, U+FFFE, a
 * 1 MiB line), every verdict, a host outside the inventory with a hostile name and a host that failed; real people
 * with Ed25519 keys; a waiver requested by one and approved by the other; a finding edited, submitted and approved.
 */
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { makeCheckpoint } from '../../../main/audit/checkpoint.js';
import { readEngagementExport, type EngagementExportData } from '../../../main/export/data.js';
import type { Checkpoint } from '../../../shared/model/audit.js';
import { recordAudit } from '../../../main/audit/trail.js';
import { loadCatalogue, type Catalogue } from '../../../main/catalogue/load.js';
import { findingService } from '../../../main/findings/service.js';
import { addPerson, unlock } from '../../../main/people/people.js';
import { publicKeyOf } from '../../../main/people/public-keys.js';
import { createStoreSink } from '../../../main/scan/store-sink.js';
import { waiverService } from '../../../main/services/waivers.js';
import type { Workspace } from '../../../main/store/db.js';
import type { CheckResult, Verdict } from '../../../shared/model/results.js';
import { STATS, makeSnapshot, seededWorkspace, tempDir } from '../store/helpers.js';

/** Every kind of hostile text a target (or an edited workspace) can hand us, in one string. */
export const HOSTILE = [
  '<script>alert("x")</script><b onmouseover=x>',
  'a ]]> b <![CDATA[ c ]]> d',
  '&amp; & &#0; &lt; \'"',
  'ctl \u0000\u0001\u0007\u0008\u000b\u000c\u001b[31m\u007f\u0085 end',
  'bidi \u202eevil\u202c \u2066x\u2069 \u200f',
  'bytes \\xff\\xfe and lone \udc80\udcff',
  'nonchar \ufffe\uffff',
  'emoji \u{1F600} cr\r\nlf tab\t.',
].join(' | ');

/**
 * The same for what a person types (a waiver's reason, a finding's notes): everything but lone surrogates, which no
 * keyboard gives and SQLite stores as U+FFFD (the signed hash of such a text would no longer match it).
 */
export const PERSON_HOSTILE = HOSTILE.replace(/[\udc80-\udcff]/g, '');

/** One line of 1 MiB. */
export const LONG_LINE = `${'L'.repeat(1 << 20)}`;

export const TIME = new Date('2026-12-04T10:00:00Z');
/** The people's passphrases: canaries (test/support/canaries.ts), which no export may hold. */
export const PASS = { ann: 'CANARY_ANN_PASSPHRASE_7Q2', bea: 'CANARY_BEA_PASSPHRASE_4K9' };
export const HOSTILE_TARGET = `imp<ort>&]]>\u001b[0m\u202e01`;

export interface ExportFixture {
  ws: Workspace;
  catalogue: Catalogue;
  engagementId: string;
  scanId: string;
  /** Check ids used, by the verdict db01 got. */
  checks: Record<Verdict, string>;
  waiverId: string;
  findingId: string;
  dir: string;
  cleanup(): void;
}

let catalogue: Catalogue | undefined;

export function exportFixture(): ExportFixture {
  catalogue ??= loadCatalogue();
  const cat = catalogue;
  const { dir, cleanup } = tempDir();
  const { ws, engagementId, hostIds } = seededWorkspace(join(dir, 'w.sqlite'));
  ws.engagements.update(engagementId, { description: `Audit of ${HOSTILE}` });
  const [c0, c1, c2, c3, c4] = cat.checks.map((c) => c.id);
  const checks: Record<Verdict, string> = {
    fail: c0!,
    pass: c1!,
    not_applicable: c2!,
    manual: c3!,
    error: c4!,
  };
  const result = (checkId: string, verdict: Verdict, excerpt: string): CheckResult => ({
    checkId,
    verdict,
    expected: `wanted ${HOSTILE}`,
    actual: verdict === 'pass' ? 'as wanted' : `found ${HOSTILE}`,
    reason: `${verdict} because ${HOSTILE}`,
    evidence: [
      { factId: 'sshd.config', path: `/etc/ssh/sshd_config.d/${HOSTILE}.conf`, line: 3, excerpt },
      { factId: 'sshd.config', excerpt: 'second item' },
    ],
    ...(verdict === 'manual' ? { needsPrivilege: true } : {}),
  });
  const sink = createStoreSink(ws, {
    engagementId,
    catalogue: cat,
    checks: cat.checks.filter((c) => Object.values(checks).includes(c.id)),
    hosts: [
      { name: 'db01', source: 'ssh', hostId: hostIds[0] },
      { name: 'web01', source: 'ssh', hostId: hostIds[1] },
      { name: HOSTILE_TARGET, source: 'import' },
      { name: 'gone01', source: 'ssh' },
    ],
  });
  sink.hostDone(
    'db01',
    makeSnapshot({ packages: 3 }),
    (Object.entries(checks) as [Verdict, string][]).map(([v, id]) =>
      result(id, v, v === 'fail' ? LONG_LINE : HOSTILE),
    ),
    STATS,
    'root',
  );
  sink.hostDone(
    'web01',
    makeSnapshot({ packages: 3 }),
    [result(checks.fail, 'fail', HOSTILE), result(checks.pass, 'pass', 'ok')],
    STATS,
    'sudo',
  );
  sink.hostDone(
    HOSTILE_TARGET,
    makeSnapshot({ packages: 3 }),
    [result(checks.fail, 'fail', HOSTILE)],
    STATS,
    'none',
  );
  sink.hostFailed('gone01', { code: 'connect_refused', message: `connection refused by ${HOSTILE}` });
  sink.finish('done');
  const scanId = sink.scan.id;

  addPerson(ws, { name: 'Ann', role: 'consultant', email: 'ann@example.org' }, PASS.ann);
  addPerson(ws, { name: 'Bea', role: 'reviewer', email: 'bea@example.org' }, PASS.bea);
  const ann = unlock(ws, 'Ann', PASS.ann);
  const bea = unlock(ws, 'Bea', PASS.bea);
  const keys = publicKeyOf(ws);
  const waivers = waiverService(ws, {
    recordAudit: recordAudit(ws),
    publicKeyOf: keys,
    catalogue: cat,
    now: () => TIME,
  });
  const w = waivers.request(
    {
      engagementId,
      checkId: checks.manual,
      hostId: hostIds[0],
      reason: `Accepted: ${PERSON_HOSTILE}`,
      owner: 'Ops',
      expiresOn: '2027-01-31',
    },
    ann,
  );
  waivers.approve({ waiverId: w.id }, bea);

  const findings = findingService(ws, { recordAudit: recordAudit(ws), publicKeyOf: keys });
  const finding = ws.findings.forCheck(engagementId, checks.fail)!;
  findings.edit(
    ann,
    finding.id,
    { notes: `Notes ${PERSON_HOSTILE}`, tags: ['dmz'] },
    { expectedRevision: finding.revision },
  );
  findings.submit(ann, finding.id);
  findings.approve(bea, finding.id);
  return {
    ws,
    catalogue: cat,
    engagementId,
    scanId,
    checks,
    waiverId: w.id,
    findingId: finding.id,
    dir,
    cleanup: () => {
      ws.close();
      cleanup();
    },
  };
}

/**
 * The fixture read once for a test file, as the page and report builders take it: the engagement's export data and
 * a checkpoint of its trail signed by Ann. Registers its own beforeAll and afterAll; read the fields in the tests.
 */
export function useExportData(): { fx: ExportFixture; base: EngagementExportData; checkpoint: Checkpoint } {
  const held = {} as { fx: ExportFixture; base: EngagementExportData; checkpoint: Checkpoint };
  beforeAll(() => {
    held.fx = exportFixture();
    held.base = readEngagementExport(held.fx.ws, held.fx.engagementId, held.fx.catalogue, {
      tool: { name: 'Foureyes', version: '0.1.0' },
      now: () => TIME,
    });
    held.checkpoint = makeCheckpoint(held.fx.ws, unlock(held.fx.ws, 'Ann', PASS.ann));
  });
  afterAll(() => held.fx?.cleanup());
  return held;
}

/** Hostile text put where a target or a person writes it in the export data. */
export interface HostileText {
  host: string;
  evidence: string;
  title: string;
  notes: string;
  engagement: string;
  owner?: string;
}

/**
 * A copy of the export data with `s` where targets and people write: the engagement's name, the newest scan's first
 * host name, every result's reason and evidence (each result failing), the first finding's title, notes, owner and
 * its first host's name, found value and evidence.
 */
export function injectHostile(d: EngagementExportData, s: HostileText): EngagementExportData {
  const data = structuredClone(d);
  data.engagement.name = s.engagement;
  const run = data.scans[data.scans.length - 1]!.hostRuns[0]!;
  run.run.hostName = s.host;
  for (const r of run.results) {
    r.reason = s.evidence;
    r.evidence = [{ factId: 'sshd.config', path: s.host, line: 1, excerpt: s.evidence }];
    if (r.shown === 'pass') r.shown = 'fail';
  }
  const f = data.findings[0]!;
  f.finding.title = s.title;
  f.finding.notes = s.notes;
  if (s.owner !== undefined) f.finding.customerOwner = s.owner;
  f.hosts[0]!.targetName = s.host;
  f.hosts[0]!.actual = s.evidence;
  f.hosts[0]!.evidence = [{ factId: 'sshd.config', excerpt: s.evidence }];
  return data;
}

/** Ann edits the fixture's approved finding: its approval is void and it is back in review (not approved). */
export function editApprovedFinding(
  ws: Workspace,
  findingId: string,
  notes = 'changed after approval',
): void {
  const f = ws.findings.get(findingId)!;
  findingService(ws, { recordAudit: recordAudit(ws), publicKeyOf: publicKeyOf(ws) }).edit(
    unlock(ws, 'Ann', PASS.ann),
    f.id,
    { notes },
    { expectedRevision: f.revision },
  );
}
