import { describe, expect, it } from 'vitest';
import { engagementView } from '../../../main/aaa/engagement-view.js';
import { hostView } from '../../../main/aaa/host-view.js';
import { loadCatalogueQuick } from '../../../main/catalogue/catalogue.js';
import { scenarioSnapshot } from '../../../main/catalogue/scenario.js';
import { evaluateAll } from '../../../main/engine/evaluate.js';

const RSA1024 =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDij1zTo4Ifgpb1ZhWyHtFzpGxzrTp85kbl4IR5rswVLDVcZC8Eu16Gx7XxxXlk6PDnREbIe7XDZkUkJjuNdpMSE+FJmrvquSHUfgBBvAZrmnyf6Z7PxDWfu++PFaUmjyuSvi4gxdB4Hw6yDK9O3P3rt76zYQELn5zKCXs86GlD3Q== old@laptop';
const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINJKSdFg/Lg8ak/Mrv3Orp8ujOZvyiN3ya3DJaVveU0M alice@ws';

/** An IPA-enrolled host with local leftovers, a directory sudo group and an account whose name holds an escape. */
const snapshot = scenarioSnapshot({
  files: {
    'auth.nsswitch': 'passwd: files sss\ngroup: files sss\nsudoers: files sss\n',
    'auth.ipa': '[global]\nrealm = EXAMPLE.TEST\ndomain = example.test\nserver = ipa1.example.test\n',
    'accounts.passwd':
      'root:x:0:0:root:/root:/bin/bash\n' +
      'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n' +
      'ops:x:1001:1001::/home/ops:/bin/bash\n' +
      'old:x:1002:1002::/home/old:/bin/bash\n' +
      'ev\x1bil:x:1003:1003::/home/evil:/bin/sh\n' +
      'toor:x:0:0::/root2:/bin/bash\n',
    'accounts.group': 'root:x:0:\nsudo:x:27:ops\nops:x:1001:\nold:x:1002:\nwheel:x:10:old\n',
    'accounts.login_defs': 'UID_MIN 1000\n',
  },
  sets: {
    'auth.krb5': { '/etc/krb5.conf': '[libdefaults]\n  default_realm = EXAMPLE.TEST\n' },
    'auth.sssd': {
      '/etc/sssd/sssd.conf':
        '[sssd]\ndomains = example.test\n[domain/example.test]\nid_provider = ipa\nauth_provider = ipa\naccess_provider = ipa\n',
    },
    'sshd.authorized_keys': {
      '/home/ops/.ssh/authorized_keys': `${ED25519}\n`,
      '/home/old/.ssh/authorized_keys': `${RSA1024}\n`,
    },
    'sudo.sudoers': {
      '/etc/sudoers':
        'Defaults use_pty\nroot ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n',
      '/etc/sudoers.d/ops':
        'User_Alias ADMINS = old\nADMINS ALL=(root) NOPASSWD: ALL\n%admins@example.test ALL=(root) /usr/bin/systemctl restart *\n',
    },
    'pam.files': {
      '/etc/pam.d/sshd': 'auth required pam_google_authenticator.so\n@include common-auth\n',
      '/etc/pam.d/common-auth': 'auth [success=2 default=ignore] pam_sss.so\nauth required pam_unix.so\n',
    },
  },
  cmds: {
    'accounts.shadow':
      'root:locked:19000:0:99999:7:::\ndaemon:locked:19000:0:99999:7:::\nops:locked:19000:0:99999:7:::\nold:hash:19000:0:::::\nev\x1bil:empty:19000:0:99999:7:::\ntoor:hash:19000:0:99999:7::19001:\n',
    'accounts.lastlog':
      'Username         Port     From             Latest\nroot                                       **Never logged in**\nops              pts/0    10.0.0.5         Mon Dec  1 10:00:00 +0000 2025\nold              pts/0    10.0.0.6         Mon Jan  2 10:00:00 +0000 2023\n',
  },
});

describe('AAA host view', async () => {
  const cat = await loadCatalogueQuick();
  const results = evaluateAll(snapshot, cat.checks);
  const view = hostView({ hostRunId: 'run1', hostName: 'ipa-client', snapshot, results, checks: cat.byId });
  const account = (name: string) => view.accounts.find((a) => a.name === name);

  it('sees the directory: nsswitch, IPA enrolment, the SSSD domain, Kerberos and pam_sss', () => {
    expect(view.central).toMatchObject({
      inUse: true,
      providers: ['freeipa', 'kerberos', 'sssd'],
      ipa: { realm: 'EXAMPLE.TEST', domain: 'example.test', server: 'ipa1.example.test' },
      kerberosRealm: 'EXAMPLE.TEST',
      pamModules: ['pam_sss'],
    });
    expect(view.central.sssdDomains).toEqual([
      { name: 'example.test', idProvider: 'ipa', authProvider: 'ipa', accessProvider: 'ipa' },
    ]);
  });

  it('lists each account with its state, keys and flags', () => {
    expect(account('ops')).toMatchObject({
      password: 'locked',
      canLogIn: true,
      keys: { count: 1, types: ['ssh-ed25519'] },
      lastLogin: '2025-12-01',
    });
    expect(account('ops')?.flags).toContain('password locked, but SSH keys can still log in');
    expect(account('ops')?.flags).toContain('local account that can log in although a directory is in use');
    expect(account('old')).toMatchObject({
      password: 'hash',
      canLogIn: true,
      keys: { count: 1, types: ['ssh-rsa 1024'] },
    });
    expect(account('old')?.flags).toEqual(
      expect.arrayContaining(['password never expires', 'may run every command without a password (sudo)']),
    );
    expect(account('old')?.flags.some((f) => /^no login for \d+ days$/.test(f))).toBe(true);
    // toor's account expired (day 19001) before the snapshot: it cannot log in, but is a second root.
    expect(account('toor')).toMatchObject({ expired: true, canLogIn: false });
    expect(account('toor')?.flags).toContain('uid 0: a second root');
    expect(account('daemon')).toMatchObject({ loginShell: false, personal: false, canLogIn: false });
  });

  it('shows a target name in its text form, never the raw escape byte', () => {
    const evil = view.accounts.find((a) => a.uid === 1003);
    expect(evil?.name).toBe('ev\\x1bil');
    expect(evil?.flags).toContain('empty password');
    expect(JSON.stringify(view)).not.toContain('\x1b');
  });

  it('expands sudo rules to the local accounts they reach, aliases and groups included', () => {
    const byPrincipal = new Map(view.sudo.grants.map((g) => [g.principal, g]));
    expect(byPrincipal.get('%sudo')).toMatchObject({
      kind: 'group',
      accounts: ['ops'],
      all: true,
      nopasswd: false,
      source: '/etc/sudoers:3',
    });
    expect(byPrincipal.get('old (ADMINS)')).toMatchObject({
      kind: 'alias',
      accounts: ['old'],
      all: true,
      nopasswd: true,
      runAs: 'root',
    });
    // A directory group: this host cannot say who is in it.
    expect(byPrincipal.get('%admins@example.test')).toMatchObject({
      unresolved: true,
      accounts: [],
      all: false,
      commands: ['/usr/bin/systemctl restart *'],
    });
    expect(account('ops')?.sudo).toEqual(['ALL:ALL: ALL [%sudo, /etc/sudoers:3]']);
  });

  it('finds the second factor in the PAM stacks and groups the aaa verdicts', () => {
    expect(view.secondFactor).toEqual([{ module: 'pam_google_authenticator', file: '/etc/pam.d/sshd' }]);
    const keys = view.checks.logIn.find((c) => c.checkId === 'sshd-authorized-keys-strong');
    expect(keys?.verdict).toBe('fail');
    expect(view.checks.logIn.find((c) => c.checkId === 'central-auth-no-local-logins')?.verdict).toBe('fail');
    expect(view.checks.authorised.find((c) => c.checkId === 'sudo-nopasswd-all')?.verdict).toBe('fail');
    expect(view.checks.recorded.length).toBeGreaterThan(10);
  });

  it('says what it could not read, without privilege', () => {
    const unpriv = hostView({
      hostRunId: 'run2',
      hostName: 'h',
      snapshot: { ...snapshot, privileged: false },
      results: [],
      checks: cat.byId,
    });
    expect(unpriv.unread.map((u) => u.factId)).toEqual(
      expect.arrayContaining(['accounts.shadow', 'sudo.sudoers', 'sshd.authorized_keys', 'auth.sssd']),
    );
    expect(unpriv.unread.every((u) => u.why.length > 0)).toBe(true);
    const ops = unpriv.accounts.find((a) => a.name === 'ops');
    expect(ops).toMatchObject({ password: null, keys: null, sudo: [] });
  });

  it('sums up across hosts: where each personal account can log in', () => {
    const other = hostView({ hostRunId: 'run3', hostName: 'web1', snapshot, results, checks: cat.byId });
    const e = engagementView({ id: 'scan1', startedAt: '2026-12-01T00:00:00Z' }, [view, other]);
    expect(e.hosts.map((h) => [h.hostName, h.localBesideCentral, h.secondFactor])).toEqual([
      ['ipa-client', 3, true],
      ['web1', 3, true],
    ]);
    const old = e.accounts.find((a) => a.name === 'old');
    expect(old).toMatchObject({
      hosts: ['ipa-client', 'web1'],
      canLogInOn: ['ipa-client', 'web1'],
      sudoOn: ['ipa-client', 'web1'],
    });
    expect(e.accounts.some((a) => a.name === 'daemon')).toBe(false);
  });
});
