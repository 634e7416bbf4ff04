/**
 * Per-host sudo passwords (issue: one host's sudo password was typed into another host's sudo). Two hosts behind
 * the real in-process sshd, each with its own fake sudo and its own password: the runner, the CLI's secret rules
 * and the transports together send each password only to its own host's sudo; a host given none (or the wrong one)
 * records "sudo requested but not obtained" with sudo's reason.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promptingSecrets } from '../../../main/cli/prompt.js';
import { sudoPasswords } from '../../../main/cli/sudo-passwords.js';
import { runScan, type ScanJob } from '../../../main/scan/runner.js';
import { SshTransport } from '../../../main/transport/ssh.js';
import type { SshTarget } from '../../../shared/model/target.js';
import type { HostRunStats } from '../../../shared/model/workspace.js';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { makeFakeSudo, type FakeSudo } from '../ssh/fake-sudo.js';
import { pinned, targetFor } from '../ssh/helpers.js';
import { makeClientKeys, startSshd, type ClientKeys, type SshdFixture } from '../ssh/sshd-fixture.js';

let keys: ClientKeys;
let sshd: SshdFixture;
let dir: string;
beforeAll(async () => {
  keys = makeClientKeys();
  sshd = await startSshd({ authorizedKeys: [keys.plain] });
  dir = mkdtempSync(join(tmpdir(), 'fe-sudopw-'));
});
afterAll(async () => {
  await sshd?.stop();
  rmSync(keys.dir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

const job = (name: string): ScanJob => ({
  name,
  target: { kind: 'ssh', target: { ...targetFor(sshd, { type: 'key', keyPath: keys.plain }, pinned(sshd), { privilege: 'sudo' }), name } },
});
const sshTarget = (j: ScanJob): SshTarget => {
  if (j.target.kind !== 'ssh') throw new Error('not an SSH job');
  return j.target.target;
};
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, `${text}\n`);
  return p;
};

describe('sudo passwords per host', () => {
  it('one password file for several hosts is refused unless --same-sudo-password says so; per-host files name their host', () => {
    const jobs = [job('alpha'), job('beta')];
    const f = file('one', 'secret-one');
    expect(() => sudoPasswords(jobs, { sudo: true, file: f, perHost: [], same: false })).toThrow(/one host's sudo password and 2 hosts would get it \(alpha, beta\).*--sudo-password-for HOST=FILE.*--same-sudo-password/);
    expect([...sudoPasswords(jobs, { sudo: true, file: f, perHost: [], same: true })]).toEqual([['alpha', 'secret-one'], ['beta', 'secret-one']]);
    expect([...sudoPasswords([job('alpha')], { sudo: true, file: f, perHost: [], same: false })]).toEqual([['alpha', 'secret-one']]);
    const a = file('a', 'pw-a');
    // The file covers the one host not named per host.
    expect([...sudoPasswords(jobs, { sudo: true, file: f, perHost: [`alpha=${a}`], same: false })]).toEqual([['alpha', 'pw-a'], ['beta', 'secret-one']]);
    expect(() => sudoPasswords(jobs, { sudo: true, perHost: [`gamma=${a}`], same: false })).toThrow(/names "gamma", which is not an SSH host of this run \(hosts: alpha, beta\)/);
    expect(() => sudoPasswords(jobs, { sudo: true, perHost: ['alpha'], same: false })).toThrow(/give HOST=FILE/);
    expect(() => sudoPasswords(jobs, { sudo: false, perHost: [`alpha=${a}`], same: false })).toThrow(/only with --sudo/);
  });

  it('each host\'s sudo gets only its own password; a host without one gets nothing and says sudo was not obtained', async () => {
    const fakes = new Map<string, FakeSudo>([
      ['alpha', makeFakeSudo(dir, 'alpha', { password: 'pw-alpha' })],
      ['beta', makeFakeSudo(dir, 'beta', { password: 'pw-beta' })],
      ['gamma', makeFakeSudo(dir, 'gamma', { password: 'pw-gamma' })],
    ]);
    const jobs = ['alpha', 'beta', 'gamma'].map(job);
    const sudo = sudoPasswords(jobs, { sudo: true, perHost: [`alpha=${file('fa', 'pw-alpha')}`, `beta=${file('fb', 'pw-beta')}`], same: false });
    // Not a terminal here: gamma's sudo gets no answer.
    const secrets = promptingSecrets(sudo, {});
    const cat = loadCatalogue();
    const checks = cat.checks.filter((c) => c.id === 'sudo-use-pty');
    const stats = new Map<string, HostRunStats>();
    const summary = await runScan({
      jobs,
      checks,
      concurrency: 3,
      secrets,
      openTransport: (j) => new SshTransport(sshTarget(j), secrets, { sudoCommand: fakes.get(j.name)?.path ?? 'false', rootCheck: false }),
      sink: {
        hostDone: (name, _s, _r, st) => void stats.set(name, st),
        hostFailed: (name, e) => {
          throw new Error(`${name} failed: ${e.message}`);
        },
      },
    });
    expect(summary.done.sort()).toEqual(['alpha', 'beta', 'gamma']);
    expect(fakes.get('alpha')?.attempts()).toEqual(['pw-alpha']);
    expect(fakes.get('beta')?.attempts()).toEqual(['pw-beta']);
    expect(fakes.get('gamma')?.attempts()).toEqual([]);
    expect(stats.get('alpha')?.sudoNotObtained).toBeUndefined();
    expect(stats.get('beta')?.sudoNotObtained).toBeUndefined();
    expect(stats.get('gamma')?.sudoNotObtained).toMatch(/sudo asks for a password and none is available/);
  });

  it('the wrong password: tried once on that host, and the host says sudo was not obtained', async () => {
    const fake = makeFakeSudo(dir, 'delta', { password: 'pw-delta' });
    const jobs = [job('delta')];
    const secrets = promptingSecrets(sudoPasswords(jobs, { sudo: true, file: file('fd', 'not-it'), perHost: [], same: false }), {});
    const stats = new Map<string, HostRunStats>();
    await runScan({
      jobs,
      checks: loadCatalogue().checks.filter((c) => c.id === 'sudo-use-pty'),
      secrets,
      openTransport: (j) => new SshTransport(sshTarget(j), secrets, { sudoCommand: fake.path, rootCheck: false }),
      sink: { hostDone: (name, _s, _r, st) => void stats.set(name, st), hostFailed: () => undefined },
    });
    expect(fake.attempts()).toEqual(['not-it']);
    expect(stats.get('delta')?.sudoNotObtained).toMatch(/did not accept the password/);
  });
});
