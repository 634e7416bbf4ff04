import YAML from 'yaml';
import { FoureyesError } from '../../shared/model/errors.js';
import type { InventoryHost, InventoryParse } from './types.js';
import { collect, setPort, shown } from './validate.js';

type Entry = { host: InventoryHost; line: number };

function fromVars(name: string, vars: Record<string, unknown>, groups: string[]): InventoryHost {
  const str = (k: string) => (typeof vars[k] === 'string' || typeof vars[k] === 'number' ? String(vars[k]) : undefined);
  const h: InventoryHost = { name, address: str('ansible_host') ?? name, groups: [...groups] };
  setPort(h, vars['ansible_port'] ?? vars['ansible_ssh_port']);
  const user = str('ansible_user') ?? str('ansible_ssh_user');
  if (user) h.user = user;
  const key = str('ansible_ssh_private_key_file');
  if (key) h.identityFile = key;
  // ProxyJump is commonly given through ansible_ssh_common_args: -o ProxyJump=bastion or -J bastion
  const common = str('ansible_ssh_common_args') ?? str('ansible_ssh_extra_args') ?? '';
  const pj = /(?:-o\s*['"]?ProxyJump=|-J\s+)([^\s'"]+)/i.exec(common);
  if (pj?.[1]) h.jump = pj[1];
  return h;
}

function tooDeep(file: string, line: number): FoureyesError {
  return new FoureyesError('bad_input', `${file}${line ? `:${line}` : ''}: nested too deeply to be an inventory (lists or mappings inside each other without end)`);
}

/** Ansible YAML inventory: groups with `hosts`, `vars` and `children`, any depth. Group vars apply to members. */
export function parseAnsibleYaml(text: string, file = 'inventory.yml'): InventoryParse {
  const doc = YAML.parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line ?? 0;
    // The parser recurses per level: a document nested without end stops it with a stack overflow of its own.
    if (/Maximum call stack/i.test(e.message)) throw tooDeep(file, line);
    throw new FoureyesError('bad_input', `${file}:${line}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    if (e instanceof RangeError) throw tooDeep(file, 0);
    // The yaml library stops alias expansion past maxAliasCount (an "alias bomb") with a ReferenceError.
    throw new FoureyesError(
      'bad_input',
      `${file}: aliases expand too far (more than 100 alias uses, or a recursive alias); write the hosts out`,
      { file, why: e instanceof Error ? e.name : 'error' },
    );
  }
  if (root === null || root === undefined) return { hosts: [], problems: [] };
  if (typeof root !== 'object' || Array.isArray(root))
    throw new FoureyesError('bad_input', `${file}: an Ansible YAML inventory is a mapping of groups (e.g. all: hosts: ...)`);
  // Where each key is first written, found in one pass (a search per host would be quadratic in the file's size).
  const firstLine = new Map<string, number>();
  text.split('\n').forEach((l, i) => {
    const m = /^\s*(?:-\s+)?["']?([^"':#\s][^"':#]*?)["']?\s*:/.exec(l);
    if (m && !firstLine.has(m[1]!)) firstLine.set(m[1]!, i + 1);
  });
  const lineOf = (name: string) => firstLine.get(name) ?? 0;
  const entries: Entry[] = [];
  const visit = (groupName: string, group: unknown, inherited: Record<string, unknown>, path: string[], depth: number) => {
    if (depth > 32 || group === null || typeof group !== 'object') return;
    const g = group as Record<string, unknown>;
    const vars = { ...inherited, ...(isObj(g['vars']) ? g['vars'] : {}) };
    const groups = groupName === 'all' || groupName === 'ungrouped' ? path : [...path, groupName];
    if (isObj(g['hosts'])) {
      for (const [name, hv] of Object.entries(g['hosts'])) {
        entries.push({ host: fromVars(name, { ...vars, ...(isObj(hv) ? hv : {}) }, groups), line: lineOf(name) });
      }
    }
    if (isObj(g['children'])) {
      for (const [child, cv] of Object.entries(g['children'])) visit(child, cv ?? {}, vars, groups, depth + 1);
    }
  };
  for (const [name, g] of Object.entries(root as Record<string, unknown>)) visit(name, g ?? {}, {}, [], 0);
  return collect(entries, file);
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Ansible INI inventory: `[group]`, `[group:vars]`, `[group:children]`, host lines with key=value vars. */
export function parseAnsibleIni(text: string, file = 'inventory.ini'): InventoryParse {
  type Group = { hosts: { name: string; vars: Record<string, string>; line: number }[]; vars: Record<string, string>; children: string[] };
  const groups = new Map<string, Group>();
  const get = (n: string) => {
    let g = groups.get(n);
    if (!g) groups.set(n, (g = { hosts: [], vars: {}, children: [] }));
    return g;
  };
  const problems: { line: number; message: string }[] = [];
  let current = 'ungrouped';
  let section: 'hosts' | 'vars' | 'children' = 'hosts';
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const sec = /^\[([^\]:]+)(?::(vars|children))?\]$/.exec(line);
    if (sec) {
      current = sec[1]!;
      section = (sec[2] as 'vars' | 'children' | undefined) ?? 'hosts';
      get(current);
      return;
    }
    const tokens = line.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
    if (tokens.join('').replace(/\s/g, '').length !== line.replace(/\s/g, '').length) {
      // Something the tokens did not cover: a quote opened and never closed on this line.
      problems.push({ line: i + 1, message: `${file}:${i + 1}: A quote (" or ') is opened and never closed on this line.` });
      return;
    }
    if (section === 'children') {
      get(current).children.push(tokens[0]!);
      return;
    }
    if (section === 'vars') {
      const kv = /^([^=\s]+)\s*=\s*(.*)$/.exec(line);
      if (kv) get(current).vars[kv[1]!] = unquote(kv[2]!);
      else problems.push({ line: i + 1, message: `${file}:${i + 1}: Expected key=value in [${shown(current)}:vars].` });
      return;
    }
    const [name, ...rest] = tokens;
    const vars: Record<string, string> = {};
    for (const t of rest) {
      const eq = t.indexOf('=');
      if (eq > 0) vars[t.slice(0, eq)] = unquote(t.slice(eq + 1));
      else problems.push({ line: i + 1, message: `${file}:${i + 1}: Unexpected ${shown(t)}; host variables are key=value.` });
    }
    if (name && /\[\d+:\d+\]/.test(name)) {
      problems.push({ line: i + 1, message: `${file}:${i + 1}: Host ranges like ${shown(name)} are not expanded; list the hosts.` });
      return;
    }
    get(current).hosts.push({ name: name!, vars, line: i + 1 });
  });
  // Resolve group vars through children (a child inherits its parents' vars) and memberships.
  const parentsOf = new Map<string, string[]>();
  for (const [g, def] of groups) for (const c of def.children) parentsOf.set(c, [...(parentsOf.get(c) ?? []), g]);
  // Parents first, then the group itself; at most 32 levels, like the YAML form (a file may nest without end).
  const ancestry = (g: string): string[] => {
    const out: string[] = [];
    const seen = new Set<string>();
    const visit = (x: string, depth: number): void => {
      if (seen.has(x) || depth > 32) return;
      seen.add(x);
      for (const p of parentsOf.get(x) ?? []) visit(p, depth + 1);
      out.push(x);
    };
    visit(g, 0);
    return out;
  };
  const entries: Entry[] = [];
  for (const [g, def] of groups) {
    const chain = ancestry(g);
    const vars: Record<string, string> = { ...groups.get('all')?.vars };
    for (const c of chain) Object.assign(vars, groups.get(c)?.vars);
    const memberOf = chain.filter((c) => c !== 'all' && c !== 'ungrouped');
    for (const h of def.hosts) entries.push({ host: fromVars(h.name, { ...vars, ...h.vars }, memberOf), line: h.line });
  }
  const out = collect(entries, file);
  return { hosts: out.hosts, problems: [...problems, ...out.problems] };
}

function unquote(v: string): string {
  return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}
