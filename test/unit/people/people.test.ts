import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyTrail } from '../../../main/audit/verify.js';
import { signatureValid } from '../../../main/people/keys.js';
import {
  addPerson,
  exportProfile,
  getPerson,
  importProfile,
  listPeople,
  unlock,
} from '../../../main/people/people.js';
import { publicKeyOf } from '../../../main/people/public-keys.js';
import { openWorkspace, type Workspace } from '../../../main/store/db.js';
import { tempDir } from '../store/helpers.js';

const PASS = 'correct horse battery';
const alice = { name: 'Alice Martin', role: 'consultant', email: 'alice@example.org' };
const bob = { name: 'Bob Stone', role: 'reviewer', email: 'bob@example.org' };

describe('people', () => {
  let dir: string;
  let cleanup: () => void;
  let ws: Workspace;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    ws = openWorkspace(join(dir, 'w.sqlite'));
  });
  afterEach(() => {
    ws.close();
    cleanup();
  });

  it('adds a person with an encrypted Ed25519 key; the first signs their own person.add', () => {
    const p = addPerson(ws, alice, PASS);
    expect(p).toMatchObject({ ...alice, origin: 'local' });
    expect(p.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const row = ws.db.prepare('SELECT public_key, private_key FROM person WHERE id = ?').get(p.id) as {
      public_key: string;
      private_key: string;
    };
    expect(row.public_key).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(row.private_key).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(row.private_key).not.toContain(PASS);
    const events = ws.db.prepare('SELECT seq, actor_id, action, object_id, after FROM audit_event').all() as {
      seq: number;
      actor_id: string;
      action: string;
      object_id: string;
      after: string;
    }[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ seq: 1, actor_id: p.id, action: 'person.add', object_id: p.id });
    expect(JSON.parse(events[0]!.after)).toMatchObject({
      name: alice.name,
      fingerprint: p.fingerprint,
      origin: 'local',
    });
    expect(events[0]!.after).not.toMatch(/PRIVATE KEY/);
    expect(verifyTrail(ws)).toMatchObject({ ok: true, count: 1 });
  });

  it('unlocks with the right passphrase only; a wrong one names the person, and short passphrases are refused', () => {
    addPerson(ws, alice, PASS);
    const acting = unlock(ws, 'alice martin', PASS);
    expect(acting.actor.name).toBe('Alice Martin');
    const data = Buffer.from('approve finding 7');
    const key = publicKeyOf(ws)(acting.actor.personId)!;
    expect(signatureValid(key, data, acting.sign(data))).toBe(true);
    expect(() => unlock(ws, 'Alice Martin', 'wrong passphrase')).toThrow(
      'wrong passphrase for Alice Martin: their signing key stays locked',
    );
    expect(() => unlock(ws, 'Carol', PASS)).toThrow('no person named "Carol" in this workspace');
    expect(() => addPerson(ws, bob, 'short77')).toThrow(
      'the passphrase for Bob Stone is too short: at least 8 characters are needed',
    );
    expect(listPeople(ws).map((p) => p.name)).toEqual(['Alice Martin']);
  });

  it('refuses a second person by the same name in another case, and a name with control characters', () => {
    addPerson(ws, alice, PASS);
    expect(() => addPerson(ws, { ...bob, name: 'ALICE MARTIN' }, PASS)).toThrow(
      'a person named Alice Martin already exists',
    );
    expect(() => addPerson(ws, { ...bob, name: 'Bob\u001b[2J' }, PASS)).toThrow(
      /Name must not hold control or format characters/,
    );
    expect(() => addPerson(ws, { ...bob, email: 'not-an-address' }, PASS)).toThrow(
      /Email must be an address/,
    );
    expect(ws.audit.count()).toBe(1);
    expect(ws.people.count()).toBe(1);
  });

  it('a profile exported on one workstation imports on another as a colleague, signed by the importer', () => {
    const bobWs = openWorkspace(join(dir, 'bob.sqlite'));
    try {
      const b = addPerson(bobWs, bob, PASS);
      const file = join(dir, 'bob.json');
      exportProfile(bobWs, 'Bob Stone', file);
      const profile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      expect(Object.keys(profile).sort()).toEqual([
        'email',
        'fingerprint',
        'format',
        'name',
        'publicKey',
        'role',
      ]);
      expect(profile.format).toBe('foureyes-person/1');
      expect(readFileSync(file, 'utf8')).not.toMatch(/PRIVATE/);

      const a = addPerson(ws, alice, PASS);
      const imported = importProfile(ws, file, unlock(ws, 'Alice Martin', PASS));
      expect(imported).toMatchObject({ name: 'Bob Stone', origin: 'imported', fingerprint: b.fingerprint });
      expect(getPerson(ws, 'bob stone')?.id).toBe(imported.id);
      expect(() => unlock(ws, 'Bob Stone', PASS)).toThrow(
        'Bob Stone is an imported colleague: their signing key is not on this workstation',
      );
      const ev = ws.db
        .prepare("SELECT actor_id, object_id FROM audit_event WHERE action = 'person.import'")
        .get();
      expect(ev).toEqual({ actor_id: a.id, object_id: imported.id });
      expect(verifyTrail(ws)).toMatchObject({ ok: true, count: 2 });
      // A signature made on Bob's workstation verifies here with the imported key.
      const data = Buffer.from('review package');
      const sig = unlock(bobWs, 'Bob Stone', PASS).sign(data);
      expect(signatureValid(publicKeyOf(ws)(imported.id)!, data, sig)).toBe(true);
      expect(() => importProfile(ws, file, unlock(ws, 'Alice Martin', PASS))).toThrow(
        'that key is already known, as Bob Stone',
      );
    } finally {
      bobWs.close();
    }
  });

  it('refuses a malformed profile file, naming the file and the field', () => {
    const other = openWorkspace(join(dir, 'o.sqlite'));
    const file = join(dir, 'p.json');
    exportProfile(other, addPerson(other, bob, PASS).name, file);
    other.close();
    const good = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const acting = unlock(ws, addPerson(ws, alice, PASS).name, PASS);
    const attempt = (content: string) => {
      writeFileSync(file, content);
      return () => importProfile(ws, file, acting);
    };
    expect(attempt('{not json')).toThrow(`${file} is not a person profile (not JSON)`);
    expect(attempt(JSON.stringify({ ...good, format: 'x' }))).toThrow(
      `${file} is not a valid person profile: field "format"`,
    );
    const { name: _n, ...noName } = good;
    expect(attempt(JSON.stringify(noName))).toThrow(
      `${file} is not a valid person profile: field "name": Name is required.`,
    );
    expect(attempt(JSON.stringify({ ...good, publicKey: 'AAAA' }))).toThrow(
      `${file}: field "publicKey" is not a public key`,
    );
    const fp = String(good.fingerprint);
    expect(
      attempt(JSON.stringify({ ...good, fingerprint: `${fp.slice(0, -1)}${fp.endsWith('A') ? 'B' : 'A'}` })),
    ).toThrow(`${file}: field "fingerprint" does not match the public key in the file`);
    expect(attempt(JSON.stringify({ ...good, extra: 1 }))).toThrow(/Unknown field "extra"/);
    expect(attempt(JSON.stringify({ ...good, name: 'Bob\u202e' }))).toThrow(
      /field "name": Name must not hold control/,
    );
    expect(ws.people.count()).toBe(1);
    expect(ws.audit.count()).toBe(1);
  });
});
