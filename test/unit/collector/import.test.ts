import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileFact } from '../../../shared/facts/snapshot.js';
import { readCollectorOutputFile } from '../../../main/collector/import.js';
import { buildCollectorScript } from '../../../main/collector/script.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fe-import-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readCollectorOutputFile', () => {
  it('imports the output of the printed script run by hand (sh collector.sh > out.txt)', async () => {
    const { script } = buildCollectorScript(['accounts.passwd', 'sudo.dirs']);
    writeFileSync(join(dir, 'collector.sh'), script);
    // What a customer's admin does: save the script, run it, carry the output file back.
    execFileSync('sh', ['-c', 'sh collector.sh > out.txt'], { cwd: dir });
    const t0 = Date.now();
    const s = await readCollectorOutputFile(join(dir, 'out.txt'));
    expect(s.source).toBe('import');
    expect(s.complete).toBe(true);
    expect(Object.keys(s.facts)).toEqual(['host.id', 'host.os_release', 'host.package_manager', 'accounts.passwd', 'sudo.dirs']);
    expect((s.facts['accounts.passwd'] as FileFact).content).toBe(readFileSync('/etc/passwd', 'utf8'));
    // collectedAt is the target's clock from the output (here: this machine, just now).
    expect(Math.abs(Date.parse(s.collectedAt) - t0)).toBeLessThan(60_000);
  });

  it('imports a run that was interrupted as incomplete, naming what is missing', async () => {
    const { script } = buildCollectorScript(['accounts.passwd']);
    const full = execFileSync('sh', ['-s'], { input: script });
    writeFileSync(join(dir, 'cut.txt'), full.subarray(0, Math.floor(full.length * 0.6)));
    const s = await readCollectorOutputFile(join(dir, 'cut.txt'));
    expect(s.complete).toBe(false);
    expect(s.issues.length).toBeGreaterThan(0);
  });

  it('names the file in clear errors for missing, unreadable and foreign files', async () => {
    const missing = join(dir, 'nope.txt');
    await expect(readCollectorOutputFile(missing)).rejects.toMatchObject({ code: 'bad_input', message: `collector output ${missing} does not exist` });
    await expect(readCollectorOutputFile(dir)).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('not a regular file') });
    const foreign = join(dir, 'notes.txt');
    writeFileSync(foreign, 'just some notes\n');
    await expect(readCollectorOutputFile(foreign)).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining(`${foreign} is not a Foureyes collector output`),
    });
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    await expect(readCollectorOutputFile(empty)).rejects.toMatchObject({ code: 'bad_input' });
  });
});
