import { describe, expect, it } from 'vitest';
import { parseGroup, parsePasswd, parseShadowClasses } from '../../../main/engine/parsers/accounts.js';
import {
  isUnconditionalDrop,
  isUnconditionalIptablesDrop,
  parseIptablesSave,
  parseNftRuleset,
} from '../../../main/engine/parsers/firewall.js';
import { parseKeyValue } from '../../../main/engine/parsers/keyvalue.js';
import { parseLastlog } from '../../../main/engine/parsers/lastlog.js';
import { mountAt, parseMounts } from '../../../main/engine/parsers/mounts.js';
import { detectPlatform } from '../../../main/engine/parsers/os-release.js';
import { parsePackages } from '../../../main/engine/parsers/packages.js';
import { parsePs } from '../../../main/engine/parsers/ps.js';
import { isLoopback, parseSs } from '../../../main/engine/parsers/ss.js';
import { grantsAll, parseSudoers } from '../../../main/engine/parsers/sudoers.js';
import { parseSysctl } from '../../../main/engine/parsers/sysctl.js';
import { text, OS_RELEASE } from './fixtures/build.js';

describe('account databases', () => {
  it('parses passwd, skipping comments and NIS compat lines, and reports malformed lines', () => {
    const p = parsePasswd(
      'root:x:0:0:root:/root:/bin/bash\n# c\n+::::::\nbroken line\nalice:x:1000:1000:A:/home/alice:/bin/bash\n',
    );
    expect(p.entries.map((e) => [e.name, e.uid, e.shell])).toEqual([
      ['root', 0, '/bin/bash'],
      ['alice', 1000, '/bin/bash'],
    ]);
    expect(p.malformed).toEqual([{ line: 4, text: 'broken line' }]);
  });
  it('parses group members and shadow classes', () => {
    expect(parseGroup('sudo:x:27:alice,bob\n').entries[0]?.members).toEqual(['alice', 'bob']);
    const s = parseShadowClasses('alice:hash:20000:1:365:7:30::\nsvc:weird:::::::\n').entries;
    expect(s[0]).toMatchObject({
      name: 'alice',
      class: 'hash',
      lastchg: 20000,
      max: 365,
      inactive: 30,
      expire: null,
    });
    expect(s[1]?.class).toBe('unknown');
  });
});

describe('key/value files', () => {
  it('space style (login.defs)', () => {
    const kv = parseKeyValue(text('login.defs.debian12'), 'space');
    expect(kv.find((e) => e.key === 'PASS_MAX_DAYS')?.value).toBe('99999');
    expect(kv.find((e) => e.key === 'UID_MIN')?.value).toBe('1000');
  });
  it('equals style with sections, ; comments and quotes', () => {
    const kv = parseKeyValue(
      '[Journal]\n; c\nStorage = "persistent"\n[Upload]\nURL=https://x:19532 # trailing\n',
      'equals',
    );
    expect(kv.map((e) => [e.section, e.key, e.value])).toEqual([
      ['journal', 'Storage', 'persistent'],
      ['upload', 'URL', 'https://x:19532'],
    ]);
  });
});

describe('sysctl, mounts, packages, processes, sockets', () => {
  it('sysctl lines normalise slashes and blanks', () => {
    const m = parseSysctl('net/ipv4/ip_forward=1\n-kernel.x = 1\t2\n');
    expect(m.get('net.ipv4.ip_forward')?.value).toBe('1');
    expect(m.get('kernel.x')?.value).toBe('1 2');
  });
  it('mounts decode octal escapes and the last mount on a point wins', () => {
    const m = parseMounts(
      '/dev/a /mnt/my\\040disk ext4 rw 0 0\n/dev/b /tmp ext4 rw,nodev 0 0\ntmpfs /tmp tmpfs rw,nosuid,nodev,noexec 0 0\n',
    );
    expect(m[0]?.mountPoint).toBe('/mnt/my disk');
    expect(mountAt(m, '/tmp/')?.options).toContain('noexec');
  });
  it('packages: dpkg current state decides, multi-arch entries kept', () => {
    const p = parsePackages('telnetd\t1\trc \nsudo\t1.9\tii \nlibc6\t2.36\tii \nlibc6\t2.36\thi \n');
    expect(p.get('telnetd')?.[0]?.installed).toBe(false);
    expect(p.get('sudo')?.[0]?.installed).toBe(true);
    expect(p.get('libc6')).toHaveLength(2);
    expect(p.get('libc6')?.every((e) => e.installed)).toBe(true);
  });
  it('ps: command name is the fourth word', () => {
    expect(parsePs(text('ps-debian.txt')).find((p) => p.comm === 'chronyd')).toMatchObject({
      user: '_chrony',
      pid: 530,
      ppid: 1,
    });
  });
  it('ss: addresses, interfaces, ports, processes, loopback', () => {
    const s = parseSs(text('ss-debian.txt'));
    const resolver = s.find((x) => x.port === 53);
    expect(resolver).toMatchObject({ address: '127.0.0.53', iface: 'lo', proto: 'tcp' });
    expect(isLoopback(resolver!)).toBe(true);
    const v6 = s.find((x) => x.address === '::' && x.port === 22);
    expect(v6?.processes).toEqual([{ name: 'sshd', pid: 640 }]);
    expect(isLoopback(v6!)).toBe(false);
    expect(isLoopback({ address: '::1' })).toBe(true);
    expect(parseSs('Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n')).toEqual([]);
  });
});

describe('platform detection', () => {
  it.each([
    [OS_RELEASE.debian, 'debian'],
    [OS_RELEASE.ubuntu, 'ubuntu'],
    [OS_RELEASE.rhel, 'rhel-family'],
    ['ID=almalinux\nID_LIKE="rhel centos fedora"\n', 'rhel-family'],
    ['ID="ol"\n', 'rhel-family'],
    ['ID=linuxmint\nID_LIKE="ubuntu debian"\n', 'ubuntu'],
    ['ID=raspbian\nID_LIKE=debian\n', 'debian'],
    [OS_RELEASE.alpine, null],
    ['', null],
  ])('%#: %j', (content, platform) => expect(detectPlatform(content).platform).toBe(platform));
});

describe('sudoers', () => {
  it('follows @includedir, skipping files with a dot or ending in ~', () => {
    const s = parseSudoers([
      { path: '/etc/sudoers', content: text('sudoers.debian12') },
      { path: '/etc/sudoers.d/10-ops', content: '%ops ALL=(ALL) NOPASSWD: ALL\n' },
      { path: '/etc/sudoers.d/20-old.bak', content: 'eve ALL=(ALL) NOPASSWD: ALL\n' },
      { path: '/etc/sudoers.d/30-x~', content: 'mallory ALL=(ALL) NOPASSWD: ALL\n' },
    ]);
    expect(s.filesRead).toEqual(['/etc/sudoers', '/etc/sudoers.d/10-ops']);
    expect(s.specs.map((x) => x.users)).toEqual(['root', '%sudo', '%ops']);
    expect(s.defaults.flatMap((d) => d.settings.map((x) => x.name))).toContain('use_pty');
  });
  it('joins continuations, keeps #uid, and inherits tags across commands', () => {
    const s = parseSudoers([
      {
        path: '/etc/sudoers',
        content: '#1000 ALL=(ALL) PASSWD: /bin/ls, \\\n  NOPASSWD: /bin/cat, ALL # trailing comment\n',
      },
    ]);
    const spec = s.specs[0];
    expect(spec?.users).toBe('#1000');
    expect(spec?.commands.map((c) => [c.command, c.tags])).toEqual([
      ['/bin/ls', ['PASSWD']],
      ['/bin/cat', ['NOPASSWD']],
      ['ALL', ['NOPASSWD']],
    ]);
  });
  it('reads scoped Defaults and Cmnd_Alias expansion', () => {
    const s = parseSudoers([
      {
        path: '/etc/sudoers',
        content:
          'Defaults:deploy !authenticate, !requiretty\nCmnd_Alias ANY = ALL\nCmnd_Alias SAFE = /bin/ls\n',
      },
    ]);
    expect(s.defaults[0]).toMatchObject({
      scope: ':deploy',
      settings: [
        { name: 'authenticate', negated: true },
        { name: 'requiretty', negated: true },
      ],
    });
    expect(grantsAll(s, 'ANY')).toBe(true);
    expect(grantsAll(s, 'SAFE')).toBe(false);
    expect(grantsAll(s, 'UNKNOWN')).toBe(false);
  });
});

describe('firewall rulesets', () => {
  it('nft: chains, hooks, policies, rules; sets do not confuse the structure', () => {
    const chains = parseNftRuleset(text('nft-drop.txt'));
    expect(chains.map((c) => [c.name, c.hook, c.policy])).toEqual([
      ['input', 'input', 'drop'],
      ['output', 'output', 'accept'],
    ]);
    expect(chains[0]?.rules.map((r) => r.text)).toContain('ct state established,related accept');
    const fwd = parseNftRuleset(text('nft-firewalld.txt'));
    const input = fwd.find((c) => c.hook === 'input');
    expect(input?.policy).toBe('accept');
    expect(isUnconditionalDrop(input!.rules.at(-1)!.text)).toBe(true);
    expect(isUnconditionalDrop('ct state { invalid } drop')).toBe(false);
  });
  it('iptables-save: policies and rules of the filter table', () => {
    const t = parseIptablesSave(text('iptables-drop.txt'))[0]!;
    expect(t.policies.get('INPUT')?.policy).toBe('DROP');
    expect(t.rules).toHaveLength(3);
    expect(isUnconditionalIptablesDrop('-j REJECT --reject-with icmp-host-prohibited')).toBe(true);
    expect(isUnconditionalIptablesDrop('-p tcp -j DROP')).toBe(false);
  });
});

describe('lastlog', () => {
  it('parses never-logged-in and dated entries with their offset', () => {
    const l = parseLastlog(
      'Username Port From Latest\nroot **Never logged in**\nalice pts/0 10.0.0.5 Mon May 26 09:12:44 +0200 2025\n',
    );
    expect(l[0]).toMatchObject({ name: 'root', never: true, lastLogin: null });
    expect(l[1]?.lastLogin).toBe(Date.UTC(2025, 4, 26, 7, 12, 44));
  });
});
