/**
 * The AAA view of one host run, built from its stored snapshot and results: who can log in (a central directory or
 * local accounts, with what), what they may do (every sudo rule expanded to the local accounts it reaches) and
 * what is recorded (the verdicts of the audit and logging checks). Pure: no I/O, no clock (ages are counted from
 * the snapshot's collection time). What could not be read says so (`unread`) rather than showing as absent.
 * Every target string is returned in its text form.
 */
import type { AaaAccount, AaaHost, AaaSudoGrant } from '../../shared/api/schemas/aaa.js';
import type { Check } from '../../shared/checks/schema.js';
import type { FactId } from '../../shared/facts/registry.js';
import type { FactSnapshot } from '../../shared/facts/snapshot.js';
import type { Verdict } from '../../shared/model/results.js';
import { createContext, textSources, type EvalContext, type TextSource } from '../engine/context.js';
import { isNoLoginShell } from '../engine/evaluators/accounts.js';
import { parsePamLines } from '../engine/evaluators/pam.js';
import { sudoersOf } from '../engine/evaluators/sudoers.js';
import {
  CENTRAL_SOURCES,
  DIRECTORY_CONFIG,
  authorizedKeyFiles,
  directoryConfigured,
  homesOf,
  nsswitchSources,
} from '../engine/evaluators/logins.js';
import { FactUnavailable } from '../engine/outcome.js';
import { parseGroup, parsePasswd, parseShadowClasses, type ShadowEntry } from '../engine/parsers/accounts.js';
import { parseKeyValue } from '../engine/parsers/keyvalue.js';
import { parseLastlog, type LastlogEntry } from '../engine/parsers/lastlog.js';
import { parseSshdT } from '../engine/parsers/sshd.js';
import { grantsAll, splitTop, type Sudoers, type SudoersSpec } from '../engine/parsers/sudoers.js';
import { targetText as tt } from '../engine/parsers/text.js';

const DAY_MS = 86_400_000;
/** Days without a login after which an account that can log in is flagged (the accounts-unused check's default). */
export const STALE_DAYS = 90;

/** The check areas of the aaa family in each of the view's three groups. */
export const AAA_GROUPS = {
  logIn: ['central-auth', 'accounts', 'password-policy', 'sshd'],
  authorised: ['sudo', 'cron'],
  recorded: ['audit', 'logging', 'time'],
} as const;

const SECOND_FACTORS = [
  'pam_oath',
  'pam_google_authenticator',
  'pam_duo',
  'pam_u2f',
  'pam_yubico',
  'pam_radius_auth',
  'pam_2fa',
];
const CENTRAL_PAM: Record<string, string> = {
  pam_sss: 'sssd',
  pam_ldap: 'ldap',
  pam_krb5: 'kerberos',
  pam_winbind: 'winbind',
};
const NSS_PROVIDER: Record<string, string> = {
  sss: 'sssd',
  ldap: 'ldap',
  winbind: 'winbind',
  nis: 'nis',
  nisplus: 'nis',
  hesiod: 'hesiod',
};

export interface HostRunResult {
  checkId: string;
  verdict: Verdict;
  actual: string;
}

export interface HostViewInput {
  hostRunId: string;
  hostName: string;
  snapshot: FactSnapshot | null;
  results: readonly HostRunResult[];
  checks: ReadonlyMap<string, Check>;
}

type Unread = AaaHost['unread'];

/** Reads one part of the view; a fact that cannot be used is noted with why and gives `fallback`. */
function reader(unread: Unread) {
  return <T>(factId: FactId, read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (e) {
      if (!(e instanceof FactUnavailable)) throw e;
      if (!unread.some((u) => u.factId === factId)) unread.push({ factId, why: e.why });
      return fallback;
    }
  };
}

const contentOf = (ctx: EvalContext, id: FactId): string | null => {
  const f = ctx.file(id);
  return f.exists ? (f.content ?? '') : null;
};

function central(
  ctx: EvalContext,
  read: ReturnType<typeof reader>,
  pam: readonly TextSource[],
): AaaHost['central'] {
  const ns = read('auth.nsswitch', () => contentOf(ctx, 'auth.nsswitch'), null);
  const nsswitch =
    ns === null
      ? null
      : {
          passwd: nsswitchSources(ns, 'passwd'),
          group: nsswitchSources(ns, 'group'),
          sudoers: nsswitchSources(ns, 'sudoers'),
        };
  const providers = new Set<string>();
  for (const s of [...(nsswitch?.passwd ?? []), ...(nsswitch?.group ?? [])])
    if ((CENTRAL_SOURCES as readonly string[]).includes(s)) providers.add(NSS_PROVIDER[s] ?? s);
  const sssdDomains: AaaHost['central']['sssdDomains'] = [];
  for (const src of read('auth.sssd', () => textSources(ctx, 'auth.sssd'), [])) {
    const byDomain = new Map<string, Map<string, string>>();
    for (const e of parseKeyValue(src.content, 'equals')) {
      const d = /^domain\/(.+)$/.exec(e.section);
      if (!d) continue;
      const name = d[1] as string;
      if (!byDomain.has(name)) byDomain.set(name, new Map());
      byDomain.get(name)?.set(e.key.toLowerCase(), e.value);
    }
    for (const [name, kv] of byDomain)
      sssdDomains.push({
        name: tt(name),
        idProvider: kv.has('id_provider') ? tt(kv.get('id_provider') as string) : null,
        authProvider: kv.has('auth_provider') ? tt(kv.get('auth_provider') as string) : null,
        accessProvider: kv.has('access_provider') ? tt(kv.get('access_provider') as string) : null,
      });
  }
  if (sssdDomains.some((d) => d.idProvider === 'ipa')) providers.add('freeipa');
  if (sssdDomains.some((d) => d.idProvider === 'ad')) providers.add('active directory');
  const ipaText = read('auth.ipa', () => contentOf(ctx, 'auth.ipa'), null);
  let ipa: AaaHost['central']['ipa'] = null;
  if (ipaText !== null) {
    const kv = new Map(parseKeyValue(ipaText, 'equals').map((e) => [e.key.toLowerCase(), e.value]));
    const v = (k: string): string | null => (kv.has(k) ? tt(kv.get(k) as string) : null);
    ipa = { realm: v('realm'), domain: v('domain'), server: v('server') ?? v('xmlrpc_uri') };
    if (ipa.realm !== null) providers.add('freeipa');
  }
  let kerberosRealm: string | null = null;
  for (const src of read('auth.krb5', () => textSources(ctx, 'auth.krb5'), []))
    for (const e of parseKeyValue(src.content, 'equals'))
      if (e.section === 'libdefaults' && e.key.toLowerCase() === 'default_realm') kerberosRealm = tt(e.value);
  if (kerberosRealm !== null) providers.add('kerberos');
  const ldapUris: string[] = [];
  for (const src of read('auth.ldap', () => textSources(ctx, 'auth.ldap'), []))
    for (const e of parseKeyValue(src.content, 'space'))
      if (/^(uri|host)$/i.test(e.key)) for (const u of e.value.split(/\s+/)) if (u) ldapUris.push(tt(u));
  const pamModules = new Set<string>();
  for (const src of pam)
    for (const l of parsePamLines(src))
      if (CENTRAL_PAM[l.module] !== undefined) {
        pamModules.add(l.module);
        providers.add(CENTRAL_PAM[l.module] as string);
      }
  // In use when accounts resolve from a directory (as the check central-auth-no-local-logins decides): a directory
  // module in PAM alone authenticates nobody the host cannot resolve.
  // A source that is named but has no directory configured behind it does not count (RHEL names sss by default);
  // one whose configuration could not be read counts, as nsswitch says so.
  const inUse = (nsswitch?.passwd ?? []).some((s) => {
    if (!(CENTRAL_SOURCES as readonly string[]).includes(s)) return false;
    const config = DIRECTORY_CONFIG[s];
    return config === undefined || read(config.fact, () => directoryConfigured(ctx, s), true);
  });
  return {
    inUse,
    providers: [...providers].sort(),
    nsswitch,
    sssdDomains,
    ipa,
    kerberosRealm,
    ldapUris: [...new Set(ldapUris)],
    pamModules: [...pamModules].sort(),
  };
}

/** The users a User_Alias stands for (recursively, bounded). */
function aliasMembers(s: Sudoers, name: string, depth = 0): string[] | null {
  const a = s.aliases.get(name);
  if (!a || a.type !== 'User_Alias' || depth > 8) return null;
  return a.members.flatMap((m) =>
    /^[A-Z][A-Z0-9_]*$/.test(m) ? (aliasMembers(s, m, depth + 1) ?? [m]) : [m],
  );
}

const nopasswdOf = (tags: readonly string[]): boolean =>
  tags.lastIndexOf('NOPASSWD') > tags.lastIndexOf('PASSWD');

function expandSudo(
  s: Sudoers,
  groupMembers: ReadonlyMap<string, string[]>,
  accounts: readonly string[],
): AaaSudoGrant[] {
  const out: AaaSudoGrant[] = [];
  const grant = (spec: SudoersSpec, principal: string, viaAlias: string | null): void => {
    const p = principal.trim();
    if (p === '' || p.startsWith('!')) return;
    let kind: AaaSudoGrant['kind'];
    let reached: string[] = [];
    let unresolved = false;
    if (p === 'ALL') {
      kind = 'all';
      reached = [...accounts];
    } else if (p.startsWith('%')) {
      kind = 'group';
      const g = p.replace(/^%:?/, '');
      const members = groupMembers.get(g);
      if (members === undefined) unresolved = true;
      else reached = members;
    } else if (p.startsWith('+')) {
      kind = 'netgroup';
      unresolved = true;
    } else if (p.startsWith('#')) {
      kind = 'uid';
    } else {
      kind = 'user';
      reached = [p];
    }
    const runAs = spec.commands[0]?.runas ?? 'root';
    out.push({
      principal: tt(viaAlias ? `${p} (${viaAlias})` : p),
      kind: viaAlias && kind === 'user' ? 'alias' : kind,
      accounts: reached.map(tt),
      unresolved,
      hosts: tt(spec.hosts),
      runAs: tt(runAs.replace(/^\(|\)$/g, '')),
      commands: spec.commands.map((c) => tt(c.command)),
      all: spec.commands.some((c) => grantsAll(s, c.command)),
      nopasswd: spec.commands.some((c) => nopasswdOf(c.tags)),
      source: `${tt(spec.at.path)}:${spec.at.line}`,
    });
  };
  for (const spec of s.specs)
    for (const u of splitTop(spec.users, ',', 1024)) {
      const name = u.trim();
      const members = /^[A-Z][A-Z0-9_]*$/.test(name) && name !== 'ALL' ? aliasMembers(s, name) : null;
      if (members) for (const m of members) grant(spec, m, name);
      else grant(spec, name, null);
    }
  return out;
}

export function hostView(input: HostViewInput): AaaHost {
  const unread: Unread = [];
  const read = reader(unread);
  const checks = groupedChecks(input.results, input.checks);
  const base = { hostRunId: input.hostRunId, hostName: input.hostName, checks };
  if (input.snapshot === null)
    return {
      ...base,
      collectedAt: null,
      privileged: false,
      central: {
        inUse: false,
        providers: [],
        nsswitch: null,
        sssdDomains: [],
        ipa: null,
        kerberosRealm: null,
        ldapUris: [],
        pamModules: [],
      },
      accounts: [],
      sudo: { grants: [], notes: [] },
      secondFactor: [],
      sshAuthMethods: null,
      unread: [{ factId: '', why: 'no snapshot stored for this host run' }],
    };
  const snap = input.snapshot;
  const ctx = createContext(snap);
  const now = Date.parse(snap.collectedAt);
  const pam = read('pam.files', () => textSources(ctx, 'pam.files'), []);
  const centralView = central(ctx, read, pam);

  const passwdText = read('accounts.passwd', () => contentOf(ctx, 'accounts.passwd'), null);
  const passwd = passwdText === null ? [] : parsePasswd(passwdText).entries;
  const groupText = read('accounts.group', () => contentOf(ctx, 'accounts.group'), null);
  const groups = groupText === null ? [] : parseGroup(groupText).entries;
  const shadowRead = read(
    'accounts.shadow',
    () => parseShadowClasses(ctx.command('accounts.shadow').stdout).entries,
    null,
  );
  const shadow = new Map<string, ShadowEntry>((shadowRead ?? []).map((e) => [e.name, e]));
  const lastlogCmd = read('accounts.lastlog', () => ctx.command('accounts.lastlog'), null);
  const lastlog =
    lastlogCmd && lastlogCmd.problem !== 'missing'
      ? new Map<string, LastlogEntry>(parseLastlog(lastlogCmd.stdout).map((e) => [e.name, e]))
      : null;
  const keyFiles = read(
    'sshd.authorized_keys',
    () => authorizedKeyFiles(ctx, homesOf(passwdText ?? '')),
    null,
  );
  const defs = read('accounts.login_defs', () => contentOf(ctx, 'accounts.login_defs'), null);
  const uidMinText =
    defs === null ? undefined : parseKeyValue(defs, 'space').findLast((e) => e.key === 'UID_MIN')?.value;
  const uidMin = uidMinText !== undefined && /^\d+$/.test(uidMinText) ? Number(uidMinText) : 1000;

  // Group name -> local members: listed members and the accounts whose primary group it is.
  const groupMembers = new Map<string, string[]>();
  for (const g of groups) {
    const primary = passwd.filter((p) => p.gid !== null && p.gid === g.gid).map((p) => p.name);
    groupMembers.set(g.name, [...new Set([...g.members, ...primary])]);
  }
  // As the sudo checks read it: a sudoers file that could not be read leaves the rules unread, not partial.
  const sudoers = read('sudo.sudoers', () => sudoersOf(ctx), null);
  const grants = sudoers
    ? expandSudo(
        sudoers,
        groupMembers,
        passwd.map((p) => p.name),
      )
    : [];
  const sudoNotes = sudoers ? sudoers.notes.map(tt) : [];
  if (
    sudoers?.defaults.some(
      (d) => d.scope === '' && d.settings.some((x) => x.name === 'authenticate' && x.negated),
    )
  )
    sudoNotes.push('Defaults !authenticate: no sudo rule asks for a password');

  const accounts: AaaAccount[] = passwd.map((e) => {
    const sh = shadowRead ? (shadow.get(e.name) ?? null) : null;
    const password: AaaAccount['password'] =
      e.password === '' ? 'empty' : shadowRead ? (sh?.class ?? 'unknown') : null;
    const today = Number.isFinite(now) ? Math.floor(now / DAY_MS) : null;
    const expired = sh ? sh.expire !== null && today !== null && sh.expire <= today : null;
    const last = lastlog?.get(e.name);
    // An account lastlog does not list (its output is cut at 2000 lines) is unknown, not "never".
    const lastLogin =
      lastlog === null || !last
        ? null
        : last.never || last.lastLogin === null
          ? 'never'
          : new Date(last.lastLogin).toISOString().slice(0, 10);
    const mine = keyFiles?.filter((f) => f.owner === e.name) ?? null;
    const keys =
      mine === null
        ? null
        : {
            count: mine.reduce((n, f) => n + f.keys.length, 0),
            types: [
              ...new Set(
                mine.flatMap((f) => f.keys.map((k) => (k.bits !== null ? `${k.type} ${k.bits}` : k.type))),
              ),
            ].map(tt),
            files: mine.filter((f) => f.keys.length > 0).map((f) => tt(f.path)),
          };
    const loginShell = !isNoLoginShell(e.shell);
    const usablePassword = password === 'hash' || password === 'empty';
    const canLogIn = loginShell && expired !== true && (usablePassword || (keys?.count ?? 0) > 0);
    const inGroups = groups
      .filter((g) => g.members.includes(e.name) || (e.gid !== null && g.gid === e.gid))
      .map((g) => g.name);
    const mineSudo = grants.filter((g) => g.kind === 'all' || g.accounts.includes(tt(e.name)));
    const personal = e.uid === 0 || (e.uid !== null && e.uid >= uidMin && e.uid < 65534);
    const flags: string[] = [];
    if (e.uid === 0 && e.name !== 'root') flags.push('uid 0: a second root');
    if (password === 'empty') flags.push('empty password');
    if (centralView.inUse && canLogIn && e.name !== 'root')
      flags.push('local account that can log in although a directory is in use');
    if (password === 'hash' && loginShell && sh && (sh.max === null || sh.max >= 99999))
      flags.push('password never expires');
    if (password === 'locked' && loginShell && (keys?.count ?? 0) > 0)
      flags.push('password locked, but SSH keys can still log in');
    if (canLogIn && lastLogin === 'never') flags.push('never logged in');
    if (
      canLogIn &&
      last?.lastLogin != null &&
      Number.isFinite(now) &&
      now - last.lastLogin > STALE_DAYS * DAY_MS
    )
      flags.push(`no login for ${Math.floor((now - last.lastLogin) / DAY_MS)} days`);
    if (mineSudo.some((g) => g.all && g.nopasswd))
      flags.push('may run every command without a password (sudo)');
    return {
      name: tt(e.name),
      uid: e.uid,
      shell: tt(e.shell),
      loginShell,
      personal,
      password,
      expired,
      passwordAgeDays: sh?.lastchg != null && today !== null ? today - sh.lastchg : null,
      maxDays: sh?.max ?? null,
      lastLogin,
      keys,
      groups: inGroups.map(tt),
      sudo: mineSudo.map(
        (g) =>
          `${g.runAs}: ${g.commands.join(', ')}${g.nopasswd ? ' (NOPASSWD)' : ''} [${g.principal}, ${g.source}]`,
      ),
      canLogIn,
      flags,
    };
  });

  const secondFactor: AaaHost['secondFactor'] = [];
  for (const src of pam)
    for (const l of parsePamLines(src))
      if (SECOND_FACTORS.includes(l.module) && l.type === 'auth')
        secondFactor.push({ module: l.module, file: tt(l.path) });
  const sshdT = read('sshd.effective', () => ctx.command('sshd.effective'), null);
  const methods = sshdT ? parseSshdT(sshdT.stdout).get('authenticationmethods')?.[0]?.value : undefined;

  return {
    ...base,
    collectedAt: snap.collectedAt,
    privileged: snap.privileged === true || snap.sudo !== undefined,
    central: centralView,
    accounts,
    sudo: { grants, notes: sudoNotes },
    secondFactor,
    sshAuthMethods: methods !== undefined ? tt(methods) : null,
    unread,
  };
}

function groupedChecks(
  results: readonly HostRunResult[],
  checks: ReadonlyMap<string, Check>,
): AaaHost['checks'] {
  const out: AaaHost['checks'] = { logIn: [], authorised: [], recorded: [] };
  for (const r of results) {
    const c = checks.get(r.checkId);
    if (!c || c.family !== 'aaa') continue;
    for (const [group, areas] of Object.entries(AAA_GROUPS) as [keyof typeof AAA_GROUPS, readonly string[]][])
      if (areas.includes(c.area))
        out[group].push({ checkId: c.id, title: c.title, verdict: r.verdict, actual: r.actual });
  }
  return out;
}
