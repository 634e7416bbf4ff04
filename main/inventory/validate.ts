import { portSentence, shownValue } from '../../shared/api/schemas/sentences.js';
import type { InventoryHost, InventoryProblem } from './types.js';

const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-_.]{0,252})$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;
const USER = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;

/** A refused value for a message: quoted (control characters escaped) and cut to 60 characters. */
export function shown(v: string): string {
  return shownValue(v);
}

export function isValidAddress(a: string): boolean {
  const m = IPV4.exec(a);
  if (m) return m.slice(1).every((o) => Number(o) <= 255);
  if (a.includes(':')) return IPV6.test(a);
  return HOSTNAME.test(a);
}

/**
 * Every problem of one host entry, one sentence each, prefixed with `where` (file:line) and naming the field; empty
 * when the entry is fine. Inventory files come from customers and other tools: treat every field as untrusted.
 */
export function checkHost(h: InventoryHost, where: string): string[] {
  const out: string[] = [];
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  const nameOk = h.name !== '' && h.name.length <= 253 && !/[\s\u0000-\u001f]/.test(h.name);
  if (h.name === '' && h.address === '') return [`${where}: The row has neither a name nor an address.`];
  if (!nameOk)
    out.push(`${where}: Name ${shown(h.name)} is not a usable host name (no spaces or control characters, at most 253).`);
  // A bad name is not repeated in front of the other problems: it is untrusted and already shown above.
  const who = nameOk ? `${where}: ${h.name}:` : `${where}:`;
  // An address taken from a refused name (no address given) is that same problem, not a second one.
  if (!isValidAddress(h.address) && (nameOk || h.address !== h.name)) out.push(`${who} Address ${shown(h.address)} is not a host name or an IP address.`);
  if (h.port !== undefined && (!Number.isInteger(h.port) || h.port < 1 || h.port > 65535))
    out.push(`${who} ${portSentence(h.portText ?? h.port)}`);
  if (h.user !== undefined && !USER.test(h.user))
    out.push(`${who} User ${shown(h.user)} is not a login name (letters, digits, _ . -; at most 32).`);
  return out;
}

/**
 * Sets the entry's port from the file's value: a whole number, or NaN with the text as written kept for the
 * message (so "abc" is reported as "abc", not as a number it never was). Nothing when the value is empty.
 */
export function setPort(h: InventoryHost, v: unknown): void {
  if (v === undefined || v === null || v === '') return;
  if (typeof v === 'number') {
    h.port = v;
    return;
  }
  if (typeof v !== 'string') {
    h.port = Number.NaN;
    return;
  }
  const text = v.trim();
  h.port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isNaN(h.port)) h.portText = text;
}

/** Adds hosts that pass checkHost, records problems for the others, and drops duplicate names (first wins). */
/** user@address:port as the entry gives it, for a message (values already checked: no control characters). */
function endpoint(h: InventoryHost): string {
  return `${h.user !== undefined ? `${h.user}@` : ''}${h.address}${h.port !== undefined ? `:${h.port}` : ''}`;
}

/**
 * Checks every entry and keeps the good ones, once per name. `distinctNames` (a table such as CSV, where each row is
 * one machine): a name used again for another address, port or user is a problem on that row, never dropped
 * silently. Otherwise (Ansible, which lists a host once per group) repeats of a name merge their groups.
 */
export function collect(
  entries: { host: InventoryHost; line: number }[],
  file: string,
  opts: { distinctNames?: boolean } = {},
) {
  const hosts: InventoryHost[] = [];
  const problems: InventoryProblem[] = [];
  const seen = new Map<string, InventoryHost>();
  for (const { host, line } of entries) {
    const where = line > 0 ? `${file}:${line}` : file;
    const errs = checkHost(host, where);
    if (errs.length > 0) {
      for (const message of errs) problems.push({ line, message });
      continue;
    }
    const prior = seen.get(host.name);
    if (prior) {
      if (opts.distinctNames && (prior.address !== host.address || prior.port !== host.port || prior.user !== host.user)) {
        // The same name for another machine (or login): refused with a word, never dropped silently.
        const first = prior.line !== undefined ? ` on line ${prior.line}` : '';
        problems.push({
          line,
          message: `${where}: ${host.name}: The name is already used${first} for ${endpoint(prior)}; this entry (${endpoint(host)}) is not imported. Give it another name.`,
        });
        continue;
      }
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
