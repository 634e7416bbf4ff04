/**
 * `foureyes access` from the built CLI on a real workspace holding an imported snapshot: the scan's hosts and the
 * accounts across them, one host in full (human and --json), target text escaped for the terminal, an unknown host
 * named with the hosts there are, and a missing workspace an error that names its path without creating it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AaaHost } from '../../../shared/api/schemas/aaa.js';
import { loadCatalogueQuick } from '../../../main/catalogue/catalogue.js';
import { evaluateAll } from '../../../main/engine/evaluate.js';
import { storeImportedSnapshot } from '../../../main/services/assessment.js';
import { openWorkspace } from '../../../main/store/db.js';
import { ensureBuilt } from '../../support/build.js';
import { snapshot } from '../aaa/fixture.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
let dir: string;
let file: string;

function cli(args: string[], ws = file) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
  for (const k of Object.keys(env)) if (k.startsWith('FOUREYES_') || k === 'XDG_DATA_HOME') delete env[k];
  return spawnSync(process.execPath, [BIN, 'access', ...args, '--workspace', ws], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'fe-access-'));
  file = join(dir, 'ws.sqlite');
  const cat = await loadCatalogueQuick();
  const ws = openWorkspace(file);
  try {
    const engagementId = ws.engagements.create({ name: 'Access CLI' }).id;
    storeImportedSnapshot(ws, {
      engagementId,
      catalogue: cat,
      checks: cat.checks,
      name: 'ipa-client',
      snapshot,
      results: evaluateAll(snapshot, cat.checks),
    });
  } finally {
    ws.close();
  }
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('foureyes access', () => {
  it('prints the hosts of the newest scan and the accounts across them', () => {
    const r = cli([]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'ipa-client: directory freeipa, kerberos, sssd; 3 account(s) can log in, 3 local beside the directory; 4 sudo rule(s), 1 of all commands without a password; second factor yes',
    );
    expect(r.stdout).toMatch(
      /^ {2}old: on 1; can log in on ipa-client; sudo on ipa-client; keys on ipa-client\n {4}! .*password never expires/m,
    );
    expect(r.stdout).not.toContain('\x1b');
  });

  it('prints one host in full, and the same as JSON', () => {
    const r = cli(['--host', 'ipa-client']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('FreeIPA realm EXAMPLE.TEST, server ipa1.example.test');
    expect(r.stdout).toContain(
      '%admins@example.test -> a directory group (members not known here) as root: /usr/bin/systemctl restart *',
    );
    expect(r.stdout).toContain('ev\\x1bil uid 1003 /bin/sh: password empty');
    expect(r.stdout).toMatch(
      /failing aaa checks \(\d+\):\n(.*\n)* {2}sshd-authorized-keys-strong: .*RSA 1024 bits \(old\)/,
    );
    expect(r.stdout).not.toContain('\x1b');
    const j = cli(['--host', 'ipa-client', '--json']);
    expect(j.status, j.stderr).toBe(0);
    const h = JSON.parse(j.stdout) as AaaHost;
    expect(h.accounts.find((a) => a.name === 'ops')?.keys).toEqual({
      count: 1,
      types: ['ssh-ed25519'],
      files: ['/home/ops/.ssh/authorized_keys'],
    });
    expect(h.sudo.grants.length).toBe(4);
  });

  it('names an unknown host with the hosts there are, and a missing workspace by its path', () => {
    const r = cli(['--host', 'web9']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("no completed host run named 'web9'");
    expect(r.stderr).toContain('hosts: ipa-client');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const missing = join(dir, 'nope', 'ws.sqlite');
    const m = cli([], missing);
    expect(m.status).not.toBe(0);
    expect(m.stderr).toContain(missing);
    expect(existsSync(join(dir, 'nope'))).toBe(false);
  });
});
