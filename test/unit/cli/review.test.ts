/**
 * `foureyes review` as users run it from the built CLI between two workstations (two workspace files named by
 * FOUREYES_WORKSPACE, a fresh HOME): Alice's findings, made by a stored scan, go out as a signed package; Rita, who
 * knows Alice's public profile (and Alice hers: exchanged with person export/import), imports it, approves one
 * finding and rejects the other; the answer comes back and is applied. A package with a byte changed or a swapped
 * signature, and an answer signed by someone else calling themselves Rita, are refused with exit 2 and the
 * library's reason, without a stack trace; both trails verify.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FindingListItem } from '../../../shared/api/schemas/findings.js';
import { ensureBuilt } from '../../support/build.js';
import { findingsFixture, type FindingsFixture } from '../findings/fixtures.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
const PASS = { alice: 'canary-cli-review-alice-41d0', rita: 'canary-cli-review-rita-9a7c', eve: 'canary-cli-review-eve-c35e' };

let fx: FindingsFixture;
let dir: string;
let wsA: string;
let wsB: string;
let wsC: string;
let ids: Record<string, string>;

function cli(workspace: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, FOUREYES_WORKSPACE: workspace };
  for (const k of Object.keys(env)) if ((k.startsWith('FOUREYES_') && k !== 'FOUREYES_WORKSPACE') || k === 'XDG_DATA_HOME') delete env[k];
  return spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
}
const ok = (workspace: string, args: string[]) => {
  const r = cli(workspace, args);
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
};
const as = (name: string, pass: keyof typeof PASS) => ['--as', name, '--passphrase-file', join(dir, `${pass}.pass`)];
const noStack = (r: { stderr: string }) => expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
const f = (name: string) => join(dir, name);

beforeAll(() => ensureBuilt(), 300_000);
beforeEach(() => {
  fx = findingsFixture();
  fx.scan({ db01: { [fx.checks[0]]: 'fail', [fx.checks[1]]: 'fail' }, web01: { [fx.checks[0]]: 'fail' } });
  wsA = fx.ws.path;
  ids = Object.fromEntries(fx.checks.map((c) => [c, fx.ws.findings.forCheck(fx.engagementId, c)!.id]));
  dir = join(wsA, '..');
  wsB = f('reviewer.sqlite');
  wsC = f('other.sqlite');
  fx.ws.close();
  for (const [k, v] of Object.entries(PASS)) writeFileSync(f(`${k}.pass`), `${v}\n`);
  const add = (ws: string, name: string, pass: keyof typeof PASS, role: string) =>
    ok(ws, ['person', 'add', '--name', name, '--role', role, '--email', `${pass}@example.org`, '--passphrase-file', f(`${pass}.pass`)]);
  add(wsA, 'Alice', 'alice', 'consultant');
  add(wsB, 'Rita', 'rita', 'reviewer');
  // The colleagues' public profiles, exchanged.
  ok(wsA, ['person', 'export', 'Alice', '-o', f('alice.json')]);
  ok(wsB, ['person', 'export', 'Rita', '-o', f('rita.json')]);
  ok(wsA, ['person', 'import', f('rita.json'), ...as('Alice', 'alice')]);
  ok(wsB, ['person', 'import', f('alice.json'), ...as('Rita', 'rita')]);
  writeFileSync(f('notes.md'), 'Root logs in with a password on db01.\n');
  for (const c of fx.checks) {
    const id = ids[c]!;
    ok(wsA, ['finding', 'edit', id, ...as('Alice', 'alice'), '--notes-file', f('notes.md')]);
    ok(wsA, ['finding', 'submit', id, ...as('Alice', 'alice')]);
  }
});
afterEach(() => fx.cleanup());

const findings = (ws: string) =>
  (JSON.parse(ok(ws, ['findings', '--json'])) as { findings: FindingListItem[] }).findings;

describe('foureyes review between two workstations', () => {
  it('export, import, answer, import-answer: the decisions land as in-workspace reviews; lists and trails follow', () => {
    const [first, second] = fx.checks.map((c) => ids[c]!) as [string, string];
    const exported = ok(wsA, ['review', 'export', '--engagement', 'Acme audit', '-o', f('pkg.json'), ...as('Alice', 'alice')]);
    expect(exported).toMatch(/^exported 2 findings in review as package [0-9a-f-]{36}, signed by Alice, to .*pkg\.json\n/);
    const pkgId = (JSON.parse(readFileSync(f('pkg.json'), 'utf8')) as { id: string }).id;

    const imported = ok(wsB, ['review', 'import', f('pkg.json'), ...as('Rita', 'rita')]);
    expect(imported).toContain(`imported: review package ${pkgId} from Alice (consultant,`);
    expect(imported).toContain('; known here)');
    expect(imported).toContain('2 findings to review:');
    const listed = JSON.parse(ok(wsB, ['review', 'list', '--json'])) as { received: { id: string; state: string }[] };
    expect(listed.received).toMatchObject([{ id: pkgId, state: 'to_answer' }]);
    expect(ok(wsB, ['review', 'list'])).toContain(`  ${pkgId}  to answer  2 findings  from Alice  engagement Acme audit`);

    const answer = ok(wsB, [
      'review', 'answer', pkgId.slice(0, 8), '--approve', first.slice(0, 8),
      '--reject', `${second}=Name the sshd reload command.`, '-o', f('answer.json'), ...as('Rita', 'rita'),
    ]);
    expect(answer).toMatch(/^answer [0-9a-f-]{36} to review package .*, signed by Rita, written to .*answer\.json: 1 approved, 1 rejected\n/);

    const applied = cli(wsA, ['review', 'import-answer', f('answer.json'), ...as('Alice', 'alice'), '--json']);
    expect(applied.status, applied.stderr).toBe(0);
    const outcome = JSON.parse(applied.stdout) as { applied: { findingId: string; reviewState: string }[]; refused: unknown[] };
    expect(outcome.refused).toEqual([]);
    expect(outcome.applied.map((a) => [a.findingId, a.reviewState])).toEqual([
      [first, 'approved'],
      [second, 'draft'],
    ]);
    expect(findings(wsA).map((x) => [x.id, x.reviewState]).sort()).toEqual([[first, 'approved'], [second, 'draft']].sort());
    const shown = JSON.parse(ok(wsA, ['finding', 'show', first, '--json'])) as { approvals: { reviewerName: string }[] };
    expect(shown.approvals.map((a) => a.reviewerName)).toEqual(['Rita']);
    // The same answer again is refused.
    const again = cli(wsA, ['review', 'import-answer', f('answer.json'), ...as('Alice', 'alice')]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^foureyes: .*answer\.json: this review answer was imported already, on .* by Alice\n$/);

    const exportedList = JSON.parse(ok(wsA, ['review', 'list', '--json'])) as { exported: { id: string; state: string }[] };
    expect(exportedList.exported).toMatchObject([{ id: pkgId, state: 'answered' }]);
    expect(ok(wsA, ['review', 'list'])).toContain('answered by Rita: 2 applied, 0 refused');
    for (const ws of [wsA, wsB]) expect(cli(ws, ['audit', 'verify']).status).toBe(0);
  });

  it('refuses a package with a byte changed or a swapped signature, and an answer by another key named Rita, with the reason (exit 2)', () => {
    ok(wsA, ['review', 'export', '--engagement', 'Acme audit', '-o', f('pkg.json'), ...as('Alice', 'alice')]);
    const bytes = readFileSync(f('pkg.json'));
    const changed = Buffer.from(bytes);
    changed[bytes.indexOf('Root logs in')] = 'r'.charCodeAt(0);
    writeFileSync(f('changed.json'), changed);
    const r1 = cli(wsB, ['review', 'import', f('changed.json'), ...as('Rita', 'rita')]);
    expect(r1.status).toBe(2);
    expect(r1.stdout).toBe('');
    expect(r1.stderr).toMatch(
      /^foureyes: .*changed\.json: this review package is refused: findings\[\d\]\.content\.notes \(finding ".*", [0-9a-f-]{36}\) does not match the hash the exporter signed: content\.notes changed\n$/,
    );
    noStack(r1);

    // The signature of the package swapped for another of Alice's (her checkpoint's, over other bytes).
    const v = JSON.parse(bytes.toString('utf8')) as { signature: string; checkpoint: { signature: string } };
    writeFileSync(f('swapped.json'), bytes.toString('utf8').replace(`"signature":"${v.signature}"`, `"signature":"${v.checkpoint.signature}"`));
    const r2 = cli(wsB, ['review', 'import', f('swapped.json'), ...as('Rita', 'rita')]);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/^foureyes: .*swapped\.json: this review package is refused: its signature does not verify with the key of Alice \(SHA256:/);
    noStack(r2);
    expect(JSON.parse(ok(wsB, ['review', 'list', '--json']))).toMatchObject({ received: [] });

    // Someone else calling themselves Rita, on a third workstation, answers the package: refused on Alice's side.
    ok(wsC, ['person', 'add', '--name', 'Rita', '--role', 'reviewer', '--email', 'eve@example.org', '--passphrase-file', f('eve.pass')]);
    ok(wsC, ['review', 'import', f('pkg.json'), ...as('Rita', 'eve')]);
    const pkgId = (JSON.parse(bytes.toString('utf8')) as { id: string }).id;
    ok(wsC, ['review', 'answer', pkgId, '--approve', ids[fx.checks[0]]!, '-o', f('forged.json'), ...as('Rita', 'eve')]);
    const r3 = cli(wsA, ['review', 'import-answer', f('forged.json'), ...as('Alice', 'alice')]);
    expect(r3.status).toBe(2);
    expect(r3.stderr).toMatch(/^foureyes: .*forged\.json: this review answer is refused: .*Rita.*key/);
    noStack(r3);
    expect(findings(wsA).every((x) => x.reviewState === 'in_review')).toBe(true);
    expect(cli(wsA, ['audit', 'verify']).status).toBe(0);
  });

  it('names a usage error: no decision, an unknown package, a rejection without a comment', () => {
    const none = cli(wsB, ['review', 'answer', 'abcd1234', '-o', f('a.json'), ...as('Rita', 'rita')]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^foureyes: review answer: decide at least one finding/);
    const unknown = cli(wsB, ['review', 'answer', 'abcd1234', '--approve', 'ffff0000', '-o', f('a.json'), ...as('Rita', 'rita')]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^foureyes: no review package with an id starting "abcd1234" was imported/);
    const bare = cli(wsB, ['review', 'answer', 'abcd1234', '--reject', 'ffff0000', '-o', f('a.json'), ...as('Rita', 'rita')]);
    expect(bare.stderr).toMatch(/^foureyes: --reject "ffff0000": give FINDING=COMMENT/);
    const missing = cli(wsB, ['review', 'import', f('nope.json'), ...as('Rita', 'rita')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^foureyes: cannot read the review package .*nope\.json \(ENOENT\)\n$/);
  });
});

describe('foureyes audit verify --checkpoint with a review file', () => {
  it("checks the trail against a package's or an answer's checkpoint, and that the trail holds the event that wrote it", () => {
    // A copy of Alice's workspace before the export: its trail matches the checkpoint, but holds no export.
    const before = f('before.sqlite');
    copyFileSync(wsA, before);
    if (existsSync(`${wsA}-wal`)) copyFileSync(`${wsA}-wal`, `${before}-wal`);
    ok(wsA, ['review', 'export', '--engagement', 'Acme audit', '-o', f('pkg.json'), ...as('Alice', 'alice')]);
    const pkgId = (JSON.parse(readFileSync(f('pkg.json'), 'utf8')) as { id: string }).id;
    expect(ok(wsA, ['audit', 'verify', '--checkpoint', f('pkg.json')])).toMatch(
      /\ncheckpoint of the review package .*pkg\.json holds, and the trail holds its review\.export event\n$/,
    );
    const json = JSON.parse(ok(wsA, ['audit', 'verify', '--json', '--checkpoint', f('pkg.json')])) as { checkpoint: { ok: boolean } };
    expect(json.checkpoint).toEqual({ ok: true });

    const noExport = cli(before, ['audit', 'verify', '--checkpoint', f('pkg.json')]);
    expect(noExport.status).toBe(1);
    expect(noExport.stdout).toContain(`the trail holds no review.export event for review package ${pkgId}`);

    ok(wsB, ['review', 'import', f('pkg.json'), ...as('Rita', 'rita')]);
    ok(wsB, ['review', 'answer', pkgId, '--approve', ids[fx.checks[0]]!, '-o', f('answer.json'), ...as('Rita', 'rita')]);
    expect(ok(wsB, ['audit', 'verify', '--checkpoint', f('answer.json')])).toMatch(
      /checkpoint of the review answer .*answer\.json holds, and the trail holds its review\.answer event\n$/,
    );
    // Rita's checkpoint is of her trail, not Alice's.
    const other = cli(wsA, ['audit', 'verify', '--checkpoint', f('answer.json')]);
    expect(other.status).toBe(1);
    expect(other.stdout).toMatch(/checkpoint .*answer\.json: /);

    // A review file with a byte changed is refused whole, with the reason (exit 2).
    const changed = readFileSync(f('pkg.json'));
    changed[changed.indexOf('Root logs in')] = 'r'.charCodeAt(0);
    writeFileSync(f('changed.json'), changed);
    const bad = cli(wsA, ['audit', 'verify', '--checkpoint', f('changed.json')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^foureyes: .*changed\.json: this review package is refused: findings\[\d\]\.content\.notes /);
    noStack(bad);
  });
});
