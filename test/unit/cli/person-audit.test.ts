/**
 * `foureyes person` and `foureyes audit` as a user runs them (the built CLI, a fresh HOME, real workspace files):
 * people added with a passphrase from a file or the environment, a profile carried to a second workspace, the trail
 * verified, tampered with plain SQL and caught with the first bad event named and exit 1, a checkpoint catching a
 * trail cut short, usage and workspace errors exit 2 without a stack trace, and no passphrase in any file produced.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../support/build.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
const ALICE_PASS = 'canary-alice-7d1f3';
const BOB_PASS = 'canary-bob-92c4e';
let home: string;

function cli(args: string[], extraEnv: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, ...extraEnv };
  for (const k of Object.keys(env))
    if ((k.startsWith('FOUREYES_') || k === 'XDG_DATA_HOME') && !(k in extraEnv)) delete env[k];
  return spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
}

beforeAll(() => ensureBuilt(), 300_000);
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'fe-people-'));
  writeFileSync(join(home, 'alice.pass'), `${ALICE_PASS}\n`);
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const ws = () => join(home, 'w.sqlite');
const addAlice = () =>
  cli([
    'person',
    'add',
    '--name',
    'Alice',
    '--role',
    'consultant',
    '--email',
    'alice@example.org',
    '--passphrase-file',
    join(home, 'alice.pass'),
    '--workspace',
    ws(),
  ]);
const addBob = (file = ws()) =>
  cli(
    [
      'person',
      'add',
      '--name',
      'Bob',
      '--role',
      'reviewer',
      '--email',
      'bob@example.org',
      '--workspace',
      file,
    ],
    {
      FOUREYES_PERSON_PASSPHRASE: BOB_PASS,
    },
  );

/** Plain SQL on the workspace file, as someone editing it by hand. */
function sql(file: string, text: string, ...params: unknown[]): void {
  const db = new Database(file);
  db.pragma('foreign_keys = OFF');
  db.exec('DROP TRIGGER IF EXISTS audit_event_no_update; DROP TRIGGER IF EXISTS audit_event_no_delete;');
  db.prepare(text).run(...params);
  db.close();
}

describe('foureyes person / audit (built)', () => {
  it('adds people, lists them, carries a profile to another workspace and verifies both trails', () => {
    const a = addAlice();
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/^added Alice \(consultant\), key SHA256:[A-Za-z0-9+/]{43}\n$/);
    expect(addBob().status).toBe(0);

    const list = cli(['person', 'list', '--json', '--workspace', ws()]);
    expect(list.status).toBe(0);
    const people = (JSON.parse(list.stdout) as { people: { name: string; origin: string }[] }).people;
    expect(people.map((p) => [p.name, p.origin])).toEqual([
      ['Alice', 'local'],
      ['Bob', 'local'],
    ]);
    expect(cli(['person', 'list', '--workspace', ws()]).stdout).toMatch(
      /^Alice {2}consultant {2}alice@example.org {2}this workstation {2}SHA256:/,
    );

    const profile = join(home, 'bob.json');
    expect(cli(['person', 'export', 'bob', '-o', profile, '--workspace', ws()]).status).toBe(0);
    const other = join(home, 'other.sqlite');
    writeFileSync(join(home, 'carol.pass'), 'carol passphrase');
    expect(
      cli([
        'person',
        'add',
        '--name',
        'Carol',
        '--role',
        'lead',
        '--email',
        'c@example.org',
        '--passphrase-file',
        join(home, 'carol.pass'),
        '--workspace',
        other,
      ]).status,
    ).toBe(0);
    const imp = cli([
      'person',
      'import',
      profile,
      '--passphrase-file',
      join(home, 'carol.pass'),
      '--workspace',
      other,
    ]);
    expect(imp.status, imp.stderr).toBe(0);
    expect(imp.stdout).toMatch(/^imported Bob \(reviewer\), key SHA256:\S+, recorded by Carol\n$/);
    const otherList = JSON.parse(cli(['person', 'list', '--json', '--workspace', other]).stdout) as {
      people: { name: string; origin: string }[];
    };
    expect(otherList.people.map((p) => [p.name, p.origin])).toEqual([
      ['Carol', 'local'],
      ['Bob', 'imported'],
    ]);

    for (const file of [ws(), other]) {
      const v = cli(['audit', 'verify', '--workspace', file]);
      expect(v.status, v.stdout + v.stderr).toBe(0);
      expect(v.stdout).toMatch(/^audit trail verified: 2 events, head [0-9a-f]{64}\n$/);
    }
    // The passphrases are in no file the commands produced (workspace, WAL, profile).
    for (const f of readdirSync(home).filter((n) => !n.endsWith('.pass'))) {
      const bytes = readFileSync(join(home, f)).toString('latin1');
      for (const canary of [ALICE_PASS, BOB_PASS, 'carol passphrase']) expect(bytes, f).not.toContain(canary);
    }
  });

  it('refuses what it should with exit 2 and a sentence: no passphrase, a short one, a wrong one, a bad profile', () => {
    const none = cli([
      'person',
      'add',
      '--name',
      'Dan',
      '--role',
      'r',
      '--email',
      'd@example.org',
      '--workspace',
      ws(),
    ]);
    expect(none.status).toBe(2);
    expect(none.stderr).toBe(
      'foureyes: no passphrase for Dan: give --passphrase-file FILE, set FOUREYES_PERSON_PASSPHRASE, or run on a terminal to be asked\n',
    );
    const short = cli(
      ['person', 'add', '--name', 'Dan', '--role', 'r', '--email', 'd@example.org', '--workspace', ws()],
      {
        FOUREYES_PERSON_PASSPHRASE: 'short',
      },
    );
    expect(short.stderr).toBe(
      'foureyes: the passphrase for Dan is too short: at least 8 characters are needed\n',
    );
    expect(short.status).toBe(2);
    // The profile is refused before any passphrase is asked for.
    const email = cli([
      'person',
      'add',
      '--name',
      'Dan',
      '--role',
      'r',
      '--email',
      'nowhere',
      '--workspace',
      ws(),
    ]);
    expect(email.stderr).toBe(
      'foureyes: invalid person: email: Email must be an address like name@example.org.\n',
    );
    expect(email.status).toBe(2);
    expect(addAlice().status).toBe(0);
    // A file name with an escape sequence reaches the terminal escaped.
    const hostile = join(home, 'x\u001b[2J.json');
    const esc = cli([
      'person',
      'import',
      hostile,
      '--passphrase-file',
      join(home, 'alice.pass'),
      '--workspace',
      ws(),
    ]);
    expect(esc.status).toBe(2);
    expect(esc.stderr).toBe(`foureyes: cannot read ${join(home, 'x')}\\x1b[2J.json (ENOENT)\n`);
    const profile = join(home, 'p.json');
    writeFileSync(
      profile,
      JSON.stringify({ format: 'foureyes-person/1', name: 'Eve', role: 'r', email: 'e@example.org' }),
    );
    const bad = cli([
      'person',
      'import',
      profile,
      '--passphrase-file',
      join(home, 'alice.pass'),
      '--workspace',
      ws(),
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      `foureyes: ${profile} is not a valid person profile: field "publicKey": Public key must be text.\n`,
    );
    const wrong = cli(['person', 'import', profile, '--workspace', ws()], {
      FOUREYES_PERSON_PASSPHRASE: 'not the passphrase',
    });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toBe('foureyes: wrong passphrase for Alice: their signing key stays locked\n');
    const usage = cli(['audit', 'verify', '--bogus', '--workspace', ws()]);
    expect(usage.status).toBe(2);
    const missing = cli(['audit', 'verify', '--workspace', join(home, 'none.sqlite')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^foureyes: no workspace at /);
    expect(readdirSync(home)).not.toContain('none.sqlite');
  });

  it('a trail edited with plain SQL fails with exit 1 naming the first bad event; a checkpoint catches a cut', () => {
    expect(addAlice().status).toBe(0);
    expect(addBob().status).toBe(0);
    const cp = join(home, 'cp.json');
    const made = cli([
      'audit',
      'checkpoint',
      '--as',
      'Alice',
      '-o',
      cp,
      '--passphrase-file',
      join(home, 'alice.pass'),
      '--workspace',
      ws(),
    ]);
    expect(made.status, made.stderr).toBe(0);
    expect(cli(['audit', 'verify', '--checkpoint', cp, '--workspace', ws()]).status).toBe(0);

    sql(ws(), 'DELETE FROM audit_event WHERE seq = 2');
    const cut = cli(['audit', 'verify', '--checkpoint', cp, '--json', '--workspace', ws()]);
    expect(cut.status).toBe(1);
    const cutReport = JSON.parse(cut.stdout) as {
      ok: boolean;
      count: number;
      checkpoint: { ok: boolean; reason: string };
    };
    expect(cutReport).toMatchObject({ ok: true, count: 1, checkpoint: { ok: false } });
    expect(cutReport.checkpoint.reason).toMatch(/cut short after the checkpoint \(event 2 is missing\)$/);

    const reader = new Database(ws(), { readonly: true });
    const ids = reader.prepare('SELECT id FROM audit_event ORDER BY seq').pluck().all() as string[];
    reader.close();
    sql(ws(), "UPDATE audit_event SET actor_name = 'Mallory\u001b[2J' WHERE seq = 1");
    const text = cli(['audit', 'verify', '--workspace', ws()]);
    expect(text.status).toBe(1);
    expect(text.stdout).toBe(
      `audit trail does not verify: event 1 (${ids[0]}): its content does not match its hash (a field was changed after it was recorded); the 0 events before it verify\n`,
    );
    sql(ws(), "UPDATE person SET name = 'Alice\u001b]0;pwned\u0007' WHERE name = 'Alice'");
    const list = cli(['person', 'list', '--workspace', ws()]);
    expect(list.stdout).toContain('Alice\\x1b]0;pwned\\x07  consultant');
    expect(list.stdout).not.toContain('\u001b');
    const json = cli(['person', 'list', '--json', '--workspace', ws()]);
    expect(json.stdout).not.toContain('\u001b');
    expect((JSON.parse(json.stdout) as { people: { name: string }[] }).people[0]!.name).toBe(
      'Alice\u001b]0;pwned\u0007',
    );
  });
});
