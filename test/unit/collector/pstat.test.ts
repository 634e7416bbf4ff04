/**
 * A plain stat line (seven words of a safe set) travels on a `pstat` header instead of an encoded field, and a file
 * that fits its cap is encoded straight from the file without a hash on the target: the workstation hashes what
 * arrived whole. A file bigger than its cap (or of size 0, like /proc files) is still hashed on the target and cut.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileSetFact } from '../../../shared/facts/snapshot.js';
import { parseCollectorOutput } from '../../../main/collector/parse.js';
import { buildCollectorScript } from '../../../main/collector/script.js';
import { SCRIPT_LIB } from '../../../main/collector/script-lib.js';
import { cleanupHelpers, registryWith, shellVariants } from './helpers.js';
import { B, Synth } from './synth.js';

const dir = mkdtempSync(join(tmpdir(), 'fe-pstat-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  cleanupHelpers();
});

const CAP = 64;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const { name, opts, missing } of shellVariants())
  describe.skipIf(missing !== undefined)(`pstat and whole files under ${name}${missing ? ` (skipped: ${missing})` : ''}`, () => {
    it('sends plain stat lines on the header; hashes on the target only what does not fit', () => {
      const files: Record<string, Buffer> = {
        'empty.conf': Buffer.alloc(0),
        'small.conf': Buffer.from('a=1\n'),
        'atcap.conf': Buffer.alloc(CAP, 0x41),
        'over.conf': Buffer.alloc(CAP + 1, 0x42),
        'binary.conf': Buffer.from([0, 0xff, 0x0a, 0x1b, 0x5b]),
      };
      for (const [n, b] of Object.entries(files)) writeFileSync(join(dir, n), b);
      const registry = registryWith({
        'test.files': { kind: 'fileset', patterns: [`${dir}/*.conf`], maxBytes: CAP, maxFiles: 16, description: 'test' },
      });
      const built = buildCollectorScript(['test.files'], { registry });
      const [cmd, ...args] = opts.shell ?? ['sh'];
      const out = execFileSync(cmd!, [...args, '-s'], { input: built.script, env: opts.env, maxBuffer: 16 * 1024 * 1024 });
      const text = out.toString('latin1');
      for (const n of Object.keys(files)) {
        const st = statSync(join(dir, n));
        expect(text, n).toContain(` pstat test.files ${(st.mode & 0o170777).toString(16)} ${(st.mode & 0o7777).toString(8)} ${st.uid} ${st.gid} ${st.size} `);
      }
      // Target hashes: only for the file over its cap and the empty one (size 0 says nothing about /proc files).
      expect(text.match(/ sha test\.files /g)?.length).toBe(2);
      const snap = parseCollectorOutput(out, { boundary: built.boundary, registry, source: 'local' });
      expect(snap.complete).toBe(true);
      const f = snap.facts['test.files'] as FileSetFact;
      expect(f.files).toHaveLength(Object.keys(files).length);
      for (const x of f.files) {
        const real = readFileSync(x.path);
        expect(x.sha256, x.path).toBe(sha(real));
        expect(x.stat?.size, x.path).toBe(real.length);
        expect(x.stat?.user, x.path).toBe('root');
        expect(x.contentTruncated, x.path).toBe(real.length > CAP);
        expect(Buffer.from(x.content ?? '', 'utf8').length <= CAP || x.path.endsWith('binary.conf')).toBe(true);
      }
      const small = f.files.find((x) => x.path.endsWith('small.conf'));
      expect(small?.content).toBe('a=1\n');
    });

    it('_pst takes seven plain words only; anything else goes the encoded way', () => {
      const [cmd, ...args] = opts.shell ?? ['sh'];
      const cases: [string, boolean][] = [
        ['81a4 644 0 0 10 root root', true],
        ['81a4 644 1000 1000 10 ad.user_1 domain-users', true],
        ['81a4 644 0 0 10 ro$ot root', false],
        ['81a4 644 0 0 10 root "root"', false],
        ['81a4 644 0 0 10 root', false],
        ['81a4 644 0 0 10 root root extra', false],
        ['81a4 644 0 0 1x root root', false],
        ['81a4 644 0 0 10 r\x1bot root', false],
        ['81a4 644 0 0 10 r*t root', false],
      ];
      for (const [line, ok] of cases) {
        const script = `${SCRIPT_LIB}\nw=$1; IFS=' '; if _pst $w; then echo yes; else echo no; fi\n`;
        const res = execFileSync(cmd!, [...args, '-c', script, 'x', line], { env: opts.env, cwd: dir }).toString().trim();
        expect(res, JSON.stringify(line)).toBe(ok ? 'yes' : 'no');
      }
    });
  });

describe('pstat in the parser', () => {
  const withPstat = (words: string[]) =>
    new Synth(B, ['host.id', 'host.os_release'])
      .command('host.id', '0\nroot\nh\nLinux\n')
      .h('begin', 'host.os_release', 'file')
      .h('epath', 'host.os_release', '/etc/os-release')
      .h('pstat', 'host.os_release', ...words)
      .h('content', 'host.os_release')
      .data('ID=x\n')
      .h('end', 'host.os_release', 0)
      .done()
      .buffer();

  it('gives the same stat as the encoded form', () => {
    const snap = parseCollectorOutput(withPstat(['81a4', '640', '0', '42', '5', 'root', 'shadow']), { boundary: B, source: 'ssh' });
    expect(snap.complete).toBe(true);
    expect(snap.facts['host.os_release']).toMatchObject({
      exists: true,
      stat: { type: 'file', mode: 0o640, uid: 0, gid: 42, user: 'root', group: 'shadow', size: 5 },
      content: 'ID=x\n',
      sha256: sha(Buffer.from('ID=x\n')),
    });
  });

  it('a pstat line that is not seven plain words breaks its frame', () => {
    for (const bad of [
      ['81a4', '644', '0', '0', '5', 'root'],
      ['81a4', '644', '0', '0', '5', 'root', 'root', 'x'],
      ['81a4', '648', '0', '0', '5', 'root', 'root'],
      ['81a4', '644', '0', '0', '5', 'ro\x1bot', 'root'],
      ['zz', '644', '0', '0', '5', 'root', 'root'],
      ['81a4', '644', '0', '0', '5', 'root', 'r<o>t'],
    ]) {
      const snap = parseCollectorOutput(withPstat(bad), { boundary: B, source: 'ssh' });
      expect(snap.complete, JSON.stringify(bad)).toBe(false);
      expect(snap.facts['host.os_release']?.problem, JSON.stringify(bad)).toBe('error');
    }
  });
});
