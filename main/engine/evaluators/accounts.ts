/** Evaluators over the local account databases. */
import { z } from 'zod';
import type { Evidence } from '../../../shared/model/results.js';
import type { EvalContext } from '../context.js';
import { outcome } from '../outcome.js';
import {
  parseGroup,
  parsePasswd,
  parseShadowClasses,
  type PasswdEntry,
  type ShadowEntry,
} from '../parsers/accounts.js';
import { parseLastlog } from '../parsers/lastlog.js';
import { excerpt, targetText as tt } from '../parsers/text.js';
import { defineEvaluator } from './types.js';

const DAY_MS = 86_400_000;

function passwd(ctx: EvalContext): PasswdEntry[] {
  const f = ctx.file('accounts.passwd');
  return ctx.memo('passwd', () => parsePasswd(f.content ?? '').entries);
}

function shadow(ctx: EvalContext): ShadowEntry[] {
  const c = ctx.command('accounts.shadow');
  return ctx.memo('shadow', () => parseShadowClasses(c.stdout).entries);
}

const ev = (factId: string, path: string | undefined, e: { line: number; text: string }): Evidence => ({
  factId,
  ...(path ? { path } : {}),
  line: e.line,
  excerpt: excerpt(e.text),
});

/** Shells that refuse interactive logins. */
export function isNoLoginShell(shell: string): boolean {
  return (
    /(^|\/)(nologin|false)$/.test(shell.trim()) ||
    shell.trim() === '/bin/sync' ||
    shell.trim() === '/sbin/shutdown' ||
    shell.trim() === '/sbin/halt'
  );
}

export const uid0OnlyRoot = defineEvaluator({
  name: 'accounts_uid0_only_root',
  description: 'Fails when an account other than root has uid 0.',
  params: z.strictObject({}),
  facts: ['accounts.passwd'],
  run(ctx) {
    const expected = 'only root has uid 0';
    const entries = passwd(ctx);
    const zero = entries.filter((e) => e.uid === 0);
    const others = zero.filter((e) => e.name !== 'root');
    const evidence = zero.map((e) => ev('accounts.passwd', '/etc/passwd', e));
    if (others.length > 0)
      return outcome(
        'fail',
        expected,
        `uid 0: ${zero.map((e) => tt(e.name)).join(', ')}`,
        `${others.map((e) => tt(e.name)).join(', ')} also ha${others.length === 1 ? 's' : 've'} uid 0`,
        evidence,
      );
    if (zero.length === 0)
      return outcome('fail', expected, 'no account with uid 0', 'no root account (uid 0) in /etc/passwd', []);
    return outcome('pass', expected, 'uid 0: root', 'root is the only uid 0 account', evidence);
  },
});

export const uniqueAccounts = defineEvaluator({
  name: 'accounts_unique',
  description: 'Fails when ids or names repeat in /etc/passwd or /etc/group.',
  params: z.strictObject({ database: z.enum(['passwd', 'group']), field: z.enum(['id', 'name']) }),
  facts: ['accounts.passwd', 'accounts.group'],
  run(ctx, p) {
    const factId = p.database === 'passwd' ? 'accounts.passwd' : 'accounts.group';
    const path = `/etc/${p.database}`;
    const label = p.field === 'name' ? 'name' : p.database === 'passwd' ? 'uid' : 'gid';
    const expected = `every ${label} in ${path} is unique`;
    const f = ctx.file(factId);
    const rows =
      p.database === 'passwd'
        ? parsePasswd(f.content ?? '').entries.map((e) => ({
            key: p.field === 'name' ? e.name : String(e.uid),
            name: e.name,
            line: e.line,
            text: e.text,
          }))
        : parseGroup(f.content ?? '').entries.map((e) => ({
            key: p.field === 'name' ? e.name : String(e.gid),
            name: e.name,
            line: e.line,
            text: e.text,
          }));
    const groups = new Map<string, typeof rows>();
    for (const r of rows) {
      if (r.key === 'null') continue;
      const g = groups.get(r.key);
      if (g) g.push(r);
      else groups.set(r.key, [r]);
    }
    const dups = [...groups.entries()].filter(([, g]) => g.length > 1);
    if (dups.length === 0)
      return outcome(
        'pass',
        expected,
        `${rows.length} entries, no duplicate ${label}`,
        `no duplicate ${label}`,
      );
    const evidence = dups.flatMap(([, g]) => g.map((r) => ev(factId, path, r)));
    const actual = dups
      .map(([k, g]) => `${label} ${tt(k)}: ${g.map((r) => `${tt(r.name)} (line ${r.line})`).join(', ')}`)
      .join('; ');
    return outcome(
      'fail',
      expected,
      actual,
      `${dups.length} duplicate ${label}${dups.length === 1 ? '' : 's'}`,
      evidence,
    );
  },
});

export const emptyPasswords = defineEvaluator({
  name: 'accounts_empty_passwords',
  description: 'Fails when an account has an empty password field in /etc/passwd or /etc/shadow.',
  params: z.strictObject({}),
  facts: ['accounts.passwd', 'accounts.shadow'],
  run(ctx) {
    const expected = 'no account with an empty password';
    const inPasswd = passwd(ctx).filter((e) => e.password === '');
    if (inPasswd.length > 0) {
      return outcome(
        'fail',
        expected,
        `empty password field in /etc/passwd: ${inPasswd.map((e) => tt(e.name)).join(', ')}`,
        `${inPasswd.length} account(s) without any password`,
        inPasswd.map((e) => ev('accounts.passwd', '/etc/passwd', e)),
      );
    }
    const sh = shadow(ctx);
    const empty = sh.filter((e) => e.class === 'empty');
    if (empty.length > 0) {
      return outcome(
        'fail',
        expected,
        `empty password: ${empty.map((e) => tt(e.name)).join(', ')}`,
        `${empty.length} account(s) with an empty password in /etc/shadow`,
        empty.map((e) => ev('accounts.shadow', undefined, e)),
      );
    }
    return outcome(
      'pass',
      expected,
      `${sh.length} shadow entries, none empty`,
      'every account has a password hash or is locked',
    );
  },
});

export const systemShells = defineEvaluator({
  name: 'accounts_system_shells',
  description: 'Fails when an account below uid_min (not exempt) has an interactive shell.',
  params: z.strictObject({
    uid_min: z.number().int().min(1).max(65535).default(1000),
    exempt: z.array(z.string()).max(100).default(['root', 'sync', 'shutdown', 'halt']),
  }),
  facts: ['accounts.passwd'],
  run(ctx, p) {
    const expected = `accounts with uid < ${p.uid_min} (except ${p.exempt.join(', ')}) have nologin or false as shell`;
    const bad = passwd(ctx).filter(
      (e) => e.uid !== null && e.uid < p.uid_min && !p.exempt.includes(e.name) && !isNoLoginShell(e.shell),
    );
    if (bad.length === 0)
      return outcome(
        'pass',
        expected,
        'no system account with a login shell',
        'all system accounts have a non-login shell',
      );
    return outcome(
      'fail',
      expected,
      bad.map((e) => `${tt(e.name)} (uid ${String(e.uid)}, ${e.shell ? tt(e.shell) : 'empty shell = /bin/sh'})`).join(', '),
      `${bad.length} system account(s) with an interactive shell`,
      bad.map((e) => ev('accounts.passwd', '/etc/passwd', e)),
    );
  },
});

export const unusedAccounts = defineEvaluator({
  name: 'accounts_unused',
  description:
    'Fails when a personal account with a password has not logged in for max_days (relative to the collection time).',
  params: z.strictObject({
    max_days: z.number().int().min(1).max(3650).default(90),
    uid_min: z.number().int().min(0).max(65535).default(1000),
  }),
  facts: ['accounts.passwd', 'accounts.shadow', 'accounts.lastlog'],
  run(ctx, p) {
    const expected = `every account with a password logged in within ${p.max_days} days`;
    const now = Date.parse(ctx.snapshot.collectedAt);
    if (!Number.isFinite(now))
      return outcome(
        'error',
        expected,
        `collectedAt ${tt(String(ctx.snapshot.collectedAt).slice(0, 40))}`,
        'the snapshot has no valid collection time',
      );
    const sh = new Map(shadow(ctx).map((e) => [e.name, e]));
    const lastlogCmd = ctx.command('accounts.lastlog');
    if (lastlogCmd.problem === 'missing')
      return outcome(
        'manual',
        expected,
        'lastlog not installed',
        'lastlog is not available on this host; review account use by hand (e.g. from wtmp or the central log)',
      );
    const last = new Map(parseLastlog(lastlogCmd.stdout).map((e) => [e.name, e]));
    const cutoff = now - p.max_days * DAY_MS;
    const stale: string[] = [];
    const evidence: Evidence[] = [];
    let considered = 0;
    for (const e of passwd(ctx)) {
      if (e.uid === null || e.uid < p.uid_min || e.uid >= 65534 || isNoLoginShell(e.shell)) continue;
      const s = sh.get(e.name);
      if (!s || s.class !== 'hash') continue;
      considered++;
      const l = last.get(e.name);
      // A password set recently means a new account: not yet unused.
      const changedRecently = s.lastchg !== null && s.lastchg * DAY_MS >= cutoff;
      if (!l || l.never || l.lastLogin === null) {
        if (changedRecently) continue;
        stale.push(`${tt(e.name)} (never logged in)`);
      } else if (l.lastLogin < cutoff) {
        stale.push(`${tt(e.name)} (last login ${Math.floor((now - l.lastLogin) / DAY_MS)} days ago)`);
      } else continue;
      if (l) evidence.push(ev('accounts.lastlog', undefined, l));
      else evidence.push(ev('accounts.passwd', '/etc/passwd', e));
    }
    if (stale.length === 0)
      return outcome(
        'pass',
        expected,
        `${considered} account(s) with a password, all used recently`,
        `no account unused for more than ${p.max_days} days`,
      );
    return outcome(
      'fail',
      expected,
      stale.join(', '),
      `${stale.length} account(s) with a password unused for more than ${p.max_days} days`,
      evidence,
    );
  },
});

export const passwordMaxAge = defineEvaluator({
  name: 'accounts_password_max_age',
  description:
    'Fails when an account with a password hash has no maximum password age or one above max_days.',
  params: z.strictObject({ max_days: z.number().int().min(1).max(99999).default(365) }),
  facts: ['accounts.shadow'],
  run(ctx, p) {
    const expected = `every account with a password has a maximum age <= ${p.max_days} days`;
    const withHash = shadow(ctx).filter((e) => e.class === 'hash');
    const bad = withHash.filter((e) => e.max === null || e.max < 0 || e.max > p.max_days);
    if (bad.length === 0)
      return outcome(
        'pass',
        expected,
        `${withHash.length} account(s) with a password, all within ${p.max_days} days`,
        'password aging set on every account with a password',
      );
    return outcome(
      'fail',
      expected,
      bad.map((e) => `${tt(e.name)} (max ${e.max === null ? 'none' : e.max})`).join(', '),
      `${bad.length} account(s) without a suitable maximum password age`,
      bad.map((e) => ev('accounts.shadow', undefined, e)),
    );
  },
});

const AGING_FIELDS = ['min', 'max', 'warn', 'inactive'] as const;

export const shadowAging = defineEvaluator({
  name: 'accounts_shadow_aging',
  description:
    'Fails when an account with a password hash has a shadow aging field (min, max, warn, inactive) unset or outside [min_value, max_value].',
  params: z
    .strictObject({
      field: z.enum(AGING_FIELDS),
      min_value: z.number().int().min(-1).max(99999).optional(),
      max_value: z.number().int().min(0).max(99999).optional(),
    })
    .refine((p) => p.min_value !== undefined || p.max_value !== undefined, {
      message: 'min_value or max_value expected',
    }),
  facts: ['accounts.shadow'],
  run(ctx, p) {
    const bounds = [
      p.min_value !== undefined ? `>= ${p.min_value}` : '',
      p.max_value !== undefined ? `<= ${p.max_value}` : '',
    ]
      .filter((b) => b !== '')
      .join(' and ');
    const expected = `every account with a password has ${p.field} ${bounds} in /etc/shadow`;
    const withHash = shadow(ctx).filter((e) => e.class === 'hash');
    const bad = withHash.filter((e) => {
      const v = e[p.field];
      // An empty or negative aging field means the feature is off for the account.
      if (v === null || v < 0) return true;
      return (p.min_value !== undefined && v < p.min_value) || (p.max_value !== undefined && v > p.max_value);
    });
    if (bad.length === 0)
      return outcome(
        'pass',
        expected,
        `${withHash.length} account(s) with a password, ${p.field} ${bounds} on each`,
        `${p.field} is ${bounds} on every account with a password`,
      );
    return outcome(
      'fail',
      expected,
      bad.map((e) => `${tt(e.name)} (${p.field} ${e[p.field] === null ? 'unset' : String(e[p.field])})`).join(', '),
      `${bad.length} account(s) with ${p.field} not ${bounds}`,
      bad.map((e) => ev('accounts.shadow', undefined, e)),
    );
  },
});

export const lastChangeInPast = defineEvaluator({
  name: 'accounts_password_change_past',
  description: 'Fails when an account has a last password change date after the collection time.',
  params: z.strictObject({}),
  facts: ['accounts.shadow'],
  run(ctx) {
    const expected = 'every last password change date lies in the past';
    const now = Date.parse(ctx.snapshot.collectedAt);
    if (!Number.isFinite(now))
      return outcome(
        'error',
        expected,
        `collectedAt ${tt(String(ctx.snapshot.collectedAt).slice(0, 40))}`,
        'the snapshot has no valid collection time',
      );
    // lastchg counts days since 1970-01-01 (UTC); the day of the collection itself is not in the future.
    const today = Math.floor(now / DAY_MS);
    const sh = shadow(ctx);
    const bad = sh.filter((e) => e.lastchg !== null && e.lastchg > today);
    if (bad.length === 0)
      return outcome('pass', expected, `${sh.length} shadow entries, none dated after day ${today}`, 'no password change date in the future');
    return outcome(
      'fail',
      expected,
      bad.map((e) => `${tt(e.name)} (day ${String(e.lastchg)}, ${String(Number(e.lastchg) - today)} days ahead)`).join(', '),
      `${bad.length} account(s) with a last password change in the future`,
      bad.map((e) => ev('accounts.shadow', undefined, e)),
    );
  },
});

export const noLoginLocked = defineEvaluator({
  name: 'accounts_nologin_locked',
  description: 'Fails when an account without a login shell (root excepted) has a usable or empty password.',
  params: z.strictObject({ exempt: z.array(z.string()).max(100).default(['root']) }),
  facts: ['accounts.passwd', 'accounts.shadow'],
  run(ctx, p) {
    const expected = 'accounts without a login shell are locked';
    const sh = new Map(shadow(ctx).map((e) => [e.name, e]));
    const bad = passwd(ctx).filter((e) => {
      if (p.exempt.includes(e.name) || !isNoLoginShell(e.shell)) return false;
      const s = sh.get(e.name);
      return s !== undefined && (s.class === 'hash' || s.class === 'empty');
    });
    if (bad.length === 0)
      return outcome('pass', expected, 'no account without a login shell has a usable password', 'every account without a login shell is locked');
    return outcome(
      'fail',
      expected,
      bad.map((e) => `${tt(e.name)} (${tt(e.shell)}, ${sh.get(e.name)?.class === 'empty' ? 'empty password' : 'password set'})`).join(', '),
      `${bad.length} account(s) without a login shell that are not locked`,
      bad.map((e) => ev('accounts.passwd', '/etc/passwd', e)),
    );
  },
});
