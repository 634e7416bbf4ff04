/**
 * An sshd_config Include of a file outside the collected set (RHEL's crypto-policy back-end) is not read: an option
 * it may set is unknown when only sshd_config is available (no root, so no sshd -T), not OpenSSH's default.
 */
import { describe, expect, it } from 'vitest';
import { parseSshdConfig } from '../../../main/engine/parsers/sshd.js';
import { evaluateCheck } from '../../../main/engine/evaluate.js';
import type { Check } from '../../../shared/checks/schema.js';
import { snap } from './fixtures/build.js';

const f = (path: string, content: string) => ({ path, content });
const CRYPTO = 'Include /etc/crypto-policies/back-ends/opensshserver.config\n';

describe('parseSshdConfig: Include targets not collected', () => {
  it('records an Include outside the collected patterns that matched nothing', () => {
    const cfg = parseSshdConfig([
      f('/etc/ssh/sshd_config', 'Include /etc/ssh/sshd_config.d/*.conf\n'),
      f('/etc/ssh/sshd_config.d/50-redhat.conf', `${CRYPTO}X11Forwarding yes\n`),
    ]);
    expect(cfg.unread).toEqual([
      { pattern: '/etc/crypto-policies/back-ends/opensshserver.config', path: '/etc/ssh/sshd_config.d/50-redhat.conf', line: 1 },
    ]);
    expect(cfg.global.get('x11forwarding')?.value).toBe('yes');
  });

  it('does not record a collected pattern that matched nothing (an empty sshd_config.d is normal)', () => {
    const cfg = parseSshdConfig([f('/etc/ssh/sshd_config', 'Include /etc/ssh/sshd_config.d/*.conf\nInclude sshd_config.d/*.conf\n')]);
    expect(cfg.unread).toEqual([]);
  });

  it('does not record an Include whose file was collected', () => {
    const cfg = parseSshdConfig(
      [f('/etc/ssh/sshd_config', 'Include /etc/ssh/extra.conf\n'), f('/etc/ssh/extra.conf', 'PermitRootLogin no\n')],
      undefined,
      ['/etc/ssh/sshd_config', '/etc/ssh/extra.conf'],
    );
    expect(cfg.unread).toEqual([]);
    expect(cfg.global.get('permitrootlogin')?.value).toBe('no');
  });
});

function check(id: string, option: string, op: string, value: unknown): Check {
  return {
    id,
    title: id,
    family: 'hardening',
    area: 'sshd',
    severity: 'medium',
    platforms: ['debian', 'ubuntu', 'rhel-family'],
    rationale: 'test',
    references: {},
    rule: { type: 'sshd_option', option, op, value },
  } as unknown as Check;
}

describe('sshd options read from sshd_config with an unread Include', () => {
  const unprivileged = (extra: string) =>
    snap({
      os: 'rhel',
      privileged: false,
      cmds: { 'sshd.effective': { problem: 'denied', exitCode: 1, stderr: 'Permission denied' } },
      sets: {
        'sshd.config': {
          '/etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config.d/*.conf\n',
          '/etc/ssh/sshd_config.d/50-redhat.conf': `${extra}X11Forwarding yes\n`,
        },
      },
    });

  it('an algorithm list left to the crypto policy is manual, not the OpenSSH default', () => {
    const r = evaluateCheck(unprivileged(CRYPTO), check('t-macs', 'MACs', 'none_of', ['umac-64-etm@openssh.com']));
    expect(r.verdict).toBe('manual');
    expect(r.reason).toContain('/etc/crypto-policies/back-ends/opensshserver.config');
    expect(r.reason).toContain('sshd -T');
  });

  it('an option a crypto policy never sets still reads the OpenSSH default', () => {
    const r = evaluateCheck(unprivileged(CRYPTO), check('t-root', 'PermitRootLogin', 'eq', 'no'));
    expect(r.verdict).toBe('fail');
    expect(r.actual).toContain('OpenSSH default prohibit-password');
  });

  it('any option not set is manual when another uncollected file is included', () => {
    const r = evaluateCheck(unprivileged('Include /etc/ssh/custom.conf\n'), check('t-root', 'PermitRootLogin', 'eq', 'no'));
    expect(r.verdict).toBe('manual');
  });

  it('an option set in the files read keeps its verdict', () => {
    const r = evaluateCheck(unprivileged(CRYPTO), check('t-x11', 'X11Forwarding', 'eq', 'no'));
    expect(r.verdict).toBe('fail');
  });
});
