import { describe, expect, it } from 'vitest';
import { engagementView } from '../../../main/aaa/engagement-view.js';
import { hostView } from '../../../main/aaa/host-view.js';
import { loadCatalogueQuick } from '../../../main/catalogue/catalogue.js';
import { evaluateAll } from '../../../main/engine/evaluate.js';
import type { FileSetFact } from '../../../shared/facts/snapshot.js';
import { snapshot } from './fixture.js';

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
    // lastlog lists root as never logged in; toor it does not list at all: unknown, not never.
    expect(account('root')?.lastLogin).toBe('never');
    expect(account('toor')?.lastLogin).toBeNull();
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

  it('leaves the sudo rules unread, not partial, when one sudoers file could not be read', () => {
    const set = snapshot.facts['sudo.sudoers'] as FileSetFact;
    const files = set.files.map((f) => {
      if (f.path !== '/etc/sudoers.d/ops') return f;
      const { content: _dropped, ...rest } = f;
      return { ...rest, problem: 'denied' as const };
    });
    const partial = hostView({
      hostRunId: 'run3',
      hostName: 'h',
      snapshot: { ...snapshot, facts: { ...snapshot.facts, 'sudo.sudoers': { ...set, files } } },
      results: [],
      checks: cat.byId,
    });
    expect(partial.unread.map((u) => u.factId)).toContain('sudo.sudoers');
    expect(partial.sudo.grants).toEqual([]);
    expect(view.sudo.grants.length).toBeGreaterThan(0);
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
