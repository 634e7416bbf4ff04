/** Fact availability semantics: denied / root-only facts -> manual with needsPrivilege; broken facts -> error. */
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { evaluateCheck } from '../../../main/engine/evaluate.js';
import { NEEDS_ROOT_REASON } from '../../../main/engine/outcome.js';
import { snap } from './fixtures/build.js';
import { effective } from './fixtures/scenarios/sshd.js';

const cat = loadCatalogue();
const check = (id: string) => {
  const c = cat.byId.get(id);
  if (!c) throw new Error(id);
  return c;
};
const SUDOERS = { '/etc/sudoers': 'root ALL=(ALL:ALL) ALL\n' };

describe('privilege', () => {
  it('a root-only fact in an unprivileged scan gives manual + needsPrivilege, not fail', () => {
    // The collector may still bring back an empty fileset when unprivileged; that must not look like "no sudoers".
    const r = evaluateCheck(
      snap({ privileged: false, sets: { 'sudo.sudoers': {} } }),
      check('sudo-nopasswd-all'),
    );
    expect(r).toMatchObject({ verdict: 'manual', needsPrivilege: true, reason: NEEDS_ROOT_REASON });
  });

  it('a fact with problem denied gives manual + needsPrivilege', () => {
    const r = evaluateCheck(
      snap({
        privileged: false,
        raw: {
          'fs.etc_world_writable': {
            kind: 'paths',
            paths: [],
            problem: 'denied',
            detail: 'Permission denied',
          },
        },
      }),
      check('fs-etc-world-writable'),
    );
    expect(r).toMatchObject({ verdict: 'manual', needsPrivilege: true, reason: NEEDS_ROOT_REASON });
  });

  it('one denied file inside a fileset (content needed) gives manual', () => {
    const r = evaluateCheck(
      snap({
        privileged: false,
        files: { 'auth.nsswitch': 'passwd: files sss\n' },
        sets: { 'pam.files': { '/etc/pam.d/common-auth': { denied: true } }, 'auth.krb5': {} },
      }),
      check('central-auth-pam'),
    );
    expect(r).toMatchObject({ verdict: 'manual', needsPrivilege: true });
  });

  it('denied even as root is manual without needsPrivilege', () => {
    const r = evaluateCheck(
      snap({
        raw: {
          'fw.nft': {
            kind: 'command',
            exitCode: null,
            stdout: '',
            stderr: '',
            problem: 'denied',
            detail: 'SELinux',
          },
          'fw.iptables': { kind: 'command', exitCode: null, stdout: '', stderr: '', problem: 'denied' },
        },
      }),
      check('firewall-default-deny'),
    );
    expect(r.verdict).toBe('manual');
    expect(r.needsPrivilege).toBeUndefined();
  });

  it('sshd checks fall back to sshd_config when sshd -T needs root, and say so', () => {
    const r = evaluateCheck(
      snap({
        privileged: false,
        sets: { 'sshd.config': { '/etc/ssh/sshd_config': 'PermitRootLogin no\n' } },
      }),
      check('sshd-permit-root-login'),
    );
    expect(r.verdict).toBe('pass');
    expect(r.needsPrivilege).toBeUndefined();
    expect(r.actual).toContain('/etc/ssh/sshd_config:1');
    expect(r.evidence.map((e) => e.excerpt).join('\n')).toMatch(
      /source: sshd_config files \(sshd -T needs root\)/,
    );
  });

  it('sshd -T output wins over the files when the scan had root', () => {
    const sc = effective({ permitrootlogin: 'yes' });
    sc.sets = { 'sshd.config': { '/etc/ssh/sshd_config': 'PermitRootLogin no\n' } };
    const r = evaluateCheck(snap(sc), check('sshd-permit-root-login'));
    expect(r.verdict).toBe('fail');
    expect(r.actual).toContain('(sshd -T)');
  });

  it('a failing sshd -T (e.g. config error) falls back to the files with the reason', () => {
    const r = evaluateCheck(
      snap({
        cmds: {
          'sshd.effective': {
            stdout: '/etc/ssh/sshd_config line 3: Bad configuration option: Foo\n',
            exitCode: 255,
          },
        },
        sets: { 'sshd.config': { '/etc/ssh/sshd_config': 'PermitRootLogin no\nFoo bar\n' } },
      }),
      check('sshd-permit-root-login'),
    );
    expect(r.verdict).toBe('pass');
    expect(r.evidence.map((e) => e.excerpt).join('\n')).toContain('sshd -T failed (exit 255)');
  });

  it('no sshd at all: not applicable', () => {
    const r = evaluateCheck(
      snap({ cmds: { 'sshd.effective': { problem: 'missing' } }, sets: { 'sshd.config': {} } }),
      check('sshd-permit-root-login'),
    );
    expect(r.verdict).toBe('not_applicable');
  });

  it('a fact absent from the snapshot, or with problem error/timeout, gives error with a reason', () => {
    const absent = evaluateCheck(snap({}), check('password-policy-max-days'));
    expect(absent.verdict).toBe('error');
    expect(absent.reason).toMatch(/accounts\.login_defs.*not in the snapshot/);
    for (const problem of ['error', 'timeout'] as const) {
      const r = evaluateCheck(
        snap({
          raw: {
            'sysctl.net': {
              kind: 'command',
              exitCode: null,
              stdout: '',
              stderr: '',
              problem,
              detail: 'boom',
            },
          },
        }),
        check('sysctl-ip-forward-disabled'),
      );
      expect(r.verdict).toBe('error');
      expect(r.reason).toContain('sysctl.net');
    }
  });

  it('a fact of the wrong kind (tampered import) gives error, not a crash', () => {
    const r = evaluateCheck(
      snap({
        raw: {
          'accounts.passwd': {
            kind: 'command',
            exitCode: 0,
            stdout: 'root:x:0:0::/root:/bin/sh',
            stderr: '',
          },
        },
      }),
      check('accounts-root-only-uid0'),
    );
    expect(r.verdict).toBe('error');
    expect(r.reason).toMatch(/malformed/);
  });

  it('empty passwords: a definite finding needs no root, the all-clear does', () => {
    const passwd = 'root:x:0:0::/root:/bin/bash\nguest::1001:1001::/home/guest:/bin/sh\n';
    expect(
      evaluateCheck(
        snap({ privileged: false, files: { 'accounts.passwd': passwd } }),
        check('accounts-empty-passwords'),
      ).verdict,
    ).toBe('fail');
    const clean = evaluateCheck(
      snap({ privileged: false, files: { 'accounts.passwd': 'root:x:0:0::/root:/bin/bash\n' } }),
      check('accounts-empty-passwords'),
    );
    expect(clean).toMatchObject({ verdict: 'manual', needsPrivilege: true });
  });

  it('sudoers fixture with root passes where the unprivileged scan was manual', () => {
    expect(
      evaluateCheck(snap({ sets: { 'sudo.sudoers': SUDOERS } }), check('sudo-nopasswd-all')).verdict,
    ).toBe('pass');
  });
});
