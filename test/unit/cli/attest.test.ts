/**
 * Attestations as a user gives them from the built CLI on a real workspace: the questions listed unanswered, an
 * answer recorded with who, when and the note (signed in the trail, which verifies), a check that is not an
 * attestation refused with a sentence, and the answer deciding that check in the engagement's next evaluation.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AttestationItem } from '../../../shared/api/schemas/attestations.js';
import { evaluateAll } from '../../../main/engine/evaluate.js';
import { engagementAnswers } from '../../../main/services/assessment.js';
import { openWorkspace } from '../../../main/store/db.js';
import { ensureBuilt } from '../../support/build.js';
import { findingsFixture, type FindingsFixture } from '../findings/fixtures.js';
import { makeSnapshot } from '../store/helpers.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
let fx: FindingsFixture;
let dir: string;
let file: string;

function cli(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
  for (const k of Object.keys(env)) if (k.startsWith('FOUREYES_') || k === 'XDG_DATA_HOME') delete env[k];
  return spawnSync(process.execPath, [BIN, ...args, '--workspace', file], { env, encoding: 'utf8', timeout: 60_000 });
}
const asAlice = () => ['--as', 'Alice', '--passphrase-file', join(dir, 'alice.pass')];

beforeAll(() => ensureBuilt(), 300_000);
beforeEach(() => {
  fx = findingsFixture();
  fx.scan({ db01: { [fx.checks[0]]: 'fail' } });
  file = fx.ws.path;
  dir = join(file, '..');
  fx.ws.close();
  writeFileSync(join(dir, 'alice.pass'), 'canary-attest-alice-77f1\n');
  const r = cli(['person', 'add', '--name', 'Alice', '--role', 'consultant', '--email', 'alice@example.org', '--passphrase-file', join(dir, 'alice.pass')]);
  expect(r.status, r.stderr).toBe(0);
});
afterEach(() => fx.cleanup());

describe('foureyes attest', () => {
  it('lists the questions, records an answer signed in the trail, and the answer decides the check', () => {
    const list = cli(['attest', '--json']);
    expect(list.status, list.stderr).toBe(0);
    const items = (JSON.parse(list.stdout) as { items: AttestationItem[] }).items;
    expect(items.map((i) => i.checkId)).toContain('governance-log-review');
    expect(items.every((i) => i.attestation === null)).toBe(true);
    const human = cli(['attest']);
    expect(human.stdout).toMatch(new RegExp(`${items.length} questions, ${items.length} not answered\\n$`));

    const ans = cli(['attest', 'governance-log-review', '--answer', 'no', '--note', 'Nobody reads them \x1b[31m(ops lead, 2026-12-07)', ...asAlice()]);
    expect(ans.status, ans.stderr).toBe(0);
    expect(ans.stdout).toContain('no (Alice, ');
    expect(ans.stdout).toContain('Nobody reads them \\x1b[31m(ops lead, 2026-12-07)');
    expect(ans.stdout).not.toContain('\x1b');

    const after = (JSON.parse(cli(['attest', '--json']).stdout) as { items: AttestationItem[] }).items;
    expect(after.find((i) => i.checkId === 'governance-log-review')?.attestation).toMatchObject({
      answer: 'no',
      answeredBy: { name: 'Alice' },
      note: 'Nobody reads them \x1b[31m(ops lead, 2026-12-07)',
    });
    const verify = cli(['audit', 'verify', '--json']);
    expect(verify.status, verify.stderr).toBe(0);
    const ws = openWorkspace(file);
    try {
      const events = ws.audit.page(0, 50).filter((e) => e.action === 'attestation.answer');
      expect(events).toHaveLength(1);
      // The next evaluation in this engagement: the answer decides the check on any host, with who and when.
      const check = fx.catalogue.byId.get('governance-log-review')!;
      const [r] = evaluateAll(makeSnapshot({ packages: 1 }), [check], engagementAnswers(ws, fx.engagementId));
      expect(r).toMatchObject({ verdict: 'fail', actual: 'no' });
      expect(r?.evidence[0]?.excerpt).toMatch(/^answered no by Alice on \d{4}-\d\d-\d\d: Nobody reads them/);
      const [unanswered] = evaluateAll(makeSnapshot({ packages: 1 }), [fx.catalogue.byId.get('governance-leavers')!], engagementAnswers(ws, fx.engagementId));
      expect(unanswered).toMatchObject({ verdict: 'manual', actual: 'not answered' });
    } finally {
      ws.close();
    }
  });

  it('refuses a check that is not an attestation, a missing note and a wrong answer, without a stack', () => {
    const notAttest = cli(['attest', fx.checks[0], '--answer', 'yes', '--note', 'x', ...asAlice()]);
    expect(notAttest.status).toBe(2);
    expect(notAttest.stderr).toMatch(/is decided from the hosts' facts, not by an answer/);
    const noNote = cli(['attest', 'governance-leavers', '--answer', 'yes', ...asAlice()]);
    expect(noNote.status).toBe(2);
    expect(noNote.stderr).toMatch(/Say what you saw or who told you/);
    const bad = cli(['attest', 'governance-leavers', '--answer', 'maybe', '--note', 'x', ...asAlice()]);
    expect(bad.stderr).toBe('foureyes: --answer must be yes, no or na\n');
    for (const r of [notAttest, noNote, bad]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
