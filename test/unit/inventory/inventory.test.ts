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
    expect(r.problems[0]!.message).toMatch(/^big\.csv:2: h1: Address "a\\u0001(\\u0001){58}"… is not a host name or an IP address\.$/);
    expect(r.problems[1]!.message).toContain(`Name "${'n'.repeat(60)}"… is not a usable host name`);
    expect(r.problems[2]!.message).toMatch(/^big\.csv:4: h3: User "a\\u0001(\\u0001){58}"… is not a login name/);
    const ini = parseAnsibleIni(`[web]\nh1 ${'x'.repeat(100_000)}\n`, 'hosts.ini');
    expect(ini.problems).toHaveLength(1);
    expect(ini.problems[0]!.message).toBe(`hosts.ini:2: Unexpected "${'x'.repeat(60)}"…; host variables are key=value.`);
    expect(ini.problems[0]!.message.length).toBeLessThan(200);
  });
  it('a row with three problems reports all three, one line each, naming file, line and field', () => {
    const r = parseCsvInventory('name,address,port,user\nok,10.0.0.1,22,root\ndb02,10.0.0.999,abc,bad user\n', 'hosts.csv');
    expect(r.hosts.map((h) => h.name)).toEqual(['ok']);
    expect(r.problems).toEqual([
      { line: 3, message: 'hosts.csv:3: db02: Address "10.0.0.999" is not a host name or an IP address.' },
      { line: 3, message: 'hosts.csv:3: db02: Port must be a whole number from 1 to 65535 (got "abc").' },
      { line: 3, message: 'hosts.csv:3: db02: User "bad user" is not a login name (letters, digits, _ . -; at most 32).' },
    ]);
    const yaml = parseAnsibleYaml('all:\n  hosts:\n    web01: { ansible_host: "-x", ansible_port: 0, ansible_user: "a b" }\n', 'inv.yml');
    expect(yaml.problems.map((p) => p.message)).toEqual([
      'inv.yml:3: web01: Address "-x" is not a host name or an IP address.',
      'inv.yml:3: web01: Port must be a whole number from 1 to 65535 (got 0).',
      'inv.yml:3: web01: User "a b" is not a login name (letters, digits, _ . -; at most 32).',
    ]);
  });
  it('a row is reported at the line where it starts, also when a quoted field spans lines', () => {
    const csv = '\uFEFF# exported\nname,address,user\n\nh1,"10.0.0.1\n2",root\n# note\n\nbad host,10.0.0.2,root\n';
    const r = parseCsvInventory(csv, 'hosts.csv');
    expect(r.problems.map((p) => [p.line, p.message.split(':').slice(0, 2).join(':')])).toEqual([
      [4, 'hosts.csv:4'],
      [8, 'hosts.csv:8'],
    ]);
  });
  it('a quote opened on line 3 and never closed is reported at line 3, as a sentence', () => {
    const lines = ['name,address,user', 'h1,10.0.0.1,root', 'h2,"10.0.0.2,root', 'h3,10.0.0.3,root', 'h4,10.0.0.4,root', 'h5,10.0.0.5,root'];
    const refused = (text: string): string => {
      try {
        parseCsvInventory(text, 'hosts.csv');
      } catch (e) {
        expect(e).toMatchObject({ code: 'bad_input' });
        return (e as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refused(`${lines.join('\n')}\n`)).toBe(
      'hosts.csv:3: The row starting on this line opens a quote (") that is never closed; close it or remove it.',
    );
    // The quote is closed by the next quote, three lines further down, where the parser gives up.
    const later = [...lines.slice(0, 5), 'h6,"x",root'];
    expect(refused(later.join('\n'))).toBe(
      'hosts.csv:3: A quote (") opened in the row starting on this line is only closed on line 6, where other ' +
        'characters follow it; close it on line 3 or remove it.',
    );
    expect(refused('name,address\nh1,10.0"0.1\n')).toBe(
      'hosts.csv:2: Field "address" has a quote (") inside an unquoted value; quote the whole field and write the quote twice ("").',
    );
  });
  it('refuses a file without a name or address column, naming the file', () => {
    expect(() => parseCsvInventory('foo,bar\n1,2\n', 'x.csv')).toThrow(
      'x.csv:1: The header row needs a "name" or "address" column (found: "foo", "bar").',
    );
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
    expect(r.problems.map((p) => p.message)).toEqual([
      'hosts.ini:3: web02: Port must be a whole number from 1 to 65535 (got "abc").',
    ]);
  });
});
