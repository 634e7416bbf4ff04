import { describe, expect, it } from 'vitest';
import { HostChangesSchema, HostInputSchema, type Host } from '../../../shared/api/schemas/workspace.js';
import {
  EMPTY_FORM,
  changedFields,
  formFromHost,
  guessImportSource,
  hostFieldsFromForm,
  parseTags,
  shortFingerprint,
  shortPath,
  type HostFormValues,
} from '../../../renderer/src/screens/hosts/hostFormat.js';
import { formHints } from '../../../renderer/src/screens/hosts/hostHints.js';

const host: Host = {
  id: 'h1',
  engagementId: 'e1',
  name: 'web01',
  address: '10.0.0.5',
  port: 22,
  user: 'auditor',
  auth: { type: 'key', keyPath: '/home/a/.ssh/id_ed25519' },
  jumpHostId: null,
  privilege: 'auto',
  tags: ['web', 'dmz'],
  notes: null,
  pinnedFingerprint: 'SHA256:YwqOMUZwBlp/2PKuHhAp5beEd1Da8Lw15A0hiQK2IK8',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

describe('host display helpers', () => {
  it('shortens a fingerprint to its ends and leaves short values alone', () => {
    expect(shortFingerprint(host.pinnedFingerprint!)).toBe('SHA256:YwqOMU…QK2IK8');
    expect(shortFingerprint('SHA256:abc')).toBe('SHA256:abc');
  });
  it('shortens long paths to the last two parts', () => {
    expect(shortPath('/var/lib/foureyes-lab/keys/id_ed25519')).toBe('…/keys/id_ed25519');
    expect(shortPath('/keys/app')).toBe('/keys/app');
  });
  it('splits comma separated tags and drops empty ones', () => {
    expect(parseTags(' app, prod ,,')).toEqual(['app', 'prod']);
    expect(parseTags('')).toEqual([]);
  });
  it('guesses the import source from a file name', () => {
    expect(guessImportSource('customer.CSV')).toBe('csv');
    expect(guessImportSource('inventory/prod.yml')).toBe('ansible-yaml');
    expect(guessImportSource('hosts')).toBe('ansible-ini');
    expect(guessImportSource('/home/a/.ssh/config')).toBe('ssh_config');
    expect(guessImportSource('notes.txt')).toBeNull();
  });
});

describe('host form values', () => {
  it('a filled form is valid input for host.add', () => {
    const reading = hostFieldsFromForm({
      ...EMPTY_FORM,
      name: 'gw',
      address: '10.77.0.10',
      user: 'auditor',
      authType: 'agent',
      socket: ' /run/agent.sock ',
      tags: 'a, b',
      notes: '  ',
    });
    if (!reading.ok) throw new Error(reading.message);
    const parsed = HostInputSchema.parse(reading.fields);
    expect(parsed.auth).toEqual({ type: 'agent', socket: '/run/agent.sock' });
    expect(parsed.port).toBe(22);
    expect(parsed.notes).toBeNull();
    expect(parsed.tags).toEqual(['a', 'b']);
  });
  it('a port that is not a whole number is refused by the form with the port sentence, not sent as null', () => {
    const base = { ...EMPTY_FORM, name: 'x', address: 'x', user: 'u', keyPath: '/k' };
    for (const port of ['22a', 'abc', '-1', '2.5', '1e3']) {
      expect(hostFieldsFromForm({ ...base, port })).toEqual({
        ok: false,
        field: 'port',
        message: `Port must be a whole number from 1 to 65535 (got ${JSON.stringify(port)}).`,
      });
    }
    // A whole number out of range is sent, and the backend's schema refuses it with the same sentence.
    const far = hostFieldsFromForm({ ...base, port: '70000' });
    expect(far.ok).toBe(true);
    if (!far.ok) return;
    const r = HostInputSchema.safeParse(far.fields);
    expect(r.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [['port'], 'Port must be a whole number from 1 to 65535 (got 70000).'],
    ]);
  });
  it('an edit sends only what changed', () => {
    const fieldsOf = (v: HostFormValues) => {
      const r = hostFieldsFromForm(v);
      if (!r.ok) throw new Error(r.message);
      return r.fields;
    };
    const same = fieldsOf(formFromHost(host));
    expect(changedFields(host, same)).toEqual({});
    const renamed = fieldsOf({ ...formFromHost(host), name: ' web01-new ', tags: 'web' });
    const changes = changedFields(host, renamed);
    expect(Object.keys(changes).sort()).toEqual(['name', 'tags']);
    expect(HostChangesSchema.parse(changes)).toEqual({ name: 'web01-new', tags: ['web'] });
  });
  it('hints name the field, from the same schemas the backend uses', () => {
    const hints = formHints(
      { ...EMPTY_FORM, name: 'web01', address: '-oProxyCommand=x', user: 'a b', port: '0' },
      [host],
    );
    expect(hints.name).toContain('already called');
    expect(hints.address).toBe('Address must be a host name or an IP address (got "-oProxyCommand=x").');
    expect(hints.user).toBe('User must be a login name: letters, digits and _ . @ - (got "a b").');
    expect(hints.port).toBe('Port must be a whole number from 1 to 65535 (got "0").');
    expect(hints.keyPath).toBeDefined();
    expect(formHints(formFromHost(host), [])).toEqual({});
  });
});
