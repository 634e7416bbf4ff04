import { describe, expect, it } from 'vitest';
import { parseCsvInventory } from '../../../main/inventory/csv.js';
import { parseAnsibleIni, parseAnsibleYaml } from '../../../main/inventory/ansible.js';

describe('CSV inventory', () => {
  it('reads hosts with aliases for column names and reports bad rows by line', () => {
    const r = parseCsvInventory('Name,IP,Port,User,groups\ndb01,10.0.0.5,2222,audit,db;prod\nweb01,,22,,\nbad,10.0.0.999,22,,\n', 'hosts.csv');
    expect(r.hosts.map((h) => [h.name, h.address, h.port, h.user, h.groups])).toEqual([
      ['db01', '10.0.0.5', 2222, 'audit', ['db', 'prod']],
      ['web01', 'web01', 22, undefined, []],
    ]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.message).toContain('hosts.csv:4');
    expect(r.problems[0]!.message).toContain('10.0.0.999');
  });
  it('echoes a refused value quoted and cut short, however long it is in the file', () => {
    const long = `a${'\u0001'.repeat(100_000)}`;
    const r = parseCsvInventory(`name,address,user\nh1,${long},root\n${'n'.repeat(300)},10.0.0.1,\nh3,10.0.0.2,${long}\n`, 'big.csv');
    expect(r.hosts).toEqual([]);
    expect(r.problems.map((p) => p.line)).toEqual([2, 3, 4]);
    for (const p of r.problems) expect(p.message.length).toBeLessThan(500);
    expect(r.problems[0]!.message).toContain('invalid address "a\\u0001');
    expect(r.problems[1]!.message).toContain(`invalid host name "${'n'.repeat(60)}"…`);
    expect(r.problems[2]!.message).toContain('invalid user "a\\u0001');
    const ini = parseAnsibleIni(`[web]\nh1 ${'x'.repeat(100_000)}\n`, 'hosts.ini');
    expect(ini.problems).toHaveLength(1);
    expect(ini.problems[0]!.message).toContain(`unexpected token "${'x'.repeat(60)}"…`);
    expect(ini.problems[0]!.message.length).toBeLessThan(200);
  });
  it('refuses a file without a name or address column, naming the file', () => {
    expect(() => parseCsvInventory('foo,bar\n1,2\n', 'x.csv')).toThrow(/x\.csv: the header row needs/);
  });
});

describe('Ansible inventories', () => {
  it('YAML: nested children, inherited group vars, ProxyJump from common args', () => {
    const y = `all:
  vars:
    ansible_user: audit
  children:
    web:
      vars:
        ansible_ssh_common_args: "-o ProxyJump=bastion"
      hosts:
        web01: { ansible_host: 10.1.0.1, ansible_port: 2200 }
        web02:
    db:
      hosts:
        db01: { ansible_host: 10.1.0.9, ansible_user: dba }
        web01:
`;
    const r = parseAnsibleYaml(y, 'inv.yml');
    expect(r.problems).toEqual([]);
    const byName = Object.fromEntries(r.hosts.map((h) => [h.name, h]));
    expect(byName['web01']).toMatchObject({ address: '10.1.0.1', port: 2200, user: 'audit', jump: 'bastion', groups: ['web', 'db'] });
    expect(byName['web02']).toMatchObject({ address: 'web02', user: 'audit' });
    expect(byName['db01']).toMatchObject({ user: 'dba', groups: ['db'] });
  });
  it('YAML: a syntax error names file and line', () => {
    expect(() => parseAnsibleYaml('all:\n  hosts:\n    a: [1,\n', 'inv.yml')).toThrow(/inv\.yml:\d+: not valid YAML/);
  });
  it('INI: groups, :vars, :children and per-host vars', () => {
    const ini = `[web]
web01 ansible_host=10.2.0.1 ansible_user=ops
web02 ansible_port=abc

[web:vars]
ansible_port=2022

[prod:children]
web

[prod:vars]
ansible_user=audit
`;
    const r = parseAnsibleIni(ini, 'hosts.ini');
    const web01 = r.hosts.find((h) => h.name === 'web01');
    expect(web01).toMatchObject({ address: '10.2.0.1', user: 'ops', port: 2022 });
    expect(web01!.groups).toEqual(expect.arrayContaining(['web', 'prod']));
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/hosts\.ini:3: host web02: invalid port/);
  });
});
