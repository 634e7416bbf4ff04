import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJumpSpec, resolveAlias, resolveAliasFromText } from '../../../main/ssh/ssh-config.js';
import { tempDir } from './sshd-fixture.js';

let home: string;
const opts = () => ({ home, localUser: 'me', env: {} });

beforeAll(() => {
  home = tempDir('sshcfg');
  mkdirSync(join(home, '.ssh'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

const CONFIG = `
# Production
Host db01
  HostName 10.0.0.5
  Port 2222
  User auditor
  IdentityFile ~/.ssh/audit_ed25519
  UserKnownHostsFile ~/.ssh/known_hosts.audit /etc/foureyes/known_hosts
  StrictHostKeyChecking accept-new
  ProxyJump bastion

Host bastion
  HostName bastion.example.net
  User jump
  IdentityAgent ~/.ssh/agent.sock
  ProxyJump outer

Host outer
  HostName 192.0.2.1
  Port 22022
  IdentityFile %d/.ssh/outer_%r

Host app?? !app99
  HostName %h.internal.example
  ProxyJump ops@hop1:2200,hop2,[2001:db8::1]:22

Host hop1
  HostName 10.1.1.1
  User hopuser

Host hop2
  HostName 10.2.2.2
  ProxyJump never-followed

Host loop-a
  ProxyJump loop-b
Host loop-b
  ProxyJump loop-a

Host legacy
  ProxyCommand ssh -W %h:%p gateway

Host badport
  Port 99999

Host trap
  Match exec "touch /tmp/should-not-exist"

Host *
  StrictHostKeyChecking yes
  GlobalKnownHostsFile none
`;

describe('resolveAliasFromText', () => {
  it('HostName, Port, User, IdentityFile (~), UserKnownHostsFile list, accept-new, recursive ProxyJump', () => {
    const { target } = resolveAliasFromText(CONFIG, '/cfg', 'db01', opts());
    expect(target).toMatchObject({
      name: 'db01',
      address: '10.0.0.5',
      port: 2222,
      user: 'auditor',
      auth: { type: 'key', keyPath: join(home, '.ssh/audit_ed25519') },
      hostKey: { knownHostsFiles: [join(home, '.ssh/known_hosts.audit'), '/etc/foureyes/known_hosts'], acceptNew: true },
      privilege: 'auto',
    });
    // db01 -> bastion -> outer: bastion's own ProxyJump is followed, first hop first.
    expect(target.jumps.map((j) => [j.name, j.address, j.port, j.user])).toEqual([
      ['outer', '192.0.2.1', 22022, 'me'],
      ['bastion', 'bastion.example.net', 22, 'jump'],
    ]);
    expect(target.jumps[0]?.auth).toEqual({ type: 'key', keyPath: join(home, '.ssh/outer_me') });
    expect(target.jumps[1]?.auth).toEqual({ type: 'agent', socket: join(home, '.ssh/agent.sock') });
    // Host * says yes (first value wins for db01, which set accept-new); known_hosts defaults, global none.
    expect(target.jumps[1]?.hostKey).toEqual({ knownHostsFiles: [join(home, '.ssh/known_hosts'), join(home, '.ssh/known_hosts2')], acceptNew: false });
  });

  it('wildcards, negation and %h; a comma chain with user@host:port and IPv6; later hops do not follow their own ProxyJump', () => {
    const { target } = resolveAliasFromText(CONFIG, '/cfg', 'app07', opts());
    expect(target.address).toBe('app07.internal.example');
    expect(target.jumps.map((j) => [j.name, j.address, j.port, j.user])).toEqual([
      ['hop1', '10.1.1.1', 2200, 'ops'],
      ['hop2', '10.2.2.2', 22, 'me'],
      ['2001:db8::1', '2001:db8::1', 22, 'me'],
    ]);
    const neg = resolveAliasFromText(CONFIG, '/cfg', 'app99', opts()).target;
    expect(neg.address).toBe('app99');
    expect(neg.jumps).toEqual([]);
  });

  it('an unknown alias is itself the host, with defaults', () => {
    const { target, notes } = resolveAliasFromText(CONFIG, '/cfg', 'plain.example', opts());
    expect(target).toMatchObject({ address: 'plain.example', port: 22, user: 'me', auth: { type: 'password' }, jumps: [] });
    expect(notes).toContain('plain.example: no key and no agent; password authentication');
  });

  it('agent from SSH_AUTH_SOCK when no IdentityFile; default key file when present', () => {
    expect(resolveAliasFromText('', '/cfg', 'h', { ...opts(), env: { SSH_AUTH_SOCK: '/run/agent' } }).target.auth).toEqual({ type: 'agent' });
    writeFileSync(join(home, '.ssh', 'id_ecdsa'), 'x');
    try {
      expect(resolveAliasFromText('', '/cfg', 'h', opts()).target.auth).toEqual({ type: 'key', keyPath: join(home, '.ssh', 'id_ecdsa') });
    } finally {
      rmSync(join(home, '.ssh', 'id_ecdsa'));
    }
  });

  it('StrictHostKeyChecking no is accept-new with a note', () => {
    const r = resolveAliasFromText('Host x\n  StrictHostKeyChecking no\n', '/cfg', 'x', opts());
    expect(r.target.hostKey.acceptNew).toBe(true);
    expect(r.notes.join('\n')).toMatch(/treated as accept-new/);
  });

  it('refuses ProxyJump loops, ProxyCommand and bad ports, naming the file and host', () => {
    expect(() => resolveAliasFromText(CONFIG, '/cfg', 'loop-a', opts())).toThrow(/\/cfg: ProxyJump loop.*loop-a/);
    expect(() => resolveAliasFromText(CONFIG, '/cfg', 'legacy', opts())).toThrow(/\/cfg: host "legacy" uses ProxyCommand/);
    expect(() => resolveAliasFromText(CONFIG, '/cfg', 'badport', opts())).toThrow(/\/cfg: host "badport" has an invalid Port "99999"/);
  });

  it('never runs Match exec', () => {
    resolveAliasFromText(CONFIG, '/cfg', 'trap', opts());
    resolveAliasFromText('Match exec "touch /tmp/fe-match-exec-ran"\n  User x\n', '/cfg', 'any', opts());
    expect(existsSync('/tmp/fe-match-exec-ran')).toBe(false);
    expect(existsSync('/tmp/should-not-exist')).toBe(false);
  });
});

describe('parseJumpSpec', () => {
  it.each([
    ['host', { host: 'host' }],
    ['u@host', { user: 'u', host: 'host' }],
    ['u@host:2200', { user: 'u', host: 'host', port: 2200 }],
    ['[::1]:2200', { host: '::1', port: 2200 }],
    ['ssh://u@h.example:22', { user: 'u', host: 'h.example', port: 22 }],
  ])('%s', (s, want) => expect(parseJumpSpec(s)).toEqual(want));
  it('rejects junk', () => {
    expect(() => parseJumpSpec('a b')).toThrow(/not \[user@\]host\[:port\]/);
    expect(() => parseJumpSpec('h:0')).toThrow(/invalid port/);
  });
});

describe('resolveAlias (file)', () => {
  it('reads the file; a missing file is a clear error', () => {
    const f = join(home, '.ssh', 'config');
    writeFileSync(f, CONFIG);
    expect(resolveAlias('~/.ssh/config', 'db01', opts()).target.address).toBe('10.0.0.5');
    expect(() => resolveAlias(join(home, 'nope'), 'db01', opts())).toThrow(/cannot read SSH client configuration .*nope \(ENOENT\)/);
  });
});
