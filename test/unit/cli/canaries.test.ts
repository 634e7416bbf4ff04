/**
 * Secrets never land in what Foureyes writes. Canary values are planted as the people's passphrases (from a file and
 * from the environment), as the SSH key passphrase, login password and sudo password variables, and as an SSH
 * private key given with -i; the whole CLI workflow then runs with a fresh HOME across two workstations: people
 * added, assess --local --as, finding edit/submit/approve, review export, import, answer, import-answer, person
 * export/import, audit checkpoint and verify. Every file produced under HOME (the workspaces with any -wal/-shm, every
 * package, answer, checkpoint, profile, log) and every stdout and stderr is searched for every canary: raw, hex,
 * base64 (each alignment), base64url and UTF-16. The people's own private keys (decrypted here, after the fact,
 * from the encrypted form the workspace keeps) are canaries too: only their encrypted form may be stored.
 */
import { spawnSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../support/build.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
const SECRET = {
  alicePassphrase: 'canary-alice-Q7v2mZ9kLp',
  bobPassphrase: 'canary-bob-W3n8xR5tHy',
  ritaPassphrase: 'canary-rita-J6c4bN1sDf',
  sshKeyPassphrase: 'canary-sshkey-T9g5kM2wQa',
  loginPassword: 'canary-login-E4r7yU8iOp',
  sudoPassword: 'canary-sudo-Z1x3cV6bNm',
};

let home: string;
const outputs: { what: string; text: string }[] = [];
let sshKeyDer: Buffer;

function cli(workspace: string, args: string[], env: Record<string, string> = {}) {
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    FOUREYES_WORKSPACE: workspace,
    FOUREYES_PASSPHRASE: SECRET.sshKeyPassphrase,
    FOUREYES_PASSWORD: SECRET.loginPassword,
    FOUREYES_SUDO_PASSWORD: SECRET.sudoPassword,
    ...env,
  };
  delete base.XDG_DATA_HOME;
  delete base.FOUREYES_PERSON_PASSPHRASE;
  Object.assign(base, env);
  const r = spawnSync(process.execPath, [BIN, ...args], { env: base, encoding: 'utf8', timeout: 120_000 });
  outputs.push({ what: `stdout of ${args.slice(0, 2).join(' ')}`, text: r.stdout }, { what: `stderr of ${args.slice(0, 2).join(' ')}`, text: r.stderr });
  return r;
}
function ok(workspace: string, args: string[], env: Record<string, string> = {}) {
  const r = cli(workspace, args, env);
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** Every file under `dir`, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** The forms a secret could take in a file: raw, hex, base64 in each alignment, base64url, UTF-16LE. */
function forms(secret: Buffer): Buffer[] {
  const out = [secret, Buffer.from(secret.toString('hex')), Buffer.from(secret.toString('hex').toUpperCase())];
  for (let shift = 0; shift < 3; shift++) {
    // The characters of base64 that depend on the secret alone, whatever precedes it.
    const b64 = Buffer.concat([Buffer.alloc(shift), secret]).toString('base64');
    const start = shift === 0 ? 0 : shift === 1 ? 2 : 3;
    const stable = b64.slice(start, start + Math.floor((secret.length - 3) / 3) * 4);
    if (stable.length >= 8) out.push(Buffer.from(stable), Buffer.from(stable.replace(/\+/g, '-').replace(/\//g, '_')));
  }
  out.push(Buffer.from(secret.toString('latin1'), 'utf16le'));
  return out;
}

beforeAll(() => {
  ensureBuilt();
  home = mkdtempSync(join(tmpdir(), 'fe-canaries-'));
  mkdirSync(join(home, '.ssh'), { mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  sshKeyDer = privateKey.export({ format: 'der', type: 'pkcs8' });
  writeFileSync(
    join(home, '.ssh', 'id_ed25519'),
    privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: SECRET.sshKeyPassphrase }),
    { mode: 0o600 },
  );
  writeFileSync(join(home, 'alice.pass'), `${SECRET.alicePassphrase}\n`, { mode: 0o600 });
  writeFileSync(join(home, 'rita.pass'), `${SECRET.ritaPassphrase}\n`, { mode: 0o600 });
}, 300_000);
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('no secret in anything Foureyes writes', () => {
  it('the whole workflow leaves no canary in any file, output or log', () => {
    const A = join(home, 'a', 'workspace.sqlite');
    const B = join(home, 'b', 'workspace.sqlite');
    const alice = ['--as', 'Alice', '--passphrase-file', join(home, 'alice.pass')];
    const bob = { FOUREYES_PERSON_PASSPHRASE: SECRET.bobPassphrase };
    const rita = ['--as', 'Rita', '--passphrase-file', join(home, 'rita.pass')];
    ok(A, ['person', 'add', '--name', 'Alice', '--role', 'consultant', '--email', 'alice@example.org', '--passphrase-file', join(home, 'alice.pass')]);
    ok(A, ['person', 'add', '--name', 'Bob', '--role', 'consultant', '--email', 'bob@example.org'], bob);
    ok(B, ['person', 'add', '--name', 'Rita', '--role', 'reviewer', '--email', 'rita@example.org', '--passphrase-file', join(home, 'rita.pass')]);

    const scan = cli(A, ['assess', '--local', '--as', 'Alice', '-i', join(home, '.ssh', 'id_ed25519')], {
      FOUREYES_PERSON_PASSPHRASE: SECRET.alicePassphrase,
    });
    expect([0, 2], scan.stderr).toContain(scan.status);
    const listed = (JSON.parse(ok(A, ['findings', '--json'])) as { findings: { id: string }[] }).findings;
    expect(listed.length).toBeGreaterThanOrEqual(2);
    const [first, second] = listed as [{ id: string }, { id: string }];
    writeFileSync(join(home, 'notes.md'), 'Checked by hand on the console.\n');
    for (const f of [first, second]) {
      ok(A, ['finding', 'edit', f.id, ...alice, '--notes-file', join(home, 'notes.md')]);
      ok(A, ['finding', 'submit', f.id, ...alice]);
    }
    ok(A, ['finding', 'approve', first.id, '--as', 'Bob'], bob);

    ok(A, ['person', 'export', 'Alice', '-o', join(home, 'alice.json')]);
    ok(B, ['person', 'export', 'Rita', '-o', join(home, 'rita.json')]);
    ok(B, ['person', 'import', join(home, 'alice.json'), ...rita]);
    ok(A, ['person', 'import', join(home, 'rita.json'), ...alice]);
    ok(A, ['review', 'export', '--engagement', 'Command line', '-o', join(home, 'package.json'), ...alice]);
    ok(B, ['review', 'import', join(home, 'package.json'), ...rita]);
    const pkgId = (JSON.parse(readFileSync(join(home, 'package.json'), 'utf8')) as { id: string }).id;
    ok(B, ['review', 'answer', pkgId, '--approve', second.id, '-o', join(home, 'answer.json'), ...rita]);
    ok(A, ['review', 'import-answer', join(home, 'answer.json'), '--as', 'Bob'], bob);
    ok(A, ['audit', 'checkpoint', ...alice, '-o', join(home, 'checkpoint.json')]);
    ok(A, ['audit', 'verify', '--checkpoint', join(home, 'checkpoint.json')]);
    ok(A, ['audit', 'verify', '--checkpoint', join(home, 'package.json')]);
    ok(B, ['audit', 'verify', '--checkpoint', join(home, 'answer.json')]);
    ok(A, ['review', 'list', '--json']);
    const approved = (JSON.parse(ok(A, ['findings', '--json'])) as { findings: { id: string; reviewState: string }[] }).findings;
    expect(approved.filter((f) => f.reviewState === 'approved').map((f) => f.id).sort()).toEqual([first.id, second.id].sort());

    // The people's private keys, decrypted from the encrypted form each workspace keeps.
    const keys: { name: string; der: Buffer; seed: Buffer }[] = [];
    for (const [file, people] of [[A, { Alice: SECRET.alicePassphrase, Bob: SECRET.bobPassphrase }], [B, { Rita: SECRET.ritaPassphrase }]] as const) {
      const db = new Database(file, { readonly: true });
      for (const [name, passphrase] of Object.entries(people)) {
        const row = db.prepare('SELECT private_key FROM person WHERE name = ?').get(name) as { private_key: string };
        expect(row.private_key).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
        const key = createPrivateKey({ key: row.private_key, format: 'pem', passphrase });
        const der = key.export({ format: 'der', type: 'pkcs8' });
        keys.push({ name, der, seed: Buffer.from(key.export({ format: 'jwk' }).d!, 'base64url') });
      }
      db.close();
    }

    const canaries: { what: string; bytes: Buffer }[] = [
      ...Object.entries(SECRET).map(([what, v]) => ({ what, bytes: Buffer.from(v) })),
      { what: 'SSH private key (PKCS#8)', bytes: sshKeyDer },
      { what: 'SSH private key seed', bytes: sshKeyDer.subarray(-32) },
      ...keys.flatMap((k) => [
        { what: `${k.name}'s private key (PKCS#8)`, bytes: k.der },
        { what: `${k.name}'s private key seed`, bytes: k.seed },
      ]),
    ];
    const produced = files(home).filter((p) => !p.endsWith('.pass') && !p.endsWith('id_ed25519'));
    expect(produced.some((p) => p.endsWith('.sqlite'))).toBe(true);
    expect(produced.map((p) => p.slice(home.length))).toEqual(
      expect.arrayContaining(['/package.json', '/answer.json', '/checkpoint.json', '/alice.json', '/rita.json']),
    );
    const haystacks = [
      ...produced.map((p) => ({ what: p.slice(home.length), bytes: readFileSync(p) })),
      ...outputs.map((o) => ({ what: o.what, bytes: Buffer.from(o.text) })),
    ];
    const found: string[] = [];
    for (const c of canaries)
      for (const form of forms(c.bytes))
        for (const h of haystacks) if (h.bytes.includes(form)) found.push(`${c.what} in ${h.what}`);
    expect([...new Set(found)]).toEqual([]);
  }, 240_000);
});
