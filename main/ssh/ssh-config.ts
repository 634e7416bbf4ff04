import { existsSync, readFileSync } from 'node:fs';
import { decodeUserFile } from '../inventory/text.js';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import SSHConfig, { type Line } from 'ssh-config';
import { FoureyesError } from '../../shared/model/errors.js';
import type { AuthMethod, SshEndpoint, SshTarget } from '../../shared/model/target.js';
import { expandHome } from './paths.js';

/**
 * Resolves a host alias from an OpenSSH client configuration (ssh_config(5)) into an SshTarget: HostName, Port,
 * User, IdentityFile / IdentityAgent, ProxyJump (chains, user@host:port, hop aliases resolved recursively),
 * UserKnownHostsFile / GlobalKnownHostsFile, StrictHostKeyChecking. `Match exec` is never run and host name
 * canonicalisation (DNS) is never done: a config file is data here. Directives that would change where or how we
 * connect and that we cannot honour (ProxyCommand) are refused; others are reported in `notes`.
 */

export interface SshConfigOptions {
  /** Home directory for `~` and defaults (default: this user's). */
  home?: string;
  /** Local user name, the default User (default: this user's). */
  localUser?: string;
  /** Environment for SSH_AUTH_SOCK (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Privilege for the resulting target (not an ssh_config notion). Default 'auto'. */
  privilege?: SshTarget['privilege'];
}

export interface ResolvedAlias {
  target: SshTarget;
  /** Directives seen but not applied, and how defaults were chosen. */
  notes: string[];
}

const MAX_HOPS = 16;
/** A port as ssh_config or a ProxyJump element writes it (a number from 1 to 65535), or undefined. */
function portNumber(v: string | number): number | undefined {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}
/** Directives whose effect we cannot reproduce but which do not change where we connect. */
const IGNORED = ['hostkeyalias', 'include', 'certificatefile', 'localforward', 'remoteforward', 'dynamicforward'];

type Computed = Record<string, string | string[]>;

interface Ctx {
  config: SSHConfig;
  file: string;
  home: string;
  localUser: string;
  env: NodeJS.ProcessEnv;
  notes: string[];
}

function first(c: Computed, key: string): string | undefined {
  const v = c[key];
  return Array.isArray(v) ? v[0] : v;
}

function all(c: Computed, key: string): string[] {
  const v = c[key];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(/\s+/)).filter((s) => s !== '');
}

/** ssh_config(5) TOKENS, the ones that make sense here. */
function tokens(s: string, t: { h: string; p: number; r: string; n: string }, ctx: Ctx): string {
  return s.replace(/%([%dhprnu])/g, (_m, k: string) => {
    switch (k) {
      case '%':
        return '%';
      case 'd':
        return ctx.home;
      case 'h':
        return t.h;
      case 'p':
        return String(t.p);
      case 'r':
        return t.r;
      case 'n':
        return t.n;
      default:
        return ctx.localUser;
    }
  });
}

function path(s: string, t: { h: string; p: number; r: string; n: string }, ctx: Ctx): string {
  return expandHome(tokens(s, t, ctx), ctx.home);
}

/** A ProxyJump element: [user@]host[:port] or ssh://[user@]host[:port]; IPv6 in brackets. */
export function parseJumpSpec(spec: string): { user?: string; host: string; port?: number } {
  let s = spec.trim();
  if (s.startsWith('ssh://')) s = s.slice(6).replace(/\/$/, '');
  const m = /^(?:([^@\s]+)@)?(\[[0-9A-Fa-f:.]+\]|[^:@\s[\]]+)(?::([0-9]+))?$/.exec(s);
  if (!m || !m[2]) throw new FoureyesError('bad_input', `ProxyJump element "${spec}" is not [user@]host[:port]`);
  const host = m[2].replace(/^\[|\]$/g, '');
  const out: { user?: string; host: string; port?: number } = { host };
  if (m[1]) out.user = m[1];
  if (m[3]) {
    const p = portNumber(m[3]);
    if (p === undefined) throw new FoureyesError('bad_input', `ProxyJump element "${spec}" has an invalid port`);
    out.port = p;
  }
  return out;
}

function compute(ctx: Ctx, alias: string, user?: string): Computed {
  return ctx.config.compute(user ? { Host: alias, User: user } : { Host: alias }, { ignoreCase: true, matchExec: false });
}

function authFor(c: Computed, t: { h: string; p: number; r: string; n: string }, ctx: Ctx): AuthMethod {
  const ids = all(c, 'identityfile').filter((f) => f.toLowerCase() !== 'none');
  if (ids.length > 1) ctx.notes.push(`${t.n}: several IdentityFile entries; using the first (${ids[0]})`);
  if (ids[0]) return { type: 'key', keyPath: path(ids[0], t, ctx) };
  const agent = first(c, 'identityagent');
  if (agent && agent.toLowerCase() !== 'none') {
    if (agent === 'SSH_AUTH_SOCK') return { type: 'agent' };
    const sock = agent.startsWith('$') ? ctx.env[agent.slice(1)] : path(agent, t, ctx);
    if (sock) return { type: 'agent', socket: sock };
  }
  if (ctx.env.SSH_AUTH_SOCK && agent?.toLowerCase() !== 'none') return { type: 'agent' };
  for (const name of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
    const f = join(ctx.home, '.ssh', name);
    if (existsSync(f)) {
      ctx.notes.push(`${t.n}: no IdentityFile or agent; using the default key ${f}`);
      return { type: 'key', keyPath: f };
    }
  }
  ctx.notes.push(`${t.n}: no key and no agent; password authentication`);
  return { type: 'password' };
}

/** One hop or the target, without its jumps. */
function endpoint(ctx: Ctx, alias: string, over: { user?: string; port?: number } = {}): { ep: SshEndpoint; c: Computed } {
  const c = compute(ctx, alias, over.user);
  if (first(c, 'proxycommand') && first(c, 'proxycommand')?.toLowerCase() !== 'none' && !first(c, 'proxyjump')) {
    throw new FoureyesError('bad_input', `${ctx.file}: host "${alias}" uses ProxyCommand, which is not supported; use ProxyJump`);
  }
  for (const k of IGNORED) if (c[k] !== undefined) ctx.notes.push(`${alias}: ${k} is not applied`);
  const user = over.user ?? first(c, 'user') ?? ctx.localUser;
  let port = over.port;
  if (port === undefined) {
    const raw = first(c, 'port');
    const p = portNumber(raw ?? 22);
    if (p === undefined) throw new FoureyesError('bad_input', `${ctx.file}: host "${alias}" has an invalid Port "${raw}"`);
    port = p;
  }
  const t = { h: alias, p: port, r: user, n: alias };
  const address = tokens(first(c, 'hostname') ?? alias, t, ctx);
  if (!/^[A-Za-z0-9._:-]+$/.test(address)) throw new FoureyesError('bad_input', `${ctx.file}: host "${alias}" has an invalid HostName "${address}"`);
  const tt = { ...t, h: address };

  const userFiles = all(c, 'userknownhostsfile');
  const globalFiles = all(c, 'globalknownhostsfile');
  const files = [
    ...(userFiles.length ? userFiles : ['~/.ssh/known_hosts', '~/.ssh/known_hosts2']),
    ...(globalFiles.length ? globalFiles : ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']),
  ]
    .filter((f) => f.toLowerCase() !== 'none')
    .map((f) => path(f, tt, ctx));
  const strict = (first(c, 'stricthostkeychecking') ?? 'ask').toLowerCase();
  if (strict === 'no' || strict === 'off') ctx.notes.push(`${alias}: StrictHostKeyChecking ${strict} is treated as accept-new (a changed key is still refused)`);
  const acceptNew = ['accept-new', 'no', 'off'].includes(strict);

  return {
    c,
    ep: { name: alias, address, port, user, auth: authFor(c, tt, ctx), hostKey: { knownHostsFiles: files, acceptNew } },
  };
}

/** Jump hosts for a computed config, first hop first; the first hop's own ProxyJump is followed (as OpenSSH does). */
function jumps(ctx: Ctx, c: Computed, seen: string[]): SshEndpoint[] {
  const pj = first(c, 'proxyjump');
  if (!pj || pj.toLowerCase() === 'none') return [];
  const specs = pj.split(',').map(parseJumpSpec);
  const out: SshEndpoint[] = [];
  specs.forEach((spec, i) => {
    if (seen.includes(spec.host) || seen.length > MAX_HOPS) {
      throw new FoureyesError('bad_input', `${ctx.file}: ProxyJump loop or chain too long at "${spec.host}" (via ${seen.join(' -> ')})`);
    }
    const { ep, c: hc } = endpoint(ctx, spec.host, spec);
    // ssh -J a,b: a connects with its own config (its own ProxyJump too); b is reached through a.
    if (i === 0) out.push(...jumps(ctx, hc, [...seen, spec.host]));
    out.push(ep);
  });
  if (out.length > MAX_HOPS) throw new FoureyesError('bad_input', `${ctx.file}: more than ${MAX_HOPS} jump hosts`);
  return out;
}

/** Drops CanonicalizeHostName anywhere: the library would resolve names with nslookup while computing. */
function withoutCanonicalisation(config: SSHConfig): SSHConfig {
  const drop = (lines: Line[]): void => {
    for (let i = lines.length - 1; i >= 0; i--) {
      const l = lines[i]!;
      if (l.type === SSHConfig.DIRECTIVE && /^CanonicalizeHostName$/i.test(l.param)) lines.splice(i, 1);
      else if ('config' in l) drop(l.config);
    }
  };
  drop(config);
  return config;
}

/** Resolves `alias` from config text (`file` names it in messages). */
export function resolveAliasFromText(text: string, file: string, alias: string, opts: SshConfigOptions = {}): ResolvedAlias {
  if (!/^[A-Za-z0-9._:@[\]-]+$/.test(alias)) throw new FoureyesError('bad_input', `"${alias}" is not a host alias`);
  let config: SSHConfig;
  try {
    config = withoutCanonicalisation(SSHConfig.parse(text));
  } catch (e) {
    throw new FoureyesError('bad_input', `${file}: cannot parse SSH client configuration: ${(e as Error).message}`);
  }
  const ctx: Ctx = {
    config,
    file,
    home: opts.home ?? homedir(),
    localUser: opts.localUser ?? userInfo().username,
    env: opts.env ?? process.env,
    notes: [],
  };
  const spec = parseJumpSpec(alias);
  const { ep, c } = endpoint(ctx, spec.host, spec);
  const target: SshTarget = { ...ep, jumps: jumps(ctx, c, [spec.host]), privilege: opts.privilege ?? 'auto' };
  return { target, notes: [...new Set(ctx.notes)] };
}

/** Reads an OpenSSH client config file (e.g. ~/.ssh/config) and resolves `alias`. */
export function resolveAlias(configFile: string, alias: string, opts: SshConfigOptions = {}): ResolvedAlias {
  const file = expandHome(configFile, opts.home ?? homedir());
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new FoureyesError('bad_input', `cannot read SSH client configuration ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const text = decodeUserFile(bytes, file);
  return resolveAliasFromText(text, file, alias, opts);
}
