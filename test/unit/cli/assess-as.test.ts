/**
 * `foureyes assess --local --as NAME` and `foureyes import FILE --as NAME` from the built CLI on a real workspace: the
 * scan's start (with the catalogue version), every finding it creates and its end are in the trail, signed by that
 * person, and `audit verify` exits 0. Without --as nothing is recorded (as before); a wrong passphrase is exit 2
 * before anything is scanned or stored.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../support/build.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
const PASS = 'canary-assess-as-alice-2c9d';
let home: string;

function cli(args: string[], env: Record<string, string> = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, HOME: home, FOUREYES_WORKSPACE: join(home, 'w.sqlite'), ...env };
  for (const k of Object.keys(base))
    if ((k.startsWith('FOUREYES_') && k !== 'FOUREYES_WORKSPACE' && !(k in env)) || k === 'XDG_DATA_HOME') delete base[k];
  return spawnSync(process.execPath, [BIN, ...args], { env: base, encoding: 'utf8', timeout: 120_000 });
}

interface Row {
  action: string;
  actor_name: string;
  object_id: string;
  details: string | null;
}
function trail(): Row[] {
  const db = new Database(join(home, 'w.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT action, actor_name, object_id, details FROM audit_event ORDER BY seq').all() as Row[];
  } finally {
    db.close();
  }
}
function count(sql: string): number {
  const db = new Database(join(home, 'w.sqlite'), { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

beforeAll(() => ensureBuilt(), 300_000);
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'fe-assess-as-'));
  writeFileSync(join(home, 'alice.pass'), `${PASS}\n`);
  const r = cli(['person', 'add', '--name', 'Alice', '--role', 'consultant', '--email', 'a@example.org', '--passphrase-file', join(home, 'alice.pass')]);
  expect(r.status, r.stderr).toBe(0);
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('scans run as a person', () => {
  it('assess --local --as Alice: scan.start, the findings and scan.finish signed by Alice; audit verify exits 0', () => {
    const r = cli(['assess', '--local', '--as', 'Alice', '--json'], { FOUREYES_PERSON_PASSPHRASE: PASS });
    expect([0, 2], r.stderr).toContain(r.status);
    const scanId = (JSON.parse(r.stdout) as { scanId: string }).scanId;
    const events = trail();
    const scanEvents = events.filter((e) => e.action.startsWith('scan.'));
    expect(scanEvents.map((e) => [e.action, e.actor_name, e.object_id])).toEqual([
      ['scan.start', 'Alice', scanId],
      ['scan.finish', 'Alice', scanId],
    ]);
    const version = (JSON.parse(scanEvents[0]!.details!) as { catalogueVersion: string }).catalogueVersion;
    expect(version).toMatch(/\S/);
    expect(JSON.parse(scanEvents[1]!.details!)).toMatchObject({ state: 'done', catalogueVersion: version });
    // Every finding this scan made has its finding.create, by Alice, between the scan's start and end.
    const created = events.filter((e) => e.action === 'finding.create');
    expect(created.length).toBe(count('SELECT count(*) AS n FROM finding'));
    // This machine fails some checks of the whole catalogue (a container has no auditd, no firewall rules...).
    expect(created.length).toBeGreaterThan(0);
    expect(created.every((e) => e.actor_name === 'Alice')).toBe(true);
    const at = (a: string) => events.findIndex((e) => e.action === a);
    if (created.length > 0) expect(at('finding.create')).toBeGreaterThan(at('scan.start'));
    expect(events.findLastIndex((e) => e.action === 'finding.create')).toBeLessThan(at('scan.finish'));
    const v = cli(['audit', 'verify']);
    expect(v.status, v.stdout).toBe(0);
    expect(v.stdout).toBe(`audit trail verified: ${events.length} events, head ${v.stdout.split('head ')[1]!.trim()}\n`);

    // A second run as Alice re-scans: the findings it revises are hers (finding.rescan), the trail still verifies.
    const again = cli(['assess', '--local', '--as', 'Alice', '--person-passphrase-file', join(home, 'alice.pass')]);
    expect([0, 2], again.stderr).toContain(again.status);
    const later = trail().slice(events.length);
    expect(later.filter((e) => e.action.startsWith('scan.')).map((e) => e.action)).toEqual(['scan.start', 'scan.finish']);
    expect(later.every((e) => e.actor_name === 'Alice')).toBe(true);
    expect(cli(['audit', 'verify']).status).toBe(0);
  }, 120_000);

  it('import --as Alice records the imported scan; without --as nothing is recorded; a wrong passphrase scans nothing', () => {
    const script = cli(['collector', '--checks', 'sshd-permit-root-login', '-o', join(home, 'c.sh')]);
    expect(script.status, script.stderr).toBe(0);
    const out = spawnSync('sh', [join(home, 'c.sh')], { encoding: 'buffer' });
    writeFileSync(join(home, 'out.txt'), out.stdout);
    const before = trail().length;

    const plain = cli(['import', join(home, 'out.txt'), '--name', 'box']);
    expect(plain.status, plain.stderr).toBe(0);
    expect(trail().length).toBe(before);

    const wrong = cli(['import', join(home, 'out.txt'), '--name', 'box', '--as', 'Alice'], { FOUREYES_PERSON_PASSPHRASE: 'not-hers-at-all' });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toBe('foureyes: wrong passphrase for Alice: their signing key stays locked\n');
    const scans = count('SELECT count(*) AS n FROM scan');
    const wrongAssess = cli(['assess', '--local', '--as', 'Alice'], { FOUREYES_PERSON_PASSPHRASE: 'not-hers-at-all' });
    expect(wrongAssess.status).toBe(2);
    expect(wrongAssess.stderr).toBe('foureyes: wrong passphrase for Alice: their signing key stays locked\n');
    const nobody = cli(['assess', '--local', '--as', 'Mallory'], { FOUREYES_PERSON_PASSPHRASE: PASS });
    expect(nobody.status).toBe(2);
    expect(nobody.stderr).toMatch(/^foureyes: .*Mallory/);
    expect(count('SELECT count(*) AS n FROM scan')).toBe(scans);

    const signed = cli(['import', join(home, 'out.txt'), '--name', 'box', '--as', 'Alice', '--json'], { FOUREYES_PERSON_PASSPHRASE: PASS });
    expect(signed.status, signed.stderr).toBe(0);
    const scanId = (JSON.parse(signed.stdout) as { scanId: string }).scanId;
    const events = trail().slice(before);
    expect(events.filter((e) => e.action.startsWith('scan.')).map((e) => [e.action, e.actor_name, e.object_id])).toEqual([
      ['scan.start', 'Alice', scanId],
      ['scan.finish', 'Alice', scanId],
    ]);
    expect(events.every((e) => e.actor_name === 'Alice')).toBe(true);
    expect(cli(['audit', 'verify']).status).toBe(0);
  }, 120_000);
});
