/**
 * A scan exported with everything that decided it, and evaluated again elsewhere, from the built CLI: a snapshot
 * stored with a check pack and a user's profile that tailors a built-in check (so its verdict differs from the
 * built-in one) and an attestation answer; `export scan` writes it, and `reevaluate` in a fresh HOME with no pack,
 * no profile and no workspace agrees on every verdict. A definition edited in the file is a disagreement (exit 1),
 * a malformed file an error naming the file and the field (exit 2, no stack), and text from the file reaches the
 * terminal escaped.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinCatalogue, loadCatalogue } from '../../../main/catalogue/load.js';
import { chooseProfile } from '../../../main/catalogue/profiles.js';
import { evaluateAll } from '../../../main/engine/evaluate.js';
import type { Reevaluation } from '../../../main/cli/commands/reevaluate.js';
import { SCAN_FORMAT, type ScanExport } from '../../../main/export/scan-json.js';
import { engagementAnswers, storeImportedSnapshot } from '../../../main/services/assessment.js';
import { openWorkspace } from '../../../main/store/db.js';
import type { FactSnapshot } from '../../../shared/facts/snapshot.js';
import { ensureBuilt } from '../../support/build.js';
import { makeSnapshot } from '../store/helpers.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
const root = mkdtempSync(join(tmpdir(), 'fe-scanx-'));
const homeA = join(root, 'home-a');
const homeB = join(root, 'home-b');
const wsFile = join(homeA, 'w.sqlite');
const exported = join(root, 'scan.json');
let scanId: string;

function cli(home: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config') };
  for (const k of Object.keys(env)) if (k.startsWith('FOUREYES_')) delete env[k];
  return spawnSync(process.execPath, [BIN, ...args], { env, cwd: home, encoding: 'utf8', timeout: 60_000 });
}

function snapshot(): FactSnapshot {
  const s = makeSnapshot({ packages: 5 });
  s.facts['sysctl.net'] = { kind: 'command', exitCode: 0, stdout: 'net.ipv4.ip_forward = 1\nnet.ipv4.conf.all.send_redirects = 0\n', stderr: '' };
  return s;
}

const PACK_CHECK = `- id: site-send-redirects
  title: This site's hosts send no ICMP redirects
  family: hardening
  area: sysctl
  severity: low
  rationale: Site policy; only the routers of this site send redirects.
  references: { nist_800_53: ['CM-6'] }
  template: sysctl
  params: { key: net.ipv4.conf.all.send_redirects, value: 0 }
`;
// A user's profile: every check, with the built-in IP-forwarding check tailored to expect forwarding on.
const PROFILE = `id: site-router
title: Routers of this site
checks: all
set:
  sysctl-ip-forward-disabled: { value: 1 }
`;

beforeAll(() => {
  ensureBuilt();
  for (const d of [homeA, homeB]) mkdirSync(d, { recursive: true });
  const pack = join(homeA, 'pack');
  mkdirSync(pack);
  writeFileSync(join(pack, 'site.yaml'), PACK_CHECK);
  writeFileSync(join(homeA, 'site-router.yaml'), PROFILE);
  const ws = openWorkspace(wsFile);
  try {
    const e = ws.engagements.create({ name: 'Acme' });
    ws.attestations.answer({ engagementId: e.id, checkId: 'governance-log-review', answer: 'no', note: 'nobody reads them', by: { personId: 'p1', name: 'Alice' } });
    const full = loadCatalogue([pack]);
    const chosen = chooseProfile(join(homeA, 'site-router.yaml'), full, { HOME: homeA });
    const answers = engagementAnswers(ws, e.id);
    const snap = snapshot();
    scanId = storeImportedSnapshot(ws, {
      engagementId: e.id,
      catalogue: chosen.catalogue,
      checks: chosen.checks,
      name: 'db01',
      snapshot: snap,
      results: evaluateAll(snap, chosen.checks, answers),
      profile: chosen.resolved,
      answers,
    }).id;
  } finally {
    ws.close();
  }
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const reevaluate = (file: string) => {
  const r = cli(homeB, ['reevaluate', file, '--json']);
  return { r, report: r.stdout ? (JSON.parse(r.stdout) as Reevaluation) : undefined };
};
const readExport = () => JSON.parse(readFileSync(exported, 'utf8')) as ScanExport;
const writeEdited = (name: string, edit: (d: ScanExport) => void): string => {
  const d = readExport();
  edit(d);
  const file = join(root, name);
  writeFileSync(file, JSON.stringify(d));
  return file;
};

describe('export scan and reevaluate', () => {
  it('the scan stores the pack and tailored definitions only, and the answer it used; the tailored verdict is not the built-in one', () => {
    const ws = openWorkspace(wsFile);
    try {
      const defs = ws.scanDefinitions.checks(scanId);
      expect(defs.map((d) => [d.checkId, d.origin])).toEqual([
        ['site-send-redirects', 'pack'],
        ['sysctl-ip-forward-disabled', 'tailored'],
      ]);
      expect(defs[1]?.digest).not.toBe(builtinCatalogue().digest('sysctl-ip-forward-disabled'));
      expect(ws.scanDefinitions.answers(scanId)).toEqual([
        expect.objectContaining({ checkId: 'governance-log-review', answer: 'no', by: 'Alice' }),
      ]);
      const results = new Map(ws.results.forScan(scanId).map((r) => [r.checkId, r.verdict]));
      expect(results.get('sysctl-ip-forward-disabled')).toBe('pass');
      expect(evaluateAll(snapshot(), [builtinCatalogue().byId.get('sysctl-ip-forward-disabled')!])[0]?.verdict).toBe('fail');
      expect(results.get('site-send-redirects')).toBe('pass');
      expect(results.get('governance-log-review')).toBe('fail');
    } finally {
      ws.close();
    }
  });

  it('export scan writes one file with the snapshot, results, every definition, the profile and the answers', () => {
    const r = cli(homeA, ['export', 'scan', '--out', exported, '--workspace', wsFile]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/scan\.json: scan [0-9a-f-]+ with 1 host run and \d+ check definitions written/);
    const d = readExport();
    expect(d.format).toBe(SCAN_FORMAT);
    expect(d.scan.id).toBe(scanId);
    expect(d.catalogue.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(d.checks.length).toBe(builtinCatalogue().checks.length + 1);
    const origin = new Map(d.checks.map((c) => [c.id, c.origin]));
    expect(origin.get('site-send-redirects')).toBe('pack');
    expect(origin.get('sysctl-ip-forward-disabled')).toBe('tailored');
    expect(origin.get('sshd-permit-root-login')).toBe('builtin');
    expect(d.profile).toMatchObject({ id: 'site-router', set: { 'sysctl-ip-forward-disabled': { value: 1 } } });
    expect(d.attestations).toEqual([expect.objectContaining({ checkId: 'governance-log-review', answer: 'no' })]);
    expect(d.hosts).toHaveLength(1);
    expect(d.hosts[0]?.snapshot?.facts['sysctl.net']).toBeDefined();
    expect(d.hosts[0]?.results.length).toBe(d.checks.length);
  });

  it('reevaluate elsewhere (no pack, no profile, no workspace) agrees on every verdict', () => {
    const { r, report } = reevaluate(exported);
    expect(r.status, r.stderr).toBe(0);
    expect(report).toMatchObject({ scanId, agree: true, changedDefinitions: [], profile: 'site-router' });
    expect(report?.checks).toMatchObject({ pack: 1, tailored: 1 });
    expect(report?.hosts).toEqual([
      { hostRunId: expect.any(String), name: 'db01', evaluated: true, agree: report?.checks.total, disagreements: [] },
    ]);
    const human = cli(homeB, ['reevaluate', exported]);
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout).toContain('1 from packs, 1 tailored), profile site-router');
    expect(human.stdout).toMatch(/ {2}db01: \d+ agree, 0 disagree\nevery verdict agrees\n$/);
  });

  it('a check definition edited in the file is reported, with the verdict it changes, and exits 1', () => {
    const file = writeEdited('edited.json', (d) => {
      const entry = d.checks.find((c) => c.id === 'site-send-redirects')!;
      (entry.definition.rule as { value: unknown }).value = 1;
    });
    const { r, report } = reevaluate(file);
    expect(r.status, r.stderr).toBe(1);
    expect(report?.agree).toBe(false);
    expect(report?.hosts[0]?.disagreements).toEqual([{ checkId: 'site-send-redirects', stored: 'pass', now: 'fail' }]);
    expect(report?.changedDefinitions.map((c) => c.checkId)).toEqual(['site-send-redirects']);
    const human = cli(homeB, ['reevaluate', file]);
    expect(human.status).toBe(1);
    expect(human.stdout).toContain('    site-send-redirects: stored pass, now fail\n');
    expect(human.stdout).toContain('definition of site-send-redirects is not the one the scan ran');
    expect(human.stdout).toMatch(/1 verdict disagrees; 1 definition changed\n$/);
  });

  it('a malformed file is refused naming the file and the field, without a stack', () => {
    const badVerdict = writeEdited('bad-verdict.json', (d) => {
      (d.hosts[0]!.results[0] as { verdict: string }).verdict = 'maybe';
    });
    const a = cli(homeB, ['reevaluate', badVerdict]);
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(new RegExp(`^foureyes: ${badVerdict.replace(/[.]/g, '\\.')}: field hosts\\[0\\]\\.results\\[0\\]\\.verdict: `));
    const badRule = writeEdited('bad-rule.json', (d) => {
      const entry = d.checks.find((c) => c.id === 'site-send-redirects')!;
      (entry.definition.rule as { op: unknown }).op = 'sometimes';
    });
    const b = cli(homeB, ['reevaluate', badRule]);
    expect(b.status).toBe(2);
    expect(b.stderr).toContain(`${badRule}: checks[`);
    expect(b.stderr).toMatch(/check 'site-send-redirects': field rule\.op/);
    const format = writeEdited('format.json', (d) => {
      (d as { format: string }).format = 'foureyes-engagement/1';
    });
    const c = cli(homeB, ['reevaluate', format]);
    expect(c.stderr).toBe(`foureyes: ${format}: field format: expected ${SCAN_FORMAT}, found "foureyes-engagement/1"\n`);
    writeFileSync(join(root, 'not.json'), '{"format": ');
    const d = cli(homeB, ['reevaluate', join(root, 'not.json')]);
    expect(d.status).toBe(2);
    expect(d.stderr).toMatch(/not\.json: not valid JSON/);
    for (const x of [a, b, c, d]) expect(x.stderr).not.toMatch(/\n\s+at /);
  });

  it('text from the file reaches the terminal escaped', () => {
    const file = writeEdited('hostile.json', (d) => {
      d.hosts[0]!.name = 'db01\x1b[2J\u202e';
      const entry = d.checks.find((c) => c.id === 'site-send-redirects')!;
      (entry.definition.rule as { value: unknown }).value = 1;
    });
    const r = cli(homeB, ['reevaluate', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('db01\\x1b[2J');
    expect(r.stdout).not.toContain('\x1b');
    expect(r.stdout).not.toContain('\u202e');
    const j = cli(homeB, ['reevaluate', file, '--json']);
    expect(j.stdout).not.toContain('\x1b');
    expect(j.stdout).not.toContain('\u202e');
    expect((JSON.parse(j.stdout) as Reevaluation).hosts[0]?.name).toBe('db01\x1b[2J\u202e');
  });
});
