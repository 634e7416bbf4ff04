import { describe, expect, it } from 'vitest';
import type { Host } from '../../../shared/api/schemas/workspace.js';
import {
  askedHosts,
  credentialsFor,
  credentialsToRemember,
  secretFields,
  storedByHost,
} from '../../../renderer/src/screens/scan/setupModel.js';
import { host } from './host-fixture.js';

const pw = host({ id: 'pw', name: 'db01', auth: { type: 'password' }, privilege: 'sudo' });
const key = host({ id: 'key', name: 'web01' });
const need = (h: Host) => askedHosts([h], new Set([h.id]))[0]!;

describe('stored secrets on the scan screen', () => {
  it('marks stored secrets only where secrets can be stored', () => {
    const stored = [
      { hostId: 'pw', purpose: 'login' as const },
      { hostId: 'pw', purpose: 'sudo' as const },
      { hostId: 'key', purpose: 'login' as const },
    ];
    expect(storedByHost(stored, true)).toEqual({ pw: ['login', 'sudo'], key: ['login'] });
    // Without a keychain a stored secret is not used by scans: the screen does not offer it.
    expect(storedByHost(stored, false)).toEqual({});
  });

  it('persistent: every field offers Remember; a stored field may stay empty, says stored, warns of nothing', () => {
    const fields = secretFields(need(pw), {}, ['login'], true);
    expect(
      fields.map((f) => [f.purpose, f.kind, f.label, f.stored, f.canRemember, f.remember, f.hint]),
    ).toEqual([
      ['login', 'password', 'Login password', true, true, false, ''],
      ['sudo', 'sudo', 'sudo password', false, true, false, ''],
    ]);
    expect(fields[0]!.placeholder).toBe('stored: leave empty to use it');
    // Not stored and empty: the password field warns; passphrase and sudo may be empty.
    expect(secretFields(need(pw), {}, [], true)[0]!.hint).toBe(
      'without it this host fails; the others still run',
    );
    expect(secretFields(need(key), {}, [], true).map((f) => [f.kind, f.hint, f.placeholder])).toEqual([
      ['passphrase', '', 'leave empty if the key has none'],
    ]);
    // Typed over a stored one: it wins for this scan, and replaces it when remembered.
    expect(secretFields(need(pw), { login: 'x' }, ['login'], true)[0]!.hint).toBe(
      'used for this scan instead of the stored one',
    );
    expect(
      secretFields(need(pw), { login: 'x', remember: { login: true } }, ['login'], true)[0],
    ).toMatchObject({
      remember: true,
      hint: 'replaces the stored one',
    });
  });

  it('not persistent: no Remember, nothing stored, even when ticked or listed', () => {
    const fields = secretFields(
      need(pw),
      { login: '', remember: { login: true, sudo: true } },
      ['login', 'sudo'],
      false,
    );
    expect(fields.map((f) => [f.stored, f.canRemember, f.remember])).toEqual([
      [false, false, false],
      [false, false, false],
    ]);
    expect(fields[0]!.hint).toBe('without it this host fails; the others still run');
  });

  it('remembers only typed secrets with Remember ticked, of asked hosts, only when persistent', () => {
    const jump = host({ id: 'jump', name: 'bastion', auth: { type: 'password' }, privilege: 'sudo' });
    const inner = host({ id: 'inner', name: 'inner', jumpHostId: 'jump', auth: { type: 'agent' } });
    const all = [pw, key, jump, inner];
    const chosen = new Set(['pw', 'key', 'inner']);
    const secrets = {
      pw: { login: 'p1', sudo: 's1', remember: { login: true } },
      key: { login: '', remember: { login: true } },
      // A jump host logs in but never runs sudo: its sudo password is neither sent nor kept.
      jump: { login: 'j1', sudo: 'never', remember: { login: true, sudo: true } },
      inner: { login: 'not asked', remember: { login: true } },
    };
    expect(credentialsToRemember(all, chosen, secrets, true)).toEqual([
      { hostId: 'pw', purpose: 'login', secret: 'p1' },
      { hostId: 'jump', purpose: 'login', secret: 'j1' },
    ]);
    expect(credentialsToRemember(all, chosen, secrets, false)).toEqual([]);
    // Every typed secret still goes to the scan, remembered or not.
    expect(credentialsFor(all, chosen, secrets).map((c) => `${c.hostId}:${c.purpose}`)).toEqual([
      'pw:login',
      'pw:sudo',
      'jump:login',
    ]);
  });
});
