/** The pam_module evaluator: the argument on the module's line wins over its configuration file, line by line. */
import { describe, expect, it } from 'vitest';
import { validateCheck } from '../../../main/catalogue/validate.js';
import { evaluateCheck } from '../../../main/engine/evaluate.js';
import { factsOfRule } from '../../../main/engine/rule-facts.js';
import { snap } from './fixtures/build.js';

const check = (params: Record<string, unknown>) =>
  validateCheck(
    {
      id: 'synthetic-pam',
      title: 'Synthetic',
      family: 'aaa',
      area: 'password-policy',
      severity: 'low',
      rationale: 'r',
      remediation: { text: 't' },
      rule: { type: 'evaluator', name: 'pam_module', params },
    },
    'test.yaml',
    0,
  );

const faillock = check({
  module: 'pam_faillock',
  stack: 'auth',
  files: ['common-auth', 'system-auth', 'password-auth'],
  arg: 'deny',
  op: 'lte',
  value: 5,
  min: 1,
  config_fact: 'pam.faillock',
  default: 3,
});
const verdict = (c: ReturnType<typeof check>, pam: Record<string, string>, conf: string | null, os?: 'rhel') =>
  evaluateCheck(snap({ ...(os ? { os } : {}), sets: { 'pam.files': pam }, files: { 'pam.faillock': conf } }), c).verdict;

describe('pam_module', () => {
  it('reads only the facts its parameters name', () => {
    expect([...factsOfRule(faillock.rule)].sort()).toEqual(['pam.faillock', 'pam.files']);
  });

  it('an argument on a line wins over the file; a line without it takes the file, else the default', () => {
    const stack = (a: string, b: string) => ({
      '/etc/pam.d/common-auth': `auth required pam_faillock.so preauth ${a}\nauth [default=die] pam_faillock.so authfail ${b}\n`,
    });
    expect(verdict(faillock, stack('', ''), 'deny = 5\n')).toBe('pass');
    expect(verdict(faillock, stack('', ''), null)).toBe('pass'); // default 3
    expect(verdict(faillock, stack('deny=4', 'deny=4'), 'deny = 10\n')).toBe('pass');
    // One line of two with a bad argument fails, whatever the file says.
    expect(verdict(faillock, stack('deny=4', 'deny=10'), 'deny = 5\n')).toBe('fail');
    // A line without the argument falls back to the file.
    expect(verdict(faillock, stack('deny=4', ''), 'deny = 10\n')).toBe('fail');
    expect(verdict(faillock, stack('', ''), 'deny = 0\n')).toBe('fail'); // min 1: 0 is "never lock"
  });

  it('every listed stack file that exists must call the module; bracketed controls and `-` lines count', () => {
    const line = 'auth [success=1 default=bad] pam_faillock.so authfail\n';
    expect(verdict(faillock, { '/etc/pam.d/system-auth': line, '/etc/pam.d/password-auth': `-${line}` }, null, 'rhel')).toBe('pass');
    expect(verdict(faillock, { '/etc/pam.d/system-auth': line, '/etc/pam.d/password-auth': 'auth required pam_unix.so\n' }, null, 'rhel')).toBe('fail');
    expect(verdict(faillock, { '/etc/pam.d/other': line }, null)).toBe('fail');
    // The module in another stack type does not count.
    expect(verdict(faillock, { '/etc/pam.d/common-auth': 'account required pam_faillock.so\n' }, null)).toBe('fail');
  });

  it('absent: the argument on no line of the module; a module that is not there passes', () => {
    const nullok = check({ module: 'pam_unix', stack: 'auth', files: ['common-auth'], arg: ['nullok', 'nullok_secure'], op: 'absent' });
    const v = (text: string) => evaluateCheck(snap({ sets: { 'pam.files': { '/etc/pam.d/common-auth': text } } }), nullok).verdict;
    expect(v('auth [success=1 default=ignore] pam_unix.so nullok\n')).toBe('fail');
    expect(v('auth [success=1 default=ignore] /lib/security/pam_unix.so try_first_pass nullok_secure\n')).toBe('fail');
    expect(v('auth [success=1 default=ignore] pam_unix.so\n# auth pam_unix.so nullok\n')).toBe('pass');
    expect(v('auth required pam_sss.so nullok\n')).toBe('pass');
  });

  it('present: a flag on the line or in the configuration file', () => {
    const root = check({ module: 'pam_faillock', stack: 'auth', files: ['common-auth'], arg: ['even_deny_root', 'root_unlock_time'], op: 'present', config_fact: 'pam.faillock' });
    const st = { '/etc/pam.d/common-auth': 'auth required pam_faillock.so preauth\n' };
    expect(verdict(root, st, 'deny = 5\neven_deny_root\n')).toBe('pass');
    expect(verdict(root, st, 'root_unlock_time = 60\n')).toBe('pass');
    expect(verdict(root, { '/etc/pam.d/common-auth': 'auth required pam_faillock.so preauth even_deny_root\n' }, null)).toBe('pass');
    expect(verdict(root, st, '# even_deny_root\n')).toBe('fail');
  });
});
