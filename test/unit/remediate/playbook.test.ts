/**
 * The remediation playbook from real catalogue checks: plays per host group against the inventory written with
 * it, blocks on the hosts where each check failed, risky blocks off unless asked for, hostile host names and groups
 * kept as `!unsafe` data; and Debian's ansible-playbook accepts it (--syntax-check) and lists exactly the tasks
 * expected with and without `--tags risky`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../../shared/checks/schema.js';
import { loadCatalogue, type Catalogue } from '../../../main/catalogue/load.js';
import { buildInventory, buildPlaybook, type RemediationHost } from '../../../main/remediate/playbook.js';
import { missingTool } from '../collector/helpers.js';

const NO_ANSIBLE = missingTool('ansible-playbook', 'ansible');
const skipped = NO_ANSIBLE ? ` (skipped: ${NO_ANSIBLE})` : '';

let cat: Catalogue;
let checks: Map<string, Check>;
const EVIL = "{{ lookup('pipe', 'touch /tmp/foureyes-pwned') }}";
const hosts: RemediationHost[] = [
  { name: 'web1', group: 'web', address: '10.0.0.1', port: 22, user: 'admin' },
  { name: 'web2', group: 'web', address: '10.0.0.2', port: 2222, user: 'admin' },
  { name: EVIL, group: 'db; rm -rf /', address: `10.0.0.3 ${EVIL}`, port: 22, user: EVIL },
  { name: 'all', group: 'ungrouped', address: '10.0.0.4', port: 22, user: 'root' },
];

beforeAll(() => {
  cat = loadCatalogue();
  checks = new Map(cat.checks.map((c) => [c.id, c]));
  const hand = cat.byId.get('services-exposed-listeners')!;
  // A check without an Ansible task: listed for hand remediation, never an empty block.
  checks.set(hand.id, { ...hand, remediation: { text: hand.remediation.text } });
});

const unsafeTags = [{ tag: '!unsafe', resolve: (s: string) => `UNSAFE(${s})` }];

function book() {
  return buildPlaybook({
    scanId: 'scan-1',
    generatedAt: '2026-12-07T12:00:00.000Z',
    tool: 'Foureyes test',
    hosts,
    failing: new Map([
      ['sshd-max-auth-tries', ['web1', 'web2', EVIL]],
      ['sshd-password-authentication', ['web2']],
      ['sysctl-ip-forward-disabled', ['all']],
      ['services-exposed-listeners', ['web1']],
    ]),
    checks,
  });
}

describe('remediation playbook', () => {
  it('one play per group against its inventory group, one block per failing check on the hosts where it failed', () => {
    const b = book();
    const plays = parse(b.text, { customTags: unsafeTags }) as Record<string, unknown>[];
    expect(plays.map((p) => p.hosts)).toEqual(['foureyes_db_rm_rf', 'foureyes_ungrouped', 'foureyes_web']);
    const web = plays[2] as { tasks: { name: string; tags: string[]; when: string; block?: unknown[]; rescue?: unknown[] }[]; vars: Record<string, string[]> };
    // The last task names the checks a host could not be remediated for; every other is a check's block.
    expect(web.tasks.at(-1)).toMatchObject({ name: 'Checks not remediated', tags: ['always'] });
    web.tasks.pop();
    expect(web.tasks.every((t) => Array.isArray(t.block) && Array.isArray(t.rescue))).toBe(true);
    // Blocks in catalogue order (sshd-password-authentication comes first there).
    expect(web.tasks.map((t) => t.tags)).toEqual([['sshd-password-authentication', 'risky', 'never'], ['sshd-max-auth-tries']]);
    expect(web.vars.foureyes_hosts_sshd_max_auth_tries).toEqual(['UNSAFE(web1)', 'UNSAFE(web2)']);
    expect(web.tasks[1]?.when).toBe('inventory_hostname in foureyes_hosts_sshd_max_auth_tries');
    expect(web.tasks[1]?.block?.length).toBeGreaterThan(1);
    expect(b.risky).toEqual(['sshd-password-authentication']);
    expect(b.manual).toEqual(['services-exposed-listeners']);
    expect(b.text).toMatch(/^# .*services-exposed-listeners$/m);
    // The hostile host got a neutral inventory name; its text never stands outside an !unsafe scalar.
    const db = plays[0] as { vars: Record<string, string[]>; name: string };
    expect(db.vars.foureyes_hosts_sshd_max_auth_tries).toEqual(['UNSAFE(foureyes-host-3)']);
    expect(db.name).toBe('UNSAFE(Remediate the failing checks of group db; rm -rf /)');
    for (const line of b.text.split('\n').filter((l) => l.includes('lookup'))) expect(line).toMatch(/!unsafe/);
    // A host called `all` cannot widen a play: it is foureyes-host-4 in the inventory.
    const inv = parse(buildInventory(hosts), { customTags: unsafeTags }) as { all: { children: Record<string, { hosts: Record<string, Record<string, unknown>> }> } };
    expect(Object.keys(inv.all.children.foureyes_ungrouped?.hosts ?? {})).toEqual(['foureyes-host-4']);
    expect(inv.all.children.foureyes_db_rm_rf?.hosts['foureyes-host-3']).toEqual({
      ansible_host: `UNSAFE(10.0.0.3 ${EVIL})`,
      ansible_port: 22,
      ansible_user: `UNSAFE(${EVIL})`,
      foureyes_name: `UNSAFE(${EVIL})`,
    });
    expect(inv.all.children.foureyes_web?.hosts.web2).toMatchObject({ ansible_port: 2222 });
  });

  it.skipIf(NO_ANSIBLE !== undefined)(`passes ansible-playbook --syntax-check; risky tasks are listed only with --tags risky${skipped}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'fe-play-'));
    const b = book();
    writeFileSync(join(dir, 'site.yml'), b.text);
    writeFileSync(join(dir, 'inv.yml'), buildInventory(hosts));
    const run = (...args: string[]) =>
      spawnSync('ansible-playbook', ['-i', join(dir, 'inv.yml'), ...args, join(dir, 'site.yml')], {
        encoding: 'utf8',
        env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: join(dir, 'tmp'), ANSIBLE_HOME: join(dir, 'home') },
        timeout: 120_000,
      });
    const syntax = run('--syntax-check');
    expect(syntax.stderr + syntax.stdout).not.toMatch(/ERROR/);
    expect(syntax.status).toBe(0);
    const plain = run('--list-tasks');
    expect(plain.status).toBe(0);
    expect(plain.stdout).toContain('sshd-max-auth-tries');
    expect(plain.stdout).not.toContain('sshd-password-authentication');
    const risky = run('--list-tasks', '--tags', 'risky');
    expect(risky.stdout).toContain('sshd-password-authentication');
    const hostsOf = run('--list-hosts');
    expect(hostsOf.stdout).toContain('foureyes-host-3');
    expect(hostsOf.stdout).not.toContain('lookup');
  });
});
