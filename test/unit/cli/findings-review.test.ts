/**
 * The four-eye workflow as a user runs it from the built CLI on a real workspace file whose findings a stored scan
 * made: a consultant edits and submits, cannot approve their own finding, a second person approves, an edit
 * afterwards voids the approval and `foureyes findings --json` shows the finding back in review; the trail verifies
 * and names every event; unknown people, wrong passphrases and self-approval are exit 2 without a stack trace; text
 * from the workspace reaches the terminal escaped; no passphrase is in any file or output.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FindingListItem } from '../../../shared/api/schemas/findings.js';
import { ensureBuilt } from '../../support/build.js';
import { findingsFixture, type FindingsFixture } from '../findings/fixtures.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
const ALICE_PASS = 'canary-cli-alice-6b2e';
const BOB_PASS = 'canary-cli-bob-0d91';

let fx: FindingsFixture;
let dir: string;
let file: string;
const outputs: string[] = [];

function cli(args: string[], env: Record<string, string> = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, HOME: dir, ...env };
  for (const k of Object.keys(base))
    if ((k.startsWith('FOUREYES_') || k === 'XDG_DATA_HOME') && !(k in env)) delete base[k];
  const r = spawnSync(process.execPath, [BIN, ...args, '--workspace', file], { env: base, encoding: 'utf8', timeout: 60_000 });
  outputs.push(r.stdout, r.stderr);
  return r;
}
const as = (name: 'Alice' | 'Bob') => ['--as', name, '--passphrase-file', join(dir, `${name.toLowerCase()}.pass`)];
const findingsJson = () => {
  const r = cli(['findings', '--json']);
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { findings: FindingListItem[] }).findings;
};

beforeAll(() => ensureBuilt(), 300_000);
beforeEach(() => {
  fx = findingsFixture();
  fx.scan({ db01: { [fx.checks[0]]: 'fail', [fx.checks[1]]: 'fail' }, web01: { [fx.checks[0]]: 'fail' } });
  file = fx.ws.path;
  dir = join(file, '..');
  fx.ws.close();
  writeFileSync(join(dir, 'alice.pass'), `${ALICE_PASS}\n`);
  writeFileSync(join(dir, 'bob.pass'), `${BOB_PASS}\n`);
  for (const [name, role] of [['Alice', 'consultant'], ['Bob', 'reviewer']] as const) {
    const r = cli(['person', 'add', '--name', name, '--role', role, '--email', `${name.toLowerCase()}@example.org`, ...as(name).slice(2)]);
    expect(r.status, r.stderr).toBe(0);
  }
});
afterEach(() => fx.cleanup());

const noStack = (r: { stderr: string }) => expect(r.stderr).not.toMatch(/\n\s+at |Error:/);

describe('foureyes findings and finding', () => {
  it('edit and submit by a consultant, approval by a second person, an edit voids it; the trail verifies', () => {
    const listed = findingsJson();
    expect(listed.map((f) => [f.key, f.reviewState, f.hosts.failing]).sort()).toEqual(
      [[fx.checks[0], 'draft', 2], [fx.checks[1], 'draft', 1]].sort(),
    );
    const target = listed.find((f) => f.key === fx.checks[0])!;
    const other = target.catalogueSeverity === 'info' ? 'low' : 'info';
    writeFileSync(join(dir, 'notes.md'), '# On db01\n\nRoot logs in with a password.\n');

    const human = cli(['findings']);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain(`Acme audit: 2 findings`);
    expect(human.stdout).toContain(`${target.id.slice(0, 8)}  ${target.severity}`);

    const edit = cli([
      'finding', 'edit', target.id.slice(0, 8), ...as('Alice'),
      '--severity', other, '--reason', 'only reachable from the admin network',
      '--notes-file', join(dir, 'notes.md'), '--tag', 'ssh', '--tag', 'dmz', '--owner', 'Ops', '--due', '2027-01-31',
    ]);
    expect(edit.status, edit.stderr).toBe(0);
    expect(edit.stdout).toBe(`finding ${target.id.slice(0, 8)} (${target.title}) edited by Alice: revision 2, draft\n`);
    expect(cli(['finding', 'submit', target.id, ...as('Alice')]).status).toBe(0);

    const self = cli(['finding', 'approve', target.id, ...as('Alice')]);
    expect(self.status).toBe(2);
    expect(self.stderr).toBe(
      `foureyes: Alice cannot approve finding "${target.title}": they edited it (four-eye rule: a second person reviews)\n`,
    );
    expect(self.stdout).toBe('');

    const ok = cli(['finding', 'approve', target.id, ...as('Bob'), '--revision', '2']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('approved by Bob: revision 2, approved');
    expect(findingsJson().find((f) => f.id === target.id)).toMatchObject({ reviewState: 'approved', approvals: 1 });

    const after = cli(['finding', 'edit', target.id, ...as('Alice'), '--title', 'Root may log in over SSH']);
    expect(after.status, after.stderr).toBe(0);
    expect(after.stdout).toContain('revision 3, in review (0/1 approvals); 1 approval voided, back in review');
    expect(findingsJson().find((f) => f.id === target.id)).toMatchObject({
      reviewState: 'in_review',
      revision: 3,
      approvals: 0,
      title: 'Root may log in over SSH',
      severity: other,
      tags: ['ssh', 'dmz'],
      customerOwner: 'Ops',
      dueDate: '2027-01-31',
    });

    const show = cli(['finding', 'show', target.id, '--json']);
    expect(show.status).toBe(0);
    const detail = JSON.parse(show.stdout) as { approvals: { reviewerName: string; voidedAt: string | null }[]; history: { field: string }[] };
    expect(detail.approvals).toMatchObject([{ reviewerName: 'Bob', voidedAt: expect.any(String) }]);
    expect(detail.history.map((c) => c.field)).toContain('approval');
    const shown = cli(['finding', 'show', target.id.slice(0, 8)]);
    expect(shown.stdout).toContain('  notes:\n    # On db01\n    \n    Root logs in with a password.\n');

    const verify = cli(['audit', 'verify', '--json']);
    expect(verify.status, verify.stdout).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, count: 7 });
    const db = new Database(file, { readonly: true });
    const events = db.prepare('SELECT action, actor_name AS actor FROM audit_event ORDER BY seq').all();
    db.close();
    expect(events).toEqual([
      { action: 'person.add', actor: 'Alice' },
      { action: 'person.add', actor: 'Bob' },
      { action: 'finding.edit', actor: 'Alice' },
      { action: 'finding.submit', actor: 'Alice' },
      { action: 'finding.approve', actor: 'Bob' },
      { action: 'finding.edit', actor: 'Alice' },
      { action: 'finding.approvals_void', actor: 'Alice' },
    ]);

    // No passphrase in anything the workflow produced.
    const files = readdirSync(dir).filter((f) => !f.endsWith('.pass'));
    expect(files.length).toBeGreaterThan(1);
    for (const text of [...outputs, ...files.map((f) => readFileSync(join(dir, f)).toString('latin1'))]) {
      expect(text).not.toContain(ALICE_PASS);
      expect(text).not.toContain(BOB_PASS);
    }
  });

  it('refuses an unknown person, a wrong passphrase, an imported colleague and bad options with exit 2 and a sentence', () => {
    const [f] = findingsJson();
    const id = f!.id;
    const unknown = cli(['finding', 'submit', id, '--as', 'Carol'], { FOUREYES_PERSON_PASSPHRASE: 'whatever-1' });
    expect([unknown.status, unknown.stderr]).toEqual([2, 'foureyes: no person named "Carol" in this workspace\n']);
    const wrong = cli(['finding', 'submit', id, '--as', 'Bob'], { FOUREYES_PERSON_PASSPHRASE: ALICE_PASS });
    expect([wrong.status, wrong.stderr]).toEqual([2, 'foureyes: wrong passphrase for Bob: their signing key stays locked\n']);
    const env = cli(['finding', 'submit', id, '--as', 'Bob'], { FOUREYES_PERSON_PASSPHRASE: BOB_PASS });
    expect(env.status, env.stderr).toBe(0);
    const noReason = cli(['finding', 'edit', id, ...as('Alice'), '--status', 'false positive']);
    expect([noReason.status, noReason.stderr]).toEqual([2, 'foureyes: status false positive needs a reason\n']);
    const badSeverity = cli(['finding', 'edit', id, ...as('Alice'), '--severity', 'urgent']);
    expect(badSeverity.status).toBe(2);
    expect(badSeverity.stderr).toMatch(/^foureyes: finding edit: Changes severity must be one of "info", "low"/);
    const nothing = cli(['finding', 'edit', id, ...as('Alice')]);
    expect(nothing.stderr).toMatch(/^foureyes: finding edit: nothing to change/);
    const missing = cli(['finding', 'show', 'ffffffff']);
    expect([missing.status, missing.stderr]).toEqual([2, `foureyes: no finding with an id starting "ffffffff" in ${file}\n`]);
    const notUtf8 = join(dir, 'latin1.md');
    writeFileSync(notUtf8, Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    const bad = cli(['finding', 'edit', id, ...as('Alice'), '--notes-file', notUtf8]);
    expect([bad.status, bad.stderr]).toEqual([2, `foureyes: --notes-file ${notUtf8}: not UTF-8 text\n`]);
    // A colleague imported from another workstation cannot act here: their signing key is not on it.
    const elsewhere = join(dir, 'elsewhere.sqlite');
    const carol = ['--workspace', elsewhere];
    writeFileSync(join(dir, 'carol.pass'), 'canary-cli-carol-77aa\n');
    const spawn = (args: string[]) =>
      spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, HOME: dir }, encoding: 'utf8', timeout: 60_000 });
    expect(spawn(['person', 'add', '--name', 'Carol', '--role', 'r', '--email', 'c@example.org', '--passphrase-file', join(dir, 'carol.pass'), ...carol]).status).toBe(0);
    expect(spawn(['person', 'export', 'Carol', '-o', join(dir, 'carol.json'), ...carol]).status).toBe(0);
    expect(cli(['person', 'import', join(dir, 'carol.json'), ...as('Alice')]).status).toBe(0);
    const imported = cli(['finding', 'submit', id, '--as', 'Carol'], { FOUREYES_PERSON_PASSPHRASE: 'canary-cli-carol-77aa' });
    expect([imported.status, imported.stderr]).toEqual([
      2,
      'foureyes: Carol is an imported colleague: their signing key is not on this workstation\n',
    ]);
    for (const r of [unknown, wrong, noReason, badSeverity, nothing, missing, bad, imported]) noStack(r);
    // None of the refused commands left an event: people added, Bob's submit, Carol's import.
    expect(JSON.parse(cli(['audit', 'verify', '--json']).stdout)).toMatchObject({ ok: true, count: 4 });
  });

  it('shows hostile text from the workspace escaped, in lists, details and error messages', () => {
    const [f] = findingsJson();
    const title = 'Evil \x1b]0;owned\x07 \x1b[2J title \u202e';
    const edit = cli(['finding', 'edit', f!.id, ...as('Alice'), '--title', title]);
    expect(edit.status, edit.stderr).toBe(0);
    cli(['finding', 'submit', f!.id, ...as('Alice')]);
    const self = cli(['finding', 'approve', f!.id, ...as('Alice')]);
    const list = cli(['findings']);
    const show = cli(['finding', 'show', f!.id]);
    for (const r of [edit, self, list, show]) {
      const text = r.stdout + r.stderr;
      expect([...text].filter((c) => (c < ' ' && c !== '\n') || c === '\x7f' || c === '\u202e')).toEqual([]);
    }
    expect(self.stderr).toContain('Evil \\x1b]0;owned\\x07 \\x1b[2J title \\u202e');
    expect(list.stdout).toContain('Evil \\x1b]0;owned\\x07');
    // JSON stays exact: the title parses back as it was stored.
    expect(findingsJson().find((x) => x.id === f!.id)!.title).toBe(title.trim());
  });
});
