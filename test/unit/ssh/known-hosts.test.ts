import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintSha256, keyTypeOfBlob } from '../../../main/ssh/key-blob.js';
import { parseKnownHosts, wildcardMatch } from '../../../main/ssh/known-hosts-parse.js';
import { appendKnownHost, lookup } from '../../../main/ssh/known-hosts.js';
import { keygenFingerprint, tempDir } from './sshd-fixture.js';

interface Key {
  type: string;
  b64: string;
  blob: Buffer;
  line: string;
  fp: string;
}

let dir: string;
let k1: Key;
let k2: Key;
let k3: Key;

function makeKey(name: string, type: string): Key {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', path], { stdio: 'ignore' });
  const [t = '', b64 = ''] = readFileSync(`${path}.pub`, 'utf8').trim().split(' ');
  return { type: t, b64, blob: Buffer.from(b64, 'base64'), line: `${t} ${b64}`, fp: keygenFingerprint(`${path}.pub`) };
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

beforeAll(() => {
  dir = tempDir('kh');
  k1 = makeKey('k1', 'ed25519');
  k2 = makeKey('k2', 'ecdsa');
  k3 = makeKey('k3', 'ed25519');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fingerprints and key blobs', () => {
  it('match ssh-keygen -l -E sha256 for every key type', () => {
    for (const k of [k1, k2, k3]) {
      expect(fingerprintSha256(k.blob)).toBe(k.fp);
      expect(keyTypeOfBlob(k.blob)).toBe(k.type);
    }
  });
  it('reject malformed blobs', () => {
    expect(keyTypeOfBlob(Buffer.from([0, 0, 0, 200, 1]))).toBeUndefined();
    expect(keyTypeOfBlob(Buffer.alloc(2))).toBeUndefined();
  });
});

describe('wildcards', () => {
  it.each([
    ['*.example.com', 'db.example.com', true],
    ['*.example.com', 'example.com', false],
    ['db?.lan', 'db1.lan', true],
    ['db?.lan', 'db12.lan', false],
    ['*', '', true],
    ['[10.0.0.*]:2222', '[10.0.0.7]:2222', true],
    ['[10.0.0.*]:2222', '[10.0.0.7]:22', false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
  ])('%s vs %s', (p, s, want) => expect(wildcardMatch(p, s)).toBe(want));
});

describe('parseKnownHosts', () => {
  it('skips comments and blank lines, reports bad lines with file:line, ignores CA lines with a note', () => {
    const text = [
      '# comment',
      '',
      `db01,10.0.0.5 ${k1.line} a comment`,
      'garbage-line',
      `@cert-authority *.lan ${k2.line}`,
      `host ssh-rsa ${k1.b64}`,
      `host ${k1.type} !!notbase64`,
      `@bogus host ${k1.line}`,
      `   indented ${k3.line}\r`,
    ].join('\n');
    const r = parseKnownHosts(text, '/x/known_hosts');
    expect(r.entries.map((e) => [e.line, e.fingerprint])).toEqual([
      [3, k1.fp],
      [9, k3.fp],
    ]);
    expect(r.notes).toEqual([
      expect.stringMatching(/^\/x\/known_hosts:4: expected/),
      expect.stringMatching(/^\/x\/known_hosts:5: @cert-authority lines are not supported/),
      expect.stringMatching(/^\/x\/known_hosts:6: key type "ssh-rsa" does not match the key data \("ssh-ed25519"\)/),
      expect.stringMatching(/^\/x\/known_hosts:7: key is not base64/),
      expect.stringMatching(/^\/x\/known_hosts:8: unknown marker/),
    ]);
  });
});

describe('lookup', () => {
  it('plain host lists, case-insensitive', async () => {
    const f = file('plain', `other ${k3.line}\nDB01,10.0.0.5 ${k1.line}\n`);
    expect(await lookup([f], 'db01', 22, k1.blob)).toMatchObject({ status: 'match', file: f, line: 2 });
    expect(await lookup([f], '10.0.0.5', 22, k1.blob)).toMatchObject({ status: 'match' });
    expect(await lookup([f], 'db02', 22, k1.blob)).toMatchObject({ status: 'not_found' });
  });

  it('[host]:port only for that port, and a bare host only for port 22', async () => {
    const f = file('port', `[db01]:2222 ${k1.line}\ndb02 ${k1.line}\n`);
    expect((await lookup([f], 'db01', 2222, k1.blob)).status).toBe('match');
    expect((await lookup([f], 'db01', 22, k1.blob)).status).toBe('not_found');
    expect((await lookup([f], 'db02', 2222, k1.blob)).status).toBe('not_found');
  });

  it('a different key for a known host is a mismatch naming the expected fingerprints', async () => {
    const f = file('mm', `db01 ${k1.line}\ndb01 ${k2.line}\n`);
    const r = await lookup([f], 'db01', 22, k3.blob);
    expect(r.status).toBe('mismatch');
    expect(r.expected).toEqual([k1.fp, k2.fp]);
    expect(r.file).toBe(f);
    expect(r.line).toBe(1);
    expect(r.knownTypes).toEqual([k1.type, k2.type]);
  });

  it('negation excludes a host even when a wildcard covers it', async () => {
    const f = file('neg', `*.lan,!evil.lan ${k1.line}\n`);
    expect((await lookup([f], 'good.lan', 22, k1.blob)).status).toBe('match');
    expect((await lookup([f], 'evil.lan', 22, k1.blob)).status).toBe('not_found');
  });

  it('@revoked wins over a matching line', async () => {
    const f = file('rev', `db01 ${k1.line}\n@revoked * ${k1.line}\n`);
    expect(await lookup([f], 'db01', 22, k1.blob)).toMatchObject({ status: 'revoked', line: 2 });
    expect((await lookup([f], 'db01', 22, k3.blob)).status).toBe('mismatch');
  });

  it('hashed entries written by ssh-keygen -H are found (port 22 and [host]:port)', async () => {
    const f = file('hashed', `db01 ${k1.line}\n[db02]:2200 ${k2.line}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', f], { stdio: 'ignore' });
    const text = readFileSync(f, 'utf8');
    expect(text).not.toContain('db01');
    expect(text).toMatch(/^\|1\|/);
    expect((await lookup([f], 'db01', 22, k1.blob)).status).toBe('match');
    expect((await lookup([f], 'db02', 2200, k2.blob)).status).toBe('match');
    expect((await lookup([f], 'db02', 22, k2.blob)).status).toBe('not_found');
    expect((await lookup([f], 'db01', 22, k3.blob)).status).toBe('mismatch');
  });

  it('missing files hold nothing; several files are searched in order', async () => {
    const f = file('second', `db01 ${k1.line}\n`);
    expect(await lookup([join(dir, 'nope'), f], 'db01', 22, k1.blob)).toMatchObject({ status: 'match', file: f });
  });
});

describe('appendKnownHost', () => {
  it('creates the file 0600 and writes a plain entry that OpenSSH finds', async () => {
    const f = join(dir, 'sub', 'new_known_hosts');
    await appendKnownHost(f, 'DB01', 2222, k1.type, k1.blob);
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(readFileSync(f, 'utf8')).toBe(`[db01]:2222 ${k1.line}\n`);
    const found = execFileSync('ssh-keygen', ['-F', '[db01]:2222', '-f', f], { encoding: 'utf8' });
    expect(found).toContain(k1.b64);
    expect((await lookup([f], 'db01', 2222, k1.blob)).status).toBe('match');
  });

  it('writes hashed entries that OpenSSH finds, and adds a newline to a file lacking one', async () => {
    const f = file('nonl', `other ${k3.line}`);
    await appendKnownHost(f, '10.0.0.9', 22, k2.type, k2.blob, { hashed: true });
    const lines = readFileSync(f, 'utf8').split('\n');
    expect(lines[0]).toBe(`other ${k3.line}`);
    expect(lines[1]).toMatch(/^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ecdsa-sha2-nistp256 /);
    const found = execFileSync('ssh-keygen', ['-F', '10.0.0.9', '-f', f], { encoding: 'utf8' });
    expect(found).toContain(k2.b64);
    expect((await lookup([f], '10.0.0.9', 22, k2.blob)).status).toBe('match');
  });
});
