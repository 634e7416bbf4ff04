/**
 * Pure helpers of the Hosts screen: how hosts, auth methods and fingerprints are shown, how the form's text fields
 * become API input, and which import source a file name suggests. No DOM, no store: unit-tested on their own.
 */
import { portSentence } from '../../../../shared/api/schemas/sentences.js';
import type { Host, HostChanges, ImportSource } from '../../../../shared/api/schemas/workspace.js';

export type AuthType = Host['auth']['type'];

/** `SHA256:YwqOMU…QK2IK8`: enough to recognise a key at a glance; the full value goes in a title. */
export function shortFingerprint(fp: string): string {
  const body = fp.startsWith('SHA256:') ? fp.slice('SHA256:'.length) : fp;
  return body.length <= 14 ? fp : `SHA256:${body.slice(0, 6)}…${body.slice(-6)}`;
}

/** `/var/lib/lab/keys/id_ed25519` -> `…/keys/id_ed25519` (the full path goes in a title). */
export function shortPath(p: string): string {
  const parts = p.split('/');
  return parts.length > 3 ? `…/${parts.slice(-2).join('/')}` : p;
}

/** One word (plus the path when there is one) for the auth method. */
export function authLabel(auth: Host['auth']): string {
  switch (auth.type) {
    case 'key':
      return `key ${auth.keyPath}`;
    case 'agent':
      return auth.socket ? `agent ${auth.socket}` : 'agent';
    case 'password':
      return 'password (asked at scan start)';
  }
}

/** `a, b ,,c` -> `['a', 'b', 'c']`. */
export function parseTags(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

/** What the form edits, as text (every input of the form is a string). */
export interface HostFormValues {
  name: string;
  address: string;
  port: string;
  user: string;
  authType: AuthType;
  keyPath: string;
  socket: string;
  /** Id of the jump host, '' for none. */
  jumpHostId: string;
  privilege: Host['privilege'];
  tags: string;
  notes: string;
}

export const EMPTY_FORM: HostFormValues = {
  name: '',
  address: '',
  port: '22',
  user: '',
  authType: 'key',
  keyPath: '',
  socket: '',
  jumpHostId: '',
  privilege: 'auto',
  tags: '',
  notes: '',
};

export function formFromHost(h: Host): HostFormValues {
  return {
    name: h.name,
    address: h.address,
    port: String(h.port),
    user: h.user,
    authType: h.auth.type,
    keyPath: h.auth.type === 'key' ? h.auth.keyPath : '',
    socket: h.auth.type === 'agent' ? (h.auth.socket ?? '') : '',
    jumpHostId: h.jumpHostId ?? '',
    privilege: h.privilege,
    tags: h.tags.join(', '),
    notes: h.notes ?? '',
  };
}

/** What the form gives: host fields to send, or the sentence for a field the form itself cannot turn into one. */
export type HostFormReading =
  | { ok: true; fields: Required<HostChanges> }
  | { ok: false; field: 'port'; message: string };

/**
 * The form as host fields, otherwise unvalidated (the backend validates and its sentence names the field it
 * refuses). The port is the one field the form converts: text that is not a whole number has no number to send
 * (NaN would reach the backend as null), so the form refuses it itself, with the backend's sentence for ports.
 */
export function hostFieldsFromForm(v: HostFormValues): HostFormReading {
  const portText = v.port.trim();
  if (portText !== '' && !/^\d{1,5}$/.test(portText))
    return { ok: false, field: 'port', message: portSentence(portText) };
  const port = portText === '' ? 22 : Number(portText);
  const auth: Host['auth'] =
    v.authType === 'key'
      ? { type: 'key', keyPath: v.keyPath.trim() }
      : v.authType === 'agent'
        ? v.socket.trim()
          ? { type: 'agent', socket: v.socket.trim() }
          : { type: 'agent' }
        : { type: 'password' };
  return {
    ok: true,
    fields: {
      name: v.name,
      address: v.address,
      port,
      user: v.user,
      auth,
      jumpHostId: v.jumpHostId === '' ? null : v.jumpHostId,
      privilege: v.privilege,
      tags: parseTags(v.tags),
      notes: v.notes.trim() === '' ? null : v.notes,
    },
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Only the fields that differ from the stored host, so an edit of the tags does not look like an address change
 * (which would clear the pinned host key). Empty when nothing changed.
 */
export function changedFields(host: Host, fields: Required<HostChanges>): HostChanges {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields) as (keyof HostChanges)[]) {
    const next =
      key === 'name' || key === 'address' || key === 'user' ? String(fields[key]).trim() : fields[key];
    if (!same(next, host[key])) out[key] = fields[key];
  }
  return out as HostChanges;
}

/** Import source suggested by a file name; null when the name says nothing. */
export function guessImportSource(fileName: string): ImportSource | null {
  const base = fileName.toLowerCase().split(/[\\/]/).pop() ?? '';
  if (base.endsWith('.csv')) return 'csv';
  if (base.endsWith('.yml') || base.endsWith('.yaml')) return 'ansible-yaml';
  if (base.endsWith('.ini') || base === 'hosts' || base === 'inventory') return 'ansible-ini';
  if (base === 'config' || base.includes('ssh_config') || base.endsWith('.conf')) return 'ssh_config';
  return null;
}

export const IMPORT_SOURCE_LABELS: Record<ImportSource, string> = {
  csv: 'CSV',
  'ansible-ini': 'Ansible inventory (INI)',
  'ansible-yaml': 'Ansible inventory (YAML)',
  ssh_config: 'OpenSSH ssh_config',
};
