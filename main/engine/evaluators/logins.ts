/** Evaluators over who can log in with what: authorized SSH keys, and local accounts beside a central directory. */
import { z } from 'zod';
import type { FactId } from '../../../shared/facts/registry.js';
import type { Evidence } from '../../../shared/model/results.js';
import { textSources, type EvalContext } from '../context.js';
import { outcome } from '../outcome.js';
import { parsePasswd, parseShadowClasses } from '../parsers/accounts.js';
import { keysOwner, parseAuthorizedKeys, type AuthorizedKey } from '../parsers/authorized-keys.js';
import { excerpt, splitLines, targetText as tt } from '../parsers/text.js';
import { isNoLoginShell } from './accounts.js';
import { defineEvaluator } from './types.js';

/** nsswitch sources that resolve accounts from a directory rather than the local files. */
export const CENTRAL_SOURCES = ['sss', 'ldap', 'winbind', 'nis', 'nisplus', 'hesiod'] as const;

/** The sources of one nsswitch database (`passwd: files sss [NOTFOUND=return]` -> files, sss). */
export function nsswitchSources(content: string, db: string): string[] {
  let found: string[] = [];
  for (const { text } of splitLines(content)) {
    const m = /^\s*([A-Za-z_]+)\s*:\s*(.*)$/.exec(text.replace(/#.*$/, ''));
    if (!m || m[1] !== db) continue;
    found = (m[2] as string)
      .replace(/\[[^\]]*\]/g, ' ')
      .split(/\s+/)
      .filter((s) => s !== '');
  }
  return found;
}

/** The client configuration that says a directory is set up behind an nsswitch source, and how it says so. */
export const DIRECTORY_CONFIG: Readonly<Record<string, { fact: FactId; configured: RegExp }>> = {
  sss: { fact: 'auth.sssd', configured: /^\s*\[domain\/[^\]]+\]/m },
  ldap: { fact: 'auth.ldap', configured: /^\s*(uri|host)\s+\S/im },
};

/**
 * Whether the directory behind an nsswitch source is configured, not only named: an SSSD domain for `sss`, a server
 * in an LDAP client file for `ldap`; the other sources have no client file here and count as named. RHEL's default
 * authselect profile writes `sss` on every host, joined or not. Throws FactUnavailable when the file that says is
 * root-only and was not read.
 */
export function directoryConfigured(ctx: EvalContext, source: string): boolean {
  const d = DIRECTORY_CONFIG[source];
  return d === undefined || textSources(ctx, d.fact).some((f) => d.configured.test(f.content));
}
export interface KeyFile {
  path: string;
  owner: string | null;
  keys: AuthorizedKey[];
}

/** Every authorized_keys file read, with the account it belongs to (memoized per snapshot). */
export function authorizedKeyFiles(ctx: EvalContext, homes: ReadonlyMap<string, string>): KeyFile[] {
  return ctx.memo('authorized_keys', () =>
    textSources(ctx, 'sshd.authorized_keys').map((s) => ({
      path: s.path ?? '',
      owner: keysOwner(s.path ?? '', homes),
      keys: parseAuthorizedKeys(s.content).keys,
    })),
  );
}

/** Home directory -> account name (the first account with that home). */
export function homesOf(passwdContent: string): Map<string, string> {
  const homes = new Map<string, string>();
  for (const e of parsePasswd(passwdContent).entries)
    if (e.home && !homes.has(e.home)) homes.set(e.home, e.name);
  return homes;
}

const DSA = ['ssh-dss', 'ssh-dss-cert-v01@openssh.com'];

export const authorizedKeysStrong = defineEvaluator({
  name: 'authorized_keys_strong',
  description: 'Fails when an authorized_keys file holds a DSA key or an RSA key shorter than min_rsa_bits.',
  params: z.strictObject({
    min_rsa_bits: z.number().int().min(1024).max(16384).default(2048),
  }),
  facts: ['sshd.authorized_keys', 'accounts.passwd'],
  run(ctx, p) {
    const expected = `no DSA key and no RSA key under ${p.min_rsa_bits} bits in any authorized_keys file`;
    // passwd only names the account a file belongs to: without it the files are still judged.
    const homes =
      ctx.unavailable('accounts.passwd') === null
        ? ctx.memo('homes', () => homesOf(ctx.file('accounts.passwd').content ?? ''))
        : new Map<string, string>();
    const files = authorizedKeyFiles(ctx, homes);
    const weak: string[] = [];
    const evidence: Evidence[] = [];
    let count = 0;
    for (const f of files)
      for (const k of f.keys) {
        count++;
        const why = DSA.includes(k.type)
          ? 'DSA'
          : k.type.startsWith('ssh-rsa') && k.bits !== null && k.bits < p.min_rsa_bits
            ? `RSA ${k.bits} bits`
            : null;
        if (!why) continue;
        weak.push(`${tt(f.path)}:${k.line} ${why}${f.owner ? ` (${tt(f.owner)})` : ''}`);
        evidence.push({
          factId: 'sshd.authorized_keys',
          path: f.path,
          line: k.line,
          excerpt: excerpt(`${k.type} … ${k.comment}`),
        });
      }
    if (weak.length > 0)
      return outcome('fail', expected, weak.join(', '), `${weak.length} weak key(s) may log in`, evidence);
    return outcome(
      'pass',
      expected,
      `${count} key(s) in ${files.length} authorized_keys file(s), none weak`,
      count === 0
        ? 'no authorized_keys file holds a key'
        : 'every authorized key is of a strong type and size',
    );
  },
});

export const localInteractiveWithCentral = defineEvaluator({
  name: 'local_interactive_with_central',
  description:
    'Where nsswitch resolves accounts from a directory, fails on local accounts (not in allowed) that can log in: a login shell and a usable password or an authorized key.',
  params: z.strictObject({
    allowed: z.array(z.string().min(1).max(64)).max(100).default(['root']),
  }),
  facts: [
    'auth.nsswitch',
    'auth.sssd',
    'auth.ldap',
    'accounts.passwd',
    'accounts.shadow',
    'sshd.authorized_keys',
  ],
  run(ctx, p) {
    const expected = `no local account other than ${p.allowed.join(', ') || '(none)'} can log in where a central directory is in use`;
    const ns = ctx.file('auth.nsswitch');
    const sources = ns.exists ? nsswitchSources(ns.content ?? '', 'passwd') : [];
    const named = sources.filter((s) => (CENTRAL_SOURCES as readonly string[]).includes(s));
    const central = named.filter((s) => directoryConfigured(ctx, s));
    if (named.length > 0 && central.length === 0)
      return outcome(
        'not_applicable',
        expected,
        `passwd: ${tt(sources.join(' '))}, but no ${named.map(tt).join(' or ')} directory is configured (no SSSD domain, no LDAP server)`,
        'nsswitch names a directory that is not set up: accounts are local only',
      );
    if (central.length === 0)
      return outcome(
        'not_applicable',
        expected,
        ns.exists ? `passwd: ${tt(sources.join(' ')) || '(none)'}` : '/etc/nsswitch.conf does not exist',
        'accounts are not resolved from a central directory on this host',
      );
    const passwdContent = ctx.file('accounts.passwd').content ?? '';
    const shadow = new Map(
      parseShadowClasses(ctx.command('accounts.shadow').stdout).entries.map((e) => [e.name, e]),
    );
    const homes = ctx.memo('homes', () => homesOf(passwdContent));
    const keyed = new Map<string, number>();
    for (const f of authorizedKeyFiles(ctx, homes))
      if (f.owner !== null && f.keys.length > 0)
        keyed.set(f.owner, (keyed.get(f.owner) ?? 0) + f.keys.length);
    const found: string[] = [];
    const evidence: Evidence[] = [];
    for (const e of parsePasswd(passwdContent).entries) {
      if (p.allowed.includes(e.name) || isNoLoginShell(e.shell)) continue;
      const cls = shadow.get(e.name)?.class;
      const password = cls === 'hash' || cls === 'empty' || e.password === '';
      const keys = keyed.get(e.name) ?? 0;
      if (!password && keys === 0) continue;
      found.push(
        `${tt(e.name)} (${[password ? 'password' : '', keys > 0 ? `${keys} key(s)` : ''].filter(Boolean).join(', ')})`,
      );
      evidence.push({
        factId: 'accounts.passwd',
        path: '/etc/passwd',
        line: e.line,
        excerpt: excerpt(e.text),
      });
    }
    const dir = `passwd: ${tt(sources.join(' '))}`;
    if (found.length === 0)
      return outcome(
        'pass',
        expected,
        `${dir}; no other local account can log in`,
        'only the allowed local accounts can log in',
      );
    return outcome(
      'fail',
      expected,
      `${dir}; ${found.join(', ')}`,
      `${found.length} local account(s) can log in beside the central directory`,
      evidence,
    );
  },
});
