/**
 * Waivers as a user runs them from the built CLI on a real workspace file whose results a stored scan made: a
 * consultant asks to waive a failing check on one host, cannot approve it (exit 2, the four-eye sentence, no stack),
 * a second person approves it and `foureyes results` and `foureyes waivers --json` show it; a revocation puts the
 * failure back; the trail verifies with every event; text from the workspace reaches the terminal escaped.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WaiverListItem } from '../../../shared/api/schemas/waivers.js';
import { ensureBuilt } from '../../support/build.js';
import { findingsFixture, type FindingsFixture } from '../findings/fixtures.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
const PASS = { alice: 'canary-waiver-alice-51c0', bob: 'canary-waiver-bob-9e7a' };

let fx: FindingsFixture;
let dir: string;
let file: string;

function cli(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
  for (const k of Object.keys(env)) if (k.startsWith('FOUREYES_') || k === 'XDG_DATA_HOME') delete env[k];
  return spawnSync(process.execPath, [BIN, ...args, '--workspace', file], { env, encoding: 'utf8', timeout: 60_000 });
}
const as = (name: 'Alice' | 'Bob') => ['--as', name, '--passphrase-file', join(dir, `${name.toLowerCase()}.pass`)];
const waiversJson = () => {
  const r = cli(['waivers', '--json']);
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { waivers: WaiverListItem[] }).waivers;
};
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const noStack = (r: { stderr: string }) => expect(r.stderr).not.toMatch(/\n\s+at |Error:/);

beforeAll(() => ensureBuilt(), 300_000);
beforeEach(() => {
  fx = findingsFixture();
  fx.scan({ db01: { [fx.checks[0]]: 'fail' }, web01: { [fx.checks[0]]: 'fail' } });
  file = fx.ws.path;
  dir = join(file, '..');
  fx.ws.close();
  writeFileSync(join(dir, 'alice.pass'), `${PASS.alice}\n`);
  writeFileSync(join(dir, 'bob.pass'), `${PASS.bob}\n`);
  for (const [name, role] of [['Alice', 'consultant'], ['Bob', 'reviewer']] as const) {
    const r = cli(['person', 'add', '--name', name, '--role', role, '--email', `${name.toLowerCase()}@example.org`, ...as(name).slice(2)]);
    expect(r.status, r.stderr).toBe(0);
  }
});
afterEach(() => fx.cleanup());

describe('foureyes finding waive, waivers and waiver approve|reject|revoke', () => {
  it('request, four-eye refusal, approval by a second person, the result waived, revocation', () => {
    const check = fx.checks[0];
    const expires = inDays(30);
    const req = cli([
      'finding', 'waive', check, '--host', 'db01', '--reason', 'Vendor appliance \x1b[31mcannot be changed', '--owner', 'Ops',
      '--expires', expires, ...as('Alice'),
    ]);
    expect(req.status, req.stderr).toBe(0);
    const [w] = waiversJson();
    expect(w).toMatchObject({ checkId: check, hostName: 'db01', shownState: 'requested', daysUntilExpiry: 30, applies: false });
    expect(req.stdout).toBe(
      `waiver ${w!.id.slice(0, 8)} of ${check} on db01 until ${expires} requested by Alice; it applies once another person ` +
        `approves it (foureyes waiver approve ${w!.id.slice(0, 8)} --as NAME)\n`,
    );

    const self = cli(['waiver', 'approve', w!.id.slice(0, 8), ...as('Alice')]);
    expect(self.status, self.stderr).toBe(2);
    expect(self.stderr).toBe(
      `foureyes: Alice cannot approve the waiver of ${check} on db01: they requested it (four-eye rule: a second person approves)\n`,
    );
    noStack(self);

    const ok = cli(['waiver', 'approve', w!.id.slice(0, 8), ...as('Bob')]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toBe(`waiver ${w!.id.slice(0, 8)} of ${check} on db01 approved by Bob: its results show as waived until ${expires}\n`);
    expect(waiversJson()[0]).toMatchObject({ shownState: 'approved', applies: true, approval: { name: 'Bob' } });

    const listed = cli(['waivers']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(`${w!.id.slice(0, 8)}  approved  ${check} on db01 until ${expires} (30 days left)`);
    expect(listed.stdout).toContain('Vendor appliance \\x1b[31mcannot be changed (owner Ops); requested by Alice, approved by Bob');
    expect(listed.stdout).not.toContain('\x1b');

    const noReason = cli(['waiver', 'revoke', w!.id, ...as('Alice')]);
    expect(noReason.status).toBe(2);
    noStack(noReason);
    const revoke = cli(['waiver', 'revoke', w!.id, '--reason', 'appliance replaced', ...as('Alice')]);
    expect(revoke.status, revoke.stderr).toBe(0);
    expect(waiversJson()[0]).toMatchObject({ shownState: 'revoked', applies: false, revocation: { name: 'Alice', reason: 'appliance replaced' } });

    const verify = cli(['audit', 'verify', '--json']);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    const db = new Database(file, { readonly: true });
    try {
      const actions = db
        .prepare("SELECT action || ' ' || actor_name || ': ' || reason AS e FROM audit_event WHERE action LIKE 'waiver.%' ORDER BY seq")
        .pluck()
        .all();
      expect(actions).toEqual([
        'waiver.request Alice: Vendor appliance \x1b[31mcannot be changed',
        'waiver.approve Bob: Vendor appliance \x1b[31mcannot be changed',
        'waiver.revoke Alice: appliance replaced',
      ]);
    } finally {
      db.close();
    }
  });

  it('a waived result shows as waived in foureyes results; a bad date or a missing host is exit 2 with a sentence', () => {
    const check = fx.checks[0];
    const bad = cli(['finding', 'waive', check, '--host', 'db01', '--reason', 'r', '--expires', '2020-01-01', ...as('Alice')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^foureyes: Expiry date 2020-01-01 is not after today/);
    noStack(bad);
    const nohost = cli(['finding', 'waive', check, '--host', 'nosuch', '--reason', 'r', '--expires', inDays(5), ...as('Alice')]);
    expect(nohost.status).toBe(2);
    expect(nohost.stderr).toBe('foureyes: no host named "nosuch" in the inventory\n');
    const both = cli(['finding', 'waive', check, '--reason', 'r', '--expires', inDays(5), ...as('Alice')]);
    expect(both.stderr).toBe('foureyes: finding waive: give either --host NAME or --all-hosts\n');

    // Named by its finding (a unique start of the id), the check is the finding's.
    const findings = JSON.parse(cli(['findings', '--json']).stdout) as { findings: { id: string; key: string }[] };
    const finding = findings.findings.find((f) => f.key === check)!;
    const byFinding = cli(['finding', 'waive', finding.id.slice(0, 8), '--all-hosts', '--reason', 'accepted', '--expires', inDays(5), ...as('Alice')]);
    expect(byFinding.status, byFinding.stderr).toBe(0);
    expect(byFinding.stdout).toMatch(new RegExp(`^waiver [0-9a-f]{8} of ${check} on all hosts until ${inDays(5)} requested by Alice;`));
    const id = waiversJson()[0]!.id;
    expect(cli(['waiver', 'approve', id, ...as('Bob')]).status).toBe(0);
    const results = cli(['results', '--json']);
    expect(results.status, results.stderr).toBe(0);
    const shown = (JSON.parse(results.stdout) as { hosts: { name: string; results: { verdict: string }[] }[] }).hosts;
    expect(shown.map((h) => `${h.name} ${h.results.map((r) => r.verdict).join(",")}`).sort()).toEqual(["db01 waived", "web01 waived"]);
  });
});
