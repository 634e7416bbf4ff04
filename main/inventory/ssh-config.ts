import { homedir } from 'node:os';
import SSHConfig, { type Directive, type Line } from 'ssh-config';
import { parseJumpSpec } from '../ssh/ssh-config.js';
import { expandHome, localUserName } from '../ssh/paths.js';
import { SSH_CONFIG_KEYWORDS } from './ssh-config-keywords.js';
import type { InventoryHost, InventoryParse, InventoryProblem } from './types.js';
import { collect, setPort } from './validate.js';

/**
 * OpenSSH client configuration (ssh_config(5)) as an inventory. Every concrete name of a `Host` line (no `*`, `?`
 * or `!`) is one host: HostName (default the name), Port, User, IdentityFile (first one, `~` and tokens
 * expanded), ProxyJump (first hop, as the host's jump). Settings come the way ssh computes them: every `Host`
 * block whose patterns match the name applies, in file order, and the first value obtained wins (ssh-config's
 * compute). `Match` blocks and `Include` are not applied (reported); host name canonicalisation (DNS) is never
 * done. The text is untrusted: a line that cannot be read is reported with its number and skipped; this function
 * never throws.
 */

export interface SshConfigInventoryOptions {
  /** For `~` and `%d` (default this user's home). */
  home?: string;
  /** For `%u` and as `%r` when no User is set (default this user). */
  localUser?: string;
}

/** Names taken from one file; beyond that the rest is reported and ignored. */
const MAX_HOSTS = 5000;
/** Host blocks with patterns, each tested against every name: bounded so the work stays bounded. */
const MAX_PATTERN_BLOCKS = 500;

interface HostBlock {
  node: Directive & { config: SSHConfig };
  line: number;
  patterns: string[];
  /** Only concrete names: it applies to exactly those names. */
  concrete: boolean;
}

/** Settings before the first Host line: copied into every host's view, so bounded (ssh has about 100 keywords). */
const MAX_GLOBAL_SETTINGS = 1000;

/** Wildcards (`*`, `?`) per Host pattern. */
const MAX_WILDCARDS = 3;

type Computed = Record<string, string | string[]>;

const isConcrete = (p: string): boolean => !/[*?!]/.test(p);

function valuesOf(d: Directive): string[] {
  return Array.isArray(d.value) ? d.value.map((v) => v.val) : [d.value];
}

function firstOf(c: Computed, key: string): string | undefined {
  const v = c[key];
  return Array.isArray(v) ? v[0] : v;
}

/** Reads one line on its own: ssh_config has no construct that spans lines. */
function readLine(text: string): { directive?: Directive; error?: string } {
  let parsed: SSHConfig;
  try {
    parsed = SSHConfig.parse(text);
  } catch (e) {
    // The library throws a TypeError for a section keyword without any pattern.
    return { error: e instanceof TypeError ? 'keyword without a value' : (e as Error).message };
  }
  const d = [...parsed].find((l: Line): l is Directive => l.type === SSHConfig.DIRECTIVE);
  if (!d) return {};
  if ('config' in d) delete (d as Partial<HostBlock['node']>).config;
  return { directive: d };
}

/** Lines, `Host` blocks and the directives before the first block, with problems for what is not used. */
function structure(text: string, file: string, problems: InventoryProblem[]) {
  const global: Line[] = [];
  const blocks: HostBlock[] = [];
  let current: Line[] | undefined = global;
  const note = (line: number, message: string) =>
    problems.push({ line, message: `${file}:${line}: ${message}` });
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const n = i + 1;
    const { directive: d, error } = readLine(raw);
    if (error !== undefined) {
      // A broken Host or Match line: the lines below it belong to no block we know.
      if (/^\s*(host|match)\b/i.test(raw)) {
        current = undefined;
        return note(
          n,
          `cannot read this line (${error.slice(0, 200)}); the settings up to the next Host line are ignored`,
        );
      }
      return note(n, `cannot read this line (${error.slice(0, 200)})`);
    }
    if (!d) return;
    const key = d.param.toLowerCase();
    const values = valuesOf(d).filter((v) => v !== '');
    if (!SSH_CONFIG_KEYWORDS.has(key))
      return note(n, `unknown keyword ${JSON.stringify(d.param.slice(0, 60))} (line ignored)`);
    if (values.length === 0) return note(n, `${d.param} without a value (line ignored)`);
    if (key === 'host') {
      // Patterns become backtracking regular expressions (here and in ssh-config): keep them small.
      const wild = values.find((v) => v.length > 253 || (v.match(/[*?]/g) ?? []).length > MAX_WILDCARDS);
      if (wild !== undefined) {
        current = undefined;
        return note(
          n,
          `Host pattern ${JSON.stringify(wild.slice(0, 60))} is too long or has more than ${MAX_WILDCARDS} wildcards; block ignored`,
        );
      }
      const node = Object.assign(d, { config: new SSHConfig() });
      blocks.push({ node, line: n, patterns: values, concrete: values.every(isConcrete) });
      current = node.config;
      return;
    }
    if (key === 'match') {
      note(n, `Match blocks are not applied; the settings up to the next Host line are ignored`);
      current = undefined;
      return;
    }
    if (key === 'include') return note(n, 'Include is not followed; import the included file on its own');
    // Never resolve names through DNS while computing (the library would run nslookup).
    if (key === 'canonicalizehostname' || key === 'canonicaldomains') return;
    if (current === global && global.length >= MAX_GLOBAL_SETTINGS) {
      if (global.length === MAX_GLOBAL_SETTINGS) note(n, `more than ${MAX_GLOBAL_SETTINGS} settings before the first Host line; the rest are ignored`);
      current = undefined;
      return;
    }
    current?.push(d);
  });
  return { global, blocks };
}

/**
 * Whether a pattern block can apply to `name`: a cheap first pass with regular expressions compiled once per
 * block (ssh-config's glob compiles them on every test). A superset: negations are left to compute(), which
 * decides exactly.
 */
const compiled = new WeakMap<HostBlock, RegExp[]>();
function mayMatch(b: HostBlock, name: string): boolean {
  let res = compiled.get(b);
  if (!res) {
    res = b.patterns
      .filter((p) => !p.startsWith('!'))
      .map(
        (p) =>
          new RegExp(
            `^(?:${p
              .replace(/[\\()[\]{}.+^$|]/g, '\\$&')
              .replace(/\*/g, '.*')
              .replace(/\?/g, '.?')})$`,
          ),
      );
    compiled.set(b, res);
  }
  return res.some((re) => re.test(name));
}

/** ssh_config(5) TOKENS that make sense for a file path. */
function expandTokens(s: string, t: { home: string; localUser: string; host: string; user: string }): string {
  const replaced = s.replace(/%([%dhru])/g, (_m, k: string) =>
    k === '%' ? '%' : k === 'd' ? t.home : k === 'h' ? t.host : k === 'r' ? t.user : t.localUser,
  );
  return expandHome(replaced, t.home);
}

/** Parses ssh_config text into inventory hosts; `file` names it in messages. */
export function parseSshConfigInventory(
  text: string,
  file = 'ssh_config',
  opts: SshConfigInventoryOptions = {},
): InventoryParse {
  const problems: InventoryProblem[] = [];
  const home = opts.home ?? homedir();
  const localUser = opts.localUser ?? localUserName('root');
  const { global, blocks } = structure(text, file, problems);

  let patternBlocks = blocks.filter((b) => !b.concrete);
  if (patternBlocks.length > MAX_PATTERN_BLOCKS) {
    const cut = patternBlocks[MAX_PATTERN_BLOCKS]!;
    problems.push({
      line: cut.line,
      message: `${file}:${cut.line}: more than ${MAX_PATTERN_BLOCKS} Host blocks with patterns; the rest are ignored`,
    });
    patternBlocks = patternBlocks.slice(0, MAX_PATTERN_BLOCKS);
  }

  // Each concrete name once, at its first Host line.
  const names = new Map<string, { line: number; blocks: HostBlock[] }>();
  let full = false;
  for (const b of blocks) {
    for (const p of b.patterns.filter(isConcrete)) {
      const seen = names.get(p);
      if (seen) {
        if (seen.blocks.at(-1) !== b) seen.blocks.push(b);
      } else if (names.size < MAX_HOSTS) {
        names.set(p, { line: b.line, blocks: [b] });
      } else if (!full) {
        full = true;
        problems.push({
          line: b.line,
          message: `${file}:${b.line}: more than ${MAX_HOSTS} hosts; ${p} and later ones are ignored`,
        });
      }
    }
  }

  const entries: { host: InventoryHost; line: number }[] = [];
  for (const [alias, { line, blocks: own }] of names) {
    const where = `${file}:${line}`;
    // What ssh would read for this name: the global lines, then (in file order) its own blocks and every pattern
    // block; compute() tests the patterns and keeps the first value of each keyword.
    const sub = new SSHConfig();
    const relevant = [...new Set([...own, ...patternBlocks.filter((b) => mayMatch(b, alias))])].sort(
      (a, b) => a.line - b.line,
    );
    // One push per line: spreading a long list into arguments overflows the stack.
    for (const l of global) sub.push(l);
    for (const b of relevant) sub.push(b.node);
    let c: Computed;
    try {
      c = sub.compute({ Host: alias }, { ignoreCase: true, matchExec: false });
    } catch (e) {
      problems.push({
        line,
        message: `${where}: host ${alias}: settings cannot be computed (${(e as Error).message})`,
      });
      continue;
    }
    const proxyCommand = firstOf(c, 'proxycommand');
    const proxyJump = firstOf(c, 'proxyjump');
    if (
      proxyCommand &&
      proxyCommand.toLowerCase() !== 'none' &&
      (!proxyJump || proxyJump.toLowerCase() === 'none')
    ) {
      problems.push({
        line,
        message: `${where}: host ${alias} uses ProxyCommand, which is not supported (use ProxyJump); host skipped`,
      });
      continue;
    }
    const rawHostName = firstOf(c, 'hostname') ?? alias;
    const address = rawHostName.replace(/%([%h])/g, (_m, k: string) => (k === '%' ? '%' : alias));
    const h: InventoryHost = { name: alias, address, groups: [], line };
    setPort(h, firstOf(c, 'port'));
    const user = firstOf(c, 'user');
    if (user !== undefined) h.user = user;
    const ids = ([] as string[]).concat(c['identityfile'] ?? []).filter((f) => f.toLowerCase() !== 'none');
    if (ids[0] !== undefined) {
      h.identityFile = expandTokens(ids[0], { home, localUser, host: address, user: user ?? localUser });
      if (ids.length > 1)
        problems.push({
          line,
          message: `${where}: host ${alias}: several IdentityFile entries; using the first (${ids[0]})`,
        });
    }
    if (proxyJump && proxyJump.toLowerCase() !== 'none') {
      const hops = proxyJump.split(',').map((s) => s.trim());
      try {
        parseJumpSpec(hops[0]!);
        h.jump = hops[0]!;
        if (hops.length > 1) {
          problems.push({
            line,
            message: `${where}: host ${alias}: ProxyJump ${proxyJump}: only the first hop (${hops[0]}) is kept as its jump host`,
          });
        }
      } catch (e) {
        problems.push({ line, message: `${where}: host ${alias}: ${(e as Error).message}; host skipped` });
        continue;
      }
    }
    entries.push({ host: h, line });
  }
  const out = collect(entries, file);
  return { hosts: out.hosts, problems: [...problems, ...out.problems].sort((a, b) => a.line - b.line) };
}
