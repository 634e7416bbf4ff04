/**
 * More hostile user files: bytes that are not UTF-8, YAML nested without end, an ssh_config of 100,000 Host blocks
 * or 200,000 settings before its first Host line. Each is a clear error or problem naming file and line, bounded;
 * none throws a stack trace or overflows the stack.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobsFromInventory } from '../../../main/cli/targets.js';
import { parseAnsibleYaml } from '../../../main/inventory/ansible.js';
import { parseSshConfigInventory } from '../../../main/inventory/ssh-config.js';
import { resolveAlias } from '../../../main/ssh/ssh-config.js';
import { FoureyesError } from '../../../shared/model/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'fe-inv-deep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function thrown(fn: () => unknown): FoureyesError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FoureyesError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

async function rejected(p: Promise<unknown>): Promise<FoureyesError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FoureyesError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

const opts = { knownHosts: [], acceptNew: false, sudo: false, password: false };

describe('hostile user files: encoding, depth, size', () => {
  it('an inventory with bytes that are not UTF-8 is refused naming file, line and column (was read as U+FFFD)', async () => {
    const file = join(dir, 'hosts.csv');
    writeFileSync(file, Buffer.concat([Buffer.from('name,address\nweb,10.0.0.1\ndb'), Buffer.from([0xff, 0xfe]), Buffer.from(',10.0.0.2\n')]));
    const e = await rejected(jobsFromInventory(file, opts));
    expect(e.code).toBe('bad_input');
    expect(e.message).toBe(`${file}:3: not UTF-8 text (byte 0xff at column 3); save the file as UTF-8`);
  });

  it('a UTF-8 sequence cut short at the end of a line is found on its line', async () => {
    const file = join(dir, 'hosts.ini');
    // "é" is c3 a9: its first byte alone ends line 2.
    writeFileSync(file, Buffer.concat([Buffer.from('[web]\nh'), Buffer.from([0xc3]), Buffer.from('\nok ansible_host=10.0.0.1\n')]));
    expect((await rejected(jobsFromInventory(file, opts))).message).toBe(`${file}:2: not UTF-8 text (byte 0xc3 at column 2); save the file as UTF-8`);
  });

  it('an ssh_config that is not UTF-8 is refused naming file and line', () => {
    const file = join(dir, 'ssh_config');
    writeFileSync(file, Buffer.concat([Buffer.from('Host web\n  HostName 10.0.0.1\n  User r'), Buffer.from([0xe9]), Buffer.from('mi\n')]));
    expect(thrown(() => resolveAlias(file, 'web')).message).toBe(`${file}:3: not UTF-8 text (byte 0xe9 at column 9); save the file as UTF-8`);
  });

  it('YAML nested without end is refused as too deep, naming the file and line (was the parser\'s own stack overflow)', () => {
    for (const text of ['['.repeat(20_000) + ']'.repeat(20_000), Array.from({ length: 5_000 }, (_, i) => `${' '.repeat(i)}children:`).join('\n')]) {
      const e = thrown(() => parseAnsibleYaml(text, 'deep.yml'));
      expect(e.code).toBe('bad_input');
      expect(e.message).toMatch(/^deep\.yml:\d+: nested too deeply to be an inventory/);
      expect(e.message).not.toMatch(/call stack/i);
    }
  }, 60_000);

  it('an ssh_config of 100,000 Host blocks: the hosts past the limit are one problem at their line', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `Host h${i}\n  HostName 10.0.${i % 250}.1\n`).join('');
    const r = parseSshConfigInventory(text, 'many_config');
    expect(r.hosts).toHaveLength(5000);
    expect(r.problems.map((p) => p.message)).toEqual(['many_config:10001: more than 5000 hosts; h5000 and later ones are ignored']);
  }, 60_000);

  it('an ssh_config of 200,000 settings before its first Host line does not overflow the stack (was a RangeError)', () => {
    const text = 'SendEnv LANG\n'.repeat(200_000) + 'Host web\n  HostName 10.0.0.1\n';
    const r = parseSshConfigInventory(text, 'global_config');
    expect(r.hosts.map((h) => [h.name, h.address])).toEqual([['web', '10.0.0.1']]);
    expect(r.problems.map((p) => p.message)).toEqual(['global_config:1001: more than 1000 settings before the first Host line; the rest are ignored']);
  }, 60_000);
});
