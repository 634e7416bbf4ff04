import { describe, expect, it } from 'vitest';
import { allowedCount, parseSudoListing } from '../../../main/collector/sudo-rules.js';

// Real output of sudo 1.9.13p3 (Debian 12), captured without a terminal: sudo wraps at 80 columns then.
// Rules: Cmnd_Alias READ = /usr/bin/cat, /usr/bin/chage -l *, /usr/bin/id ""; Runas_Alias OPS = root, daemon;
//   feaud ALL=(OPS) NOPASSWD: READ, !/usr/bin/cat /etc/shadow
//   feaud ALL=(ALL : ALL) PASSWD: /usr/sbin/sshd -T, NOPASSWD: /usr/sbin/nft list ruleset
const SHORT = "Matching Defaults entries for feaud on host1:\n    env_reset, mail_badpass,\n    secure_path=/usr/local/sbin\\:/usr/local/bin\\:/usr/sbin\\:/usr/bin\\:/sbin\\:/bin,\n    use_pty\n\nUser feaud may run the following commands on host1:\n    (root, daemon) NOPASSWD: /usr/bin/cat, /usr/bin/chage -l *, /usr/bin/id \"\",\n        !/usr/bin/cat /etc/shadow\n    (ALL : ALL) PASSWD: /usr/sbin/sshd -T, NOPASSWD: /usr/sbin/nft list ruleset\n";
// The same rules, `sudo -n -l -l`.
const LONG = "Matching Defaults entries for feaud on host1:\n    env_reset, mail_badpass,\n    secure_path=/usr/local/sbin\\:/usr/local/bin\\:/usr/sbin\\:/usr/bin\\:/sbin\\:/bin,\n    use_pty\n\nUser feaud may run the following commands on host1:\n\nSudoers entry:\n    RunAsUsers: root, daemon\n    Options: !authenticate\n    Commands:\n\t/usr/bin/cat\n\t/usr/bin/chage -l *\n\t/usr/bin/id \"\"\n\t!/usr/bin/cat /etc/shadow\n\nSudoers entry:\n    RunAsUsers: ALL\n    RunAsGroups: ALL\n    Options: authenticate\n    Commands:\n\t/usr/sbin/sshd -T\n\nSudoers entry:\n    RunAsUsers: ALL\n    RunAsGroups: ALL\n    Options: !authenticate\n    Commands:\n\t/usr/sbin/nft list ruleset\n";
// The lab's restricted host: one Cmnd_Alias of 19 commands, wrapped over several lines.
const WRAPPED = "Matching Defaults entries for feaud on host1:\n    env_reset, mail_badpass,\n    secure_path=/usr/local/sbin\\:/usr/local/bin\\:/usr/sbin\\:/usr/bin\\:/sbin\\:/bin,\n    use_pty, use_pty, logfile=/tmp/sx/sudo.log\n\nUser feaud may run the following commands on host1:\n    (root) NOPASSWD: /usr/bin/cat, /usr/bin/ls, /usr/bin/stat, /usr/bin/find,\n        /usr/bin/grep, /usr/bin/head, /usr/bin/getent, /usr/sbin/sshd -T,\n        /usr/sbin/nft list ruleset, /usr/bin/ss, /usr/bin/ps, /usr/sbin/sysctl\n        -a, /usr/sbin/auditctl -l, /usr/sbin/iptables-save, /usr/sbin/faillock,\n        /usr/bin/chage -l *, /usr/bin/lastlog, /usr/bin/journalctl,\n        /usr/bin/findmnt\n";

const rule = (runAs: string, command: string, nopasswd: boolean, negated = false) =>
  expect.objectContaining({ runAs, command, nopasswd, negated });

describe('parseSudoListing', () => {
  it('short form: aliases expanded, RunAs lists, NOPASSWD/PASSWD carried to the commands after them, negations', () => {
    const l = parseSudoListing(SHORT);
    expect(l.user).toBe('feaud');
    expect(l.host).toBe('host1');
    expect(l.defaults).toEqual(['env_reset', 'mail_badpass', 'secure_path=/usr/local/sbin\\:/usr/local/bin\\:/usr/sbin\\:/usr/bin\\:/sbin\\:/bin', 'use_pty']);
    expect(l.rules).toEqual([
      rule('root, daemon', '/usr/bin/cat', true),
      rule('root, daemon', '/usr/bin/chage -l *', true),
      rule('root, daemon', '/usr/bin/id ""', true),
      // The negation was wrapped onto a line of its own by sudo.
      rule('root, daemon', '/usr/bin/cat /etc/shadow', true, true),
      rule('ALL : ALL', '/usr/sbin/sshd -T', false),
      rule('ALL : ALL', '/usr/sbin/nft list ruleset', true),
    ]);
    expect(l.rules[4]?.tags).toEqual(['PASSWD']);
    expect(l.rules[5]?.tags).toEqual(['NOPASSWD']);
    expect(allowedCount(l)).toBe(5);
  });

  it('long form (sudo -l -l): RunAsUsers and RunAsGroups, Options authenticate / !authenticate, one command a line', () => {
    const l = parseSudoListing(LONG);
    expect(l.user).toBe('feaud');
    expect(l.rules).toEqual([
      rule('root, daemon', '/usr/bin/cat', true),
      rule('root, daemon', '/usr/bin/chage -l *', true),
      rule('root, daemon', '/usr/bin/id ""', true),
      rule('root, daemon', '/usr/bin/cat /etc/shadow', true, true),
      rule('ALL : ALL', '/usr/sbin/sshd -T', false),
      rule('ALL : ALL', '/usr/sbin/nft list ruleset', true),
    ]);
  });

  it('a wrapped line is joined where sudo broke it, even inside a command and its arguments', () => {
    const l = parseSudoListing(WRAPPED);
    expect(l.rules.map((r) => r.command)).toEqual([
      '/usr/bin/cat', '/usr/bin/ls', '/usr/bin/stat', '/usr/bin/find', '/usr/bin/grep', '/usr/bin/head', '/usr/bin/getent',
      '/usr/sbin/sshd -T', '/usr/sbin/nft list ruleset', '/usr/bin/ss', '/usr/bin/ps', '/usr/sbin/sysctl -a',
      '/usr/sbin/auditctl -l', '/usr/sbin/iptables-save', '/usr/sbin/faillock', '/usr/bin/chage -l *', '/usr/bin/lastlog',
      '/usr/bin/journalctl', '/usr/bin/findmnt',
    ]);
    expect(l.rules.every((r) => r.runAs === 'root' && r.nopasswd)).toBe(true);
    expect(l.defaults).toContain('logfile=/tmp/sx/sudo.log');
  });

  it('ALL, several entries, 1.9 options before a command, and an escaped comma inside arguments', () => {
    const text = [
      'User alice may run the following commands on web1:',
      '    (ALL : ALL) ALL',
      '    (root) NOPASSWD: CWD=/ TIMEOUT=60 /usr/bin/cat, /usr/sbin/sshd -T -C user=root\\,host=x',
      '    (postgres) SETENV: NOPASSWD: /usr/bin/psql',
      '',
    ].join('\n');
    const l = parseSudoListing(text);
    expect(l.rules).toEqual([
      rule('ALL : ALL', 'ALL', false),
      rule('root', '/usr/bin/cat', true),
      rule('root', '/usr/sbin/sshd -T -C user=root\\,host=x', true),
      rule('postgres', '/usr/bin/psql', true),
    ]);
    expect(l.rules[3]?.tags).toEqual(['SETENV', 'NOPASSWD']);
  });

  it('what sudo says when it lists nothing gives no rules, never an exception', () => {
    for (const t of ['sudo: a password is required\n', 'Sorry, user bob may not run sudo on h.\n', '', '\u0000\xff(((', '    (root) \n']) {
      expect(parseSudoListing(t).rules).toEqual([]);
    }
  });
});
