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
  it('names file and line of each bad row once', () => {
    dir = mkdtempSync(join(tmpdir(), 'fe-cli-'));
    const file = join(dir, 'hosts.csv');
    writeFileSync(file, 'name,address\nok,10.0.0.1\nbad,10.0.0.999\n');
    let message = '';
    try {
      jobsFromInventory(file, opts);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(`${file}:3: host bad: invalid address "10.0.0.999"`);
  });

  it('turns every good row into an SSH job', () => {
    dir = mkdtempSync(join(tmpdir(), 'fe-cli-'));
    const file = join(dir, 'hosts.csv');
    writeFileSync(file, 'name,address,port,user\na,10.0.0.1,2222,audit\n');
    const jobs = jobsFromInventory(file, { ...opts, password: true });
    expect(jobs.map((j) => j.name)).toEqual(['a']);
    const t = jobs[0]!.target;
    expect(t.kind === 'ssh' ? [t.target.address, t.target.port, t.target.user] : null).toEqual(['10.0.0.1', 2222, 'audit']);
  });
});
