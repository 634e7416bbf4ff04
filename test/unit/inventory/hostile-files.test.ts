/**
 * Inventory files that are hostile or merely odd: a lone quote, an alias bomb, a chain of groups without end, a file
 * of 130,000 rows, one name for two machines. Each gives a clear problem or error naming file and line; none
 * throws a stack trace or overflows the stack.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAnsibleIni, parseAnsibleYaml } from '../../../main/inventory/ansible.js';
import { parseCsvInventory } from '../../../main/inventory/csv.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { ensureBuilt } from '../../support/build.js';

const dir = mkdtempSync(join(tmpdir(), 'fe-inv-hostile-'));
beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('hostile inventory files', () => {
  it('an INI line that is only a quote is a problem on its line, not a TypeError', () => {
    for (const q of ['"', "'", 'db01 ansible_host="10.0.0.1']) {
      const r = parseAnsibleIni(`[web]\nok ansible_host=10.0.0.1\n${q}\n`, 'hosts.ini');
      expect(r.problems.map((p) => p.message), q).toEqual([
        `hosts.ini:3: A quote (" or ') is opened and never closed on this line.`,
      ]);
    }
  });

  it('a YAML alias bomb is refused naming the file', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'all: { hosts: { h1: { ansible_host: *d } } }',
      '',
    ].join('\n');
    const e = thrown(() => parseAnsibleYaml(bomb, 'bomb.yml'));
    expect(e).toBeInstanceOf(FoureyesError);
    expect((e as FoureyesError).code).toBe('bad_input');
    expect((e as FoureyesError).message).toBe(
      'bomb.yml: aliases expand too far (more than 100 alias uses, or a recursive alias); write the hosts out',
    );
  });

  it('an INI chain of 100,000 nested groups does not overflow the stack', () => {
    const lines = ['[g0]', 'h1 ansible_host=10.0.0.1'];
    for (let i = 1; i < 100_000; i++) lines.push(`[g${i}:children]`, `g${i - 1}`);
    const r = parseAnsibleIni(`${lines.join('\n')}\n`, 'deep.ini');
    expect(r.hosts.map((h) => h.name)).toEqual(['h1']);
  });

  it('a YAML inventory of 60,000 hosts is read with each host at its line', () => {
    const rows = ['all:', '  hosts:'];
    for (let i = 0; i < 60_000; i++) rows.push(`    h${i}:`, `      ansible_host: 10.0.${i >> 8 & 255}.${i & 255}`);
    const r = parseAnsibleYaml(`${rows.join('\n')}\n`, 'many.yml');
    expect(r.hosts).toHaveLength(60_000);
    expect(r.hosts[59_999]).toMatchObject({ name: 'h59999', line: 3 + 2 * 59_999 });
  });

  it('one name for two machines: the second is refused, naming both; the same host twice merges', () => {
    const r = parseCsvInventory('name,address,groups\ndb01,10.0.0.1,a\ndb01,10.0.0.2,b\ndb01,10.0.0.1,c\n', 'dup.csv');
    expect(r.hosts).toHaveLength(1);
    expect(r.hosts[0]).toMatchObject({ address: '10.0.0.1', groups: ['a', 'c'] });
    expect(r.problems.map((p) => p.message)).toEqual([
      'dup.csv:3: db01: The name is already used on line 2 for 10.0.0.1; this entry (10.0.0.2) is not imported. Give it another name.',
    ]);
  });

  it('the CLI takes a CSV of 130,000 hosts without a stack overflow (stopped at the next option it checks)', () => {
    const rows = ['name,address'];
    for (let i = 0; i < 130_000; i++) rows.push(`h${i},10.${i >> 16 & 255}.${i >> 8 & 255}.${i & 255}`);
    const file = join(dir, 'big.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    const key = join(dir, 'id_test');
    writeFileSync(key, 'not used: the run stops before any connection\n', { mode: 0o600 });
    const r = spawnSync(
      process.execPath,
      ['bin/foureyes.js', 'assess', '--inventory', file, '-i', key, '--checks', 'no-such-check', '--workspace', join(dir, 'w.sqlite')],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.stderr).toBe('foureyes: --checks: unknown check id "no-such-check"\n');
    expect(r.status).toBe(2);
  });
});
