import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jobsFromInventory, type TargetOptions } from '../../../main/cli/targets.js';

const opts: TargetOptions = { knownHosts: [], acceptNew: false, sudo: false, password: false };
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('CLI inventory targets', () => {
  it('names file, line and field of each problem once, one problem per line', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fe-cli-'));
    const file = join(dir, 'hosts.csv');
    writeFileSync(file, 'name,address,port\nok,10.0.0.1,22\nbad,10.0.0.999,abc\n');
    let message = '';
    try {
      await jobsFromInventory(file, opts);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      `${file}:3: bad: Address "10.0.0.999" is not a host name or an IP address.\n` +
        `${file}:3: bad: Port must be a whole number from 1 to 65535 (got "abc").`,
    );
  });

  it('turns every good row into an SSH job', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fe-cli-'));
    const file = join(dir, 'hosts.csv');
    writeFileSync(file, 'name,address,port,user\na,10.0.0.1,2222,audit\n');
    const jobs = await jobsFromInventory(file, { ...opts, password: true });
    expect(jobs.map((j) => j.name)).toEqual(['a']);
    const t = jobs[0]!.target;
    expect(t.kind === 'ssh' ? [t.target.address, t.target.port, t.target.user] : null).toEqual(['10.0.0.1', 2222, 'audit']);
  });
});
