/** The kernel-module and systemd-unit facts, collected from this machine and compared with what it has. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectFacts } from '../../../main/collector/collect.js';
import { LocalTransport } from '../../../main/transport/local.js';
import type { CommandFact, FileFact, FileSetFact } from '../../../shared/facts/snapshot.js';

const confs = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => n.endsWith('.conf'))
        .map((n) => `${dir}/${n}`)
    : [];

describe('kmod and services facts', () => {
  it('reads /proc/modules, the modprobe.d files and the unit lists as the machine has them', async () => {
    const ids = ['kmod.loaded', 'kmod.modprobe', 'services.unit_files', 'services.active'];
    const { snapshot } = await collectFacts(new LocalTransport(), ids);
    const loaded = snapshot.facts['kmod.loaded'] as FileFact;
    expect(loaded.kind).toBe('file');
    expect(loaded.exists).toBe(existsSync('/proc/modules'));
    if (loaded.exists) expect(loaded.content).toBe(readFileSync('/proc/modules', 'utf8'));
    const set = snapshot.facts['kmod.modprobe'] as FileSetFact;
    const want = [...confs('/etc/modprobe.d'), ...confs('/usr/lib/modprobe.d'), ...confs('/lib/modprobe.d')];
    expect(set.files.map((f) => f.path).sort()).toEqual([...new Set(want)].sort());
    for (const id of ['services.unit_files', 'services.active']) {
      const f = snapshot.facts[id] as CommandFact;
      expect(f.kind, id).toBe('command');
      expect(f.problem === undefined || f.problem === 'missing', id).toBe(true);
    }
  });
});
