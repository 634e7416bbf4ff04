/**
 * Plain paths (absolute, a safe ASCII set, at most 200 characters) travel on the `epath` header line instead of an
 * encoded field, saving two processes per file on the target; every other path is still encoded. Both give the
 * same fact, and an `epath` line holding anything else breaks its frame.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileSetFact } from '../../../shared/facts/snapshot.js';
import { parseCollectorOutput } from '../../../main/collector/parse.js';
import { buildCollectorScript } from '../../../main/collector/script.js';
import { registryWith } from './helpers.js';
import { B, Synth } from './synth.js';

const dir = mkdtempSync(join(tmpdir(), 'fe-epath-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('plain paths on the header line', () => {
  it('a real run sends plain names as epath and odd ones encoded; the parsed entries are exact either way', () => {
    const names = ['plain-1.conf', 'we ird.conf', 'nl\nname.conf', `${'x'.repeat(210)}.conf`, 'a+b,c=d@e%f:g.conf'];
    for (const n of names) writeFileSync(join(dir, n), n);
    const registry = registryWith({
      'test.files': { kind: 'fileset', patterns: [`${dir}/*.conf`], maxBytes: 1024, maxFiles: 16, description: 'test' },
    });
    const built = buildCollectorScript(['test.files'], { registry });
    const out = execFileSync('sh', ['-s'], { input: built.script, maxBuffer: 16 * 1024 * 1024 });
    const text = out.toString('latin1');
    expect(text).toContain(` epath test.files ${dir}/plain-1.conf\n`);
    expect(text).toContain(` epath test.files ${dir}/a+b,c=d@e%f:g.conf\n`);
    expect(text).not.toContain('we ird');
    const snap = parseCollectorOutput(out, { boundary: built.boundary, registry, source: 'local' });
    const f = snap.facts['test.files'] as FileSetFact;
    expect(f.files.map((x) => x.path).sort()).toEqual(
      names.map((n) => join(dir, n).replace('\n', '\\x0a')).sort(),
    );
    for (const x of f.files) expect(x.content).toBe(x.path.slice(dir.length + 1).replace('\\x0a', '\n'));
  });

  it('an epath line with anything outside the plain set, or a relative path, breaks its frame', () => {
    for (const bad of ['etc/passwd', '/etc/pass\twd', '/etc/\x1b[2J', `/${'a'.repeat(250)}`]) {
      const out = new Synth(B, ['host.id', 'host.os_release'])
        .command('host.id', '0\nroot\nh\nLinux\n')
        .h('begin', 'host.os_release', 'file')
        .h('epath', 'host.os_release', bad)
        .h('end', 'host.os_release', 0)
        .done()
        .buffer();
      const snap = parseCollectorOutput(out, { boundary: B, source: 'ssh' });
      expect(snap.complete, JSON.stringify(bad)).toBe(false);
      expect(snap.facts['host.os_release']?.problem, JSON.stringify(bad)).toBe('error');
    }
  });
});
