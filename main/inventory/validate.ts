import type { InventoryHost, InventoryProblem } from './types.js';

const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-_.]{0,252})$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;
const USER = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;

/** Characters of a refused value echoed in a problem: the value is untrusted and may be as long as the file. */
const SHOWN_CHARS = 60;

/** A refused value for a message: quoted (control characters escaped) and cut to SHOWN_CHARS. */
export function shown(v: string): string {
  return v.length > SHOWN_CHARS ? `${JSON.stringify(v.slice(0, SHOWN_CHARS))}…` : JSON.stringify(v);
}

export function isValidAddress(a: string): boolean {
  const m = IPV4.exec(a);
  if (m) return m.slice(1).every((o) => Number(o) <= 255);
  if (a.includes(':')) return IPV6.test(a);
  return HOSTNAME.test(a);
}

/**
 * Checks one host entry and returns a problem naming the field, or null.
 * Inventory files come from customers and other tools: treat every field as untrusted.
 */
export function checkHost(h: InventoryHost, where: string): string | null {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (!h.name || h.name.length > 253 || /[\s\u0000-\u001f]/.test(h.name)) return `${where}: invalid host name ${shown(h.name)}`;
  if (!isValidAddress(h.address)) return `${where}: host ${h.name}: invalid address ${shown(h.address)}`;
  if (h.port !== undefined && (!Number.isInteger(h.port) || h.port < 1 || h.port > 65535))
    return `${where}: host ${h.name}: invalid port ${JSON.stringify(h.port)}`;
  if (h.user !== undefined && !USER.test(h.user)) return `${where}: host ${h.name}: invalid user ${shown(h.user)}`;
  return null;
}

export function parsePort(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : /^\d+$/.test(String(v).trim()) ? Number(String(v).trim()) : NaN;
  return n;
}

/** Adds hosts that pass checkHost, records problems for the others, and drops duplicate names (first wins). */
export function collect(entries: { host: InventoryHost; line: number }[], file: string) {
  const hosts: InventoryHost[] = [];
  const problems: InventoryProblem[] = [];
  const seen = new Map<string, InventoryHost>();
  for (const { host, line } of entries) {
    const where = line > 0 ? `${file}:${line}` : file;
    const err = checkHost(host, where);
    if (err) {
      problems.push({ line, message: err });
      continue;
    }
    const prior = seen.get(host.name);
    if (prior) {
      // Ansible lists a host once per group: merge group memberships rather than calling it a duplicate.
      for (const g of host.groups) if (!prior.groups.includes(g)) prior.groups.push(g);
      continue;
    }
    seen.set(host.name, host);
    if (line > 0) host.line ??= line;
    hosts.push(host);
  }
  return { hosts, problems };
}
