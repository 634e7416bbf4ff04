/**
 * An Ansible playbook that remediates the failing checks of a scan: one play per host group (a host's first tag,
 * else `ungrouped`), in it one block per failing check with that check's Ansible tasks, run only on the hosts where
 * it failed, tagged with the check id. Blocks whose change may lock people out or stop a service (remediation
 * `risky`) are tagged `never` and `risky` as well: `ansible-playbook` skips them unless `--tags risky` (or their
 * check id) is given.
 *
 * Plays target groups of the inventory written beside the playbook (`buildInventory`), never a pattern made of host
 * names: a host called `all` or `~.*` cannot widen a play. Everything from the workspace (host names, addresses,
 * titles) is written as `!unsafe`, which Ansible never templates: a host name holding `{{ lookup('pipe', ...) }}`
 * stays text. A host name that is not a plain DNS-style name gets a neutral inventory name (`foureyes-host-3`) with
 * its real name kept as a variable. The YAML library writes the whole document. Checks without an Ansible task are
 * listed in the playbook's header for hand remediation.
 */
import { parse, stringify, type ScalarTag } from 'yaml';
import { stringifyString } from 'yaml/util';
import type { Check } from '../../shared/checks/schema.js';
import { FoureyesError } from '../../shared/model/errors.js';

export interface RemediationHost {
  name: string;
  /** The play the host goes to (its first tag, or `ungrouped`). */
  group: string;
  address: string;
  port: number;
  user: string;
}

/** A string Ansible must never template: written with the `!unsafe` tag. */
class Unsafe {
  constructor(readonly value: string) {}
}
const UNSAFE_TAG: ScalarTag = {
  tag: '!unsafe',
  identify: (v) => v instanceof Unsafe,
  resolve: (s) => new Unsafe(s),
  stringify: (item, ctx, onComment, onChompKeep) =>
    stringifyString({ value: (item.value as Unsafe).value } as Parameters<typeof stringifyString>[0], ctx, onComment, onChompKeep),
};
const write = (v: unknown): string => stringify(v, { customTags: [UNSAFE_TAG], lineWidth: 0, aliasDuplicateObjects: false });

const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** Inventory names and group names: each host's name where it is plain, a neutral one otherwise; groups made safe. */
function naming(hosts: readonly RemediationHost[]): { host: Map<string, string>; group: Map<string, string> } {
  const host = new Map<string, string>();
  const used = new Set<string>();
  hosts.forEach((h, i) => {
    let n = PLAIN_NAME.test(h.name) && !/^(all|ungrouped|localhost)$/i.test(h.name) ? h.name : `foureyes-host-${i + 1}`;
    while (used.has(n)) n = `${n}-${i + 1}`;
    used.add(n);
    host.set(h.name, n);
  });
  const group = new Map<string, string>();
  const usedGroups = new Set<string>();
  for (const g of [...new Set(hosts.map((h) => h.group))].sort()) {
    let n = `foureyes_${g.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'group'}`;
    for (let k = 2; usedGroups.has(n); k++) n = `${n.replace(/_\d+$/, '')}_${k}`;
    usedGroups.add(n);
    group.set(g, n);
  }
  return { host, group };
}

/** The inventory the playbook's plays target: one group per host group, each host with its address, port and user. */
export function buildInventory(hosts: readonly RemediationHost[]): string {
  const { host, group } = naming(hosts);
  const children: Record<string, { hosts: Record<string, Record<string, unknown>> }> = {};
  for (const h of hosts) {
    const g = (children[group.get(h.group) as string] ??= { hosts: {} });
    const name = host.get(h.name) as string;
    g.hosts[name] = {
      ansible_host: new Unsafe(h.address),
      ansible_port: h.port,
      ansible_user: new Unsafe(h.user),
      ...(name !== h.name ? { foureyes_name: new Unsafe(h.name) } : {}),
    };
  }
  return `# Hosts of the remediation playbook beside this file, grouped as its plays are.\n${write({ all: { children } })}`;
}

export interface PlaybookInput {
  scanId: string;
  generatedAt: string;
  tool: string;
  hosts: readonly RemediationHost[];
  /** Failing check id -> the hosts (names) where it failed. */
  failing: ReadonlyMap<string, readonly string[]>;
  checks: ReadonlyMap<string, Check>;
}

export interface Playbook {
  text: string;
  /** Checks with tasks in the playbook, and those without an Ansible task (to be fixed by hand). */
  included: string[];
  manual: string[];
  risky: string[];
  plays: number;
}

/** A check's Ansible remediation as a list of tasks (it is validated as YAML when the catalogue is loaded). */
export function checkTasks(c: Check): Record<string, unknown>[] {
  const doc: unknown = parse(c.remediation.ansible ?? '', { maxAliasCount: 100 });
  const list = Array.isArray(doc) ? doc : [doc];
  if (list.length === 0 || !list.every((t) => typeof t === 'object' && t !== null && !Array.isArray(t)))
    throw new FoureyesError('bad_input', `check ${c.id}: its Ansible remediation is not a list of tasks`);
  return list as Record<string, unknown>[];
}

const varName = (checkId: string): string => `foureyes_hosts_${checkId.replace(/-/g, '_')}`;

export function buildPlaybook(input: PlaybookInput): Playbook {
  const names = naming(input.hosts);
  const groups = new Map<string, string[]>();
  for (const h of input.hosts) {
    const list = groups.get(h.group) ?? [];
    list.push(h.name);
    groups.set(h.group, list);
  }
  const included = new Set<string>();
  const manual = new Set<string>();
  const risky = new Set<string>();
  const plays: Record<string, unknown>[] = [];
  const order = [...input.checks.keys()];
  const failingIds = [...input.failing.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  for (const [group, members] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const inGroup = new Set(members);
    const vars: Record<string, Unsafe[]> = {};
    const tasks: Record<string, unknown>[] = [];
    for (const id of failingIds) {
      const where = (input.failing.get(id) ?? []).filter((n) => inGroup.has(n)).sort();
      if (where.length === 0) continue;
      const c = input.checks.get(id);
      if (!c) continue;
      if (!c.remediation.ansible) {
        manual.add(id);
        continue;
      }
      included.add(id);
      if (c.remediation.risky) risky.add(id);
      vars[varName(id)] = where.map((n) => new Unsafe(names.host.get(n) as string));
      tasks.push({
        name: new Unsafe(`${id}: ${c.title}`),
        when: `inventory_hostname in ${varName(id)}`,
        tags: c.remediation.risky ? [id, 'risky', 'never'] : [id],
        block: checkTasks(c),
        // A check that could not be remediated on a host does not stop the others; the play ends listing it.
        rescue: [
          {
            name: `${id}: not remediated`,
            'ansible.builtin.set_fact': { foureyes_not_remediated: `{{ (foureyes_not_remediated | default([])) + ['${id}'] }}` },
          },
        ],
      });
    }
    if (tasks.length === 0) continue;
    tasks.push({
      name: 'Checks not remediated',
      'ansible.builtin.fail': { msg: "not remediated on {{ inventory_hostname }}: {{ foureyes_not_remediated | join(', ') }}" },
      when: 'foureyes_not_remediated is defined and foureyes_not_remediated | length > 0',
      tags: ['always'],
    });
    plays.push({
      name: new Unsafe(`Remediate the failing checks of group ${group}`),
      hosts: names.group.get(group) as string,
      become: true,
      gather_facts: true,
      vars,
      tasks,
    });
  }
  const header = [
    `Written by ${input.tool} from scan ${input.scanId} on ${input.generatedAt}.`,
    'Remediation of the checks that failed, one play per host group, each block on the hosts where its check failed',
    'and tagged with the check id (--tags <check id> runs one). Review it before running it against a host:',
    '  ansible-playbook -i <the inventory written with it> <this file>',
    `Blocks tagged 'risky' may lock people out or stop a service; they run only with --tags risky (${risky.size}).`,
    ...(manual.size > 0 ? ['No Ansible task, to be remediated by hand (see the report):', ...[...manual].map((m) => `  ${m}`)] : []),
  ];
  const body = plays.length > 0 ? write(plays) : '[]\n';
  return {
    text: `${header.map((l) => `# ${l}`.trimEnd()).join('\n')}\n${body}`,
    included: [...included],
    manual: [...manual],
    risky: [...risky],
    plays: plays.length,
  };
}
