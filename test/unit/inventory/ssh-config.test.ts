import { describe, expect, it } from 'vitest';
import { parseSshConfigInventory } from '../../../main/inventory/ssh-config.js';

const opts = { home: '/home/ann', localUser: 'ann' };
const parse = (text: string) => parseSshConfigInventory(text, 'config', opts);
const byName = (text: string) => Object.fromEntries(parse(text).hosts.map((h) => [h.name, h]));

describe('ssh_config inventory', () => {
  it('one host per concrete name; HostName (with %h), Port, User, IdentityFile with ~ expanded', () => {
    const r = parse(`Host web1 web2
  HostName %h.corp.example
  Port 2222
  User audit
  IdentityFile ~/.ssh/audit_ed25519

Host db01
  HostName 10.0.0.5
`);
    expect(r.problems).toEqual([]);
    expect(r.hosts).toEqual([
      {
        name: 'web1',
        address: 'web1.corp.example',
        port: 2222,
        user: 'audit',
        identityFile: '/home/ann/.ssh/audit_ed25519',
        groups: [],
        line: 1,
      },
      {
        name: 'web2',
        address: 'web2.corp.example',
        port: 2222,
        user: 'audit',
        identityFile: '/home/ann/.ssh/audit_ed25519',
        groups: [],
        line: 1,
      },
      { name: 'db01', address: '10.0.0.5', groups: [], line: 7 },
    ]);
  });

  it('wildcard blocks give defaults the way ssh does: the first value obtained wins, in file order', () => {
    const h = byName(`Host *.prod
  User produser

Host app1.prod
  User appuser
  Port 2200

Host app2.prod !app3.prod
  HostName 10.9.0.2

Host app3.prod

Host *
  User fallback
  Port 22
  IdentityFile %d/.ssh/id_%r
`);
    // app1: the wildcard block comes first, so its User wins over the host's own (as in ssh).
    expect(h['app1.prod']).toMatchObject({
      user: 'produser',
      port: 2200,
      identityFile: '/home/ann/.ssh/id_produser',
    });
    expect(h['app2.prod']).toMatchObject({ address: '10.9.0.2', user: 'produser', port: 22 });
    expect(h['app3.prod']).toMatchObject({ address: 'app3.prod', user: 'produser' });
    // Patterns are not hosts.
    expect(Object.keys(h).sort()).toEqual(['app1.prod', 'app2.prod', 'app3.prod']);
  });

  it('a name in several blocks gets all of them, and is one host', () => {
    const r = parse(`Host a
  HostName 10.0.0.1
Host b a
  User shared
  Port 2022
`);
    expect(r.hosts.map((x) => [x.name, x.address, x.user, x.port, x.line])).toEqual([
      ['a', '10.0.0.1', 'shared', 2022, 1],
      ['b', 'b', 'shared', 2022, 3],
    ]);
  });

  it('ProxyJump: first hop kept as the jump (user@host:port too), a longer chain reported, none means none', () => {
    const r = parse(`Host bastion
  HostName 192.0.2.10
Host mid
  HostName 10.1.0.1
  ProxyJump bastion
Host deep
  HostName 10.2.0.1
  ProxyJump mid
Host far
  HostName 10.3.0.1
  ProxyJump ops@bastion:2200,mid
Host direct
  ProxyJump none
Host *
  ProxyJump bastion
`);
    const h = Object.fromEntries(r.hosts.map((x) => [x.name, x]));
    expect(h['mid']?.jump).toBe('bastion');
    expect(h['deep']?.jump).toBe('mid');
    expect(h['far']?.jump).toBe('ops@bastion:2200');
    expect(h['direct']?.jump).toBeUndefined();
    // The catch-all applies to the bastion too (as in ssh): it names itself; the import drops such a jump.
    expect(h['bastion']?.jump).toBe('bastion');
    expect(r.problems.map((p) => [p.line, p.message])).toEqual([
      [
        9,
        'config:9: host far: ProxyJump ops@bastion:2200,mid: only the first hop (ops@bastion:2200) is kept as its jump host',
      ],
    ]);
  });

  it('Match blocks are skipped with a note (never evaluated, exec never run); Include is reported', () => {
    const r = parse(`Host a
  HostName 10.0.0.1
Match host a exec "touch /tmp/fe-must-not-exist"
  User matched
  Port 2999
Include ~/.ssh/conf.d/*
Host b
`);
    expect(r.hosts.map((x) => [x.name, x.user, x.port])).toEqual([
      ['a', undefined, undefined],
      ['b', undefined, undefined],
    ]);
    expect(r.problems.map((p) => p.line)).toEqual([3, 6]);
    expect(r.problems[0]!.message).toMatch(/^config:3: Match blocks are not applied/);
    expect(r.problems[1]!.message).toMatch(/^config:6: Include is not followed/);
  });

  it('garbage, broken lines and bad values become problems with line numbers; the rest is read', () => {
    const r = parse(`this is not ssh_config
Host good
  HostName 10.0.0.7
Host
  Port 1
Host "bad name"
Host badport
  Port notaport
Host quote "unterminated
  User lost
Host viaproxy
  ProxyCommand nc %h %p
Host weird
  HostName -oProxyCommand=evil
Host last
\u0000\u0001 binary
`);
    expect(r.hosts.map((h) => h.name)).toEqual(['good', 'last']);
    const lines = r.problems.map((p) => p.line);
    expect(lines).toEqual([1, 4, 6, 7, 9, 11, 13, 16]);
    for (const p of r.problems) expect(p.message.startsWith(`config:${p.line}: `)).toBe(true);
    expect(r.problems.find((p) => p.line === 7)?.message).toBe(
      'config:7: badport: Port must be a whole number from 1 to 65535 (got "notaport").',
    );
    expect(r.problems.find((p) => p.line === 11)?.message).toContain('ProxyCommand, which is not supported');
    expect(r.problems.find((p) => p.line === 13)?.message).toBe(
      'config:13: weird: Address "-oProxyCommand=evil" is not a host name or an IP address.',
    );
  });

  it('never throws on arbitrary input and stays bounded', () => {
    const inputs = [
      '',
      '\n\n',
      '"',
      'Host "',
      'Match',
      'Match host',
      '=',
      'Host=a\nHostName=1.2.3.4',
      '\r\r\rHost x\r',
    ];
    for (const t of inputs) expect(() => parseSshConfigInventory(t)).not.toThrow();
    // Patterns that would make regular expressions backtrack for long: refused, quickly.
    const slow = parse(`Host *a*a*a*a*a*a*a*a\n  User x\nHost ${'a'.repeat(250)}b\n`);
    expect(slow.problems.map((p) => p.line)).toEqual([1]);
    expect(slow.problems[0]!.message).toContain('more than 3 wildcards');
    expect(slow.hosts).toHaveLength(1);
    expect(slow.hosts[0]!.user).toBeUndefined();
    expect(byName('Host=a\nHostName=1.2.3.4')['a']?.address).toBe('1.2.3.4');
    // Many hosts and many pattern blocks: bounded work, reported.
    const many = Array.from({ length: 6000 }, (_v, i) => `Host h${i}`).join('\n');
    const t0 = Date.now();
    const r = parseSshConfigInventory(
      `${many}\n${Array.from({ length: 600 }, (_v, i) => `Host p${i}*\n  Port 2`).join('\n')}`,
    );
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.hosts).toHaveLength(5000);
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(
      /more than 5000 hosts[\s\S]*more than 500 Host blocks with patterns/,
    );
  }, 30_000);
});
