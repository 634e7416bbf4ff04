import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandFact, FileFact, FileSetFact, FactSnapshot } from '../../../shared/facts/snapshot.js';
import { nameBytes, nameText } from '../../../shared/facts/names.js';
import { encodeTarget } from '../../../shared/text/target-text.js';
import { collectFacts } from '../../../main/collector/collect.js';
import { readFrames } from '../../../main/collector/frames.js';
import { LocalTransport } from '../../../main/transport/local.js';
import type { ScriptRun } from '../../../main/transport/types.js';
import { makeFixture, HOSTILE_NAMES, type Fixture } from './fixtures.js';
import { cleanupHelpers, shellVariants } from './helpers.js';

let fx: Fixture;
beforeAll(() => {
  fx = makeFixture();
});
afterAll(() => {
  fx.cleanup();
  cleanupHelpers();
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const file = (s: FactSnapshot, id: string): FileFact => s.facts[id] as FileFact;
const set = (s: FactSnapshot, id: string): FileSetFact => s.facts[id] as FileSetFact;
const cmd = (s: FactSnapshot, id: string): CommandFact => s.facts[id] as CommandFact;

function expectRealFile(f: FileFact, path: string): void {
  const st = lstatSync(path);
  const body = readFileSync(path);
  expect(f.exists).toBe(true);
  expect(f.problem).toBeUndefined();
  expect(f.stat).toMatchObject({ mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: st.size });
  expect(f.stat?.type).toBe(st.isSymbolicLink() ? 'link' : 'file');
  expect(f.sha256).toBe(sha(body));
}

// A variant whose shell is missing here is reported as skipped, naming what to install.
for (const { name, opts, missing } of shellVariants())
describe.skipIf(missing !== undefined)(`collector under ${name}${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let snap: FactSnapshot;
  let run: ScriptRun;
  let ms = 0;
  beforeAll(async () => {
    const t0 = performance.now();
    ({ snapshot: snap, run } = await collectFacts(new LocalTransport(opts), fx.ids, { registry: fx.registry, boundary: fx.boundary }));
    ms = performance.now() - t0;
  });

  it('completes, as root, with every requested fact and nothing on stderr', () => {
    expect(run.stderr.toString()).toBe('');
    expect(run.exitCode).toBe(0);
    expect(snap.complete).toBe(true);
    expect(snap.privileged).toBe(process.getuid?.() === 0);
    expect(snap.source).toBe('local');
    for (const id of ['host.id', 'host.os_release', ...fx.ids]) expect(snap.facts[id], id).toBeDefined();
    expect(ms).toBeLessThan(15_000);
  });

  it('reads real files byte for byte with stat and sha256', () => {
    for (const [id, path] of [['accounts.passwd', '/etc/passwd'], ['accounts.group', '/etc/group']] as const) {
      expectRealFile(file(snap, id), path);
      expect(file(snap, id).content).toBe(readFileSync(path, 'utf8'));
      expect(file(snap, id).contentTruncated).toBe(false);
    }
    const os = file(snap, 'host.os_release');
    expectRealFile(os, '/etc/os-release');
    expect(os.content).toBe(readFileSync('/etc/os-release', 'utf8'));
    const crit = set(snap, 'files.critical_perms');
    for (const f of crit.files) {
      expectRealFile(f, f.path);
      expect(f.content).toBeUndefined(); // maxBytes 0: stat and hash only
    }
  });

  it('keeps binary file content exact, even when it holds the real boundary', () => {
    const raw = readFrames(run.stdout, fx.boundary, fx.registry);
    const entry = raw.frames.get('test.bin_file')?.entries[0];
    expect(entry?.content?.bytes.equals(fx.binFile)).toBe(true);
    expect(file(snap, 'test.bin_file').sha256).toBe(sha(fx.binFile));
    expect(Buffer.from(encodeTarget(file(snap, 'test.bin_file').content ?? '')).equals(fx.binFile)).toBe(true);
  });

  it('cuts content at maxBytes and flags it; reports absent files', () => {
    const big = file(snap, 'test.big_file');
    expect(big.content).toBe('x'.repeat(1000));
    expect(big.contentTruncated).toBe(true);
    expect(big.stat?.size).toBe(5000);
    expect(big.sha256).toBe(sha(Buffer.from('x'.repeat(5000))));
    expect(file(snap, 'test.absent')).toMatchObject({ exists: false, path: fx.registry['test.absent']?.kind === 'file' ? fx.registry['test.absent'].path : '' });
    expect(file(snap, 'test.absent').problem).toBeUndefined();
  });

  it('expands a fileset over hostile file names, in C order, with exact paths and contents', () => {
    const s = set(snap, 'test.hostile');
    const names = [...HOSTILE_NAMES, Buffer.from('sub')].sort(Buffer.compare);
    // Paths in their lossless text form: `new\x0aline`, `back\\slash`, `f\xff\xfe.c`, each exactly once.
    expect(s.files.map((f) => f.path)).toEqual(names.map((n) => nameText(Buffer.concat([Buffer.from(fx.hostileDir + '/'), n]))));
    expect(s.files.map((f) => nameBytes(f.path)).every((b, i) => b !== undefined && Buffer.from(b).equals(Buffer.concat([Buffer.from(fx.hostileDir + '/'), names[i]!])))).toBe(true);
    expect(s.files.some((f) => f.path.endsWith('/new\\x0aline'))).toBe(true);
    const raw = readFrames(run.stdout, fx.boundary, fx.registry).frames.get('test.hostile');
    for (const [i, n] of names.entries()) {
      const e = raw?.entries[i];
      expect(e?.path?.bytes.equals(Buffer.concat([Buffer.from(fx.hostileDir + '/'), n]))).toBe(true);
      const want = fx.hostileContent.get(n.toString('latin1'));
      if (want) {
        expect(e?.content?.bytes.equals(want), n.toString('latin1')).toBe(true);
        expect(s.files[i]?.sha256).toBe(sha(want));
      } else {
        expect(s.files[i]?.stat?.type).toBe('dir');
        expect(s.files[i]?.content).toBeUndefined();
      }
    }
    expect(s.truncated).toBeUndefined();
    expect(s.problem).toBeUndefined();
  });

  it('stops a fileset at maxFiles and flags it; literal patterns list only what exists', () => {
    const c = set(snap, 'test.capped_set');
    expect(c.files).toHaveLength(3);
    expect(c.truncated).toBe(true);
    expect(c.files.every((f) => (f.content?.length ?? 0) <= 16 && f.contentTruncated === true)).toBe(true);
    const lit = set(snap, 'test.literal_set');
    expect(lit.files.map((f) => f.path)).toEqual([`${fx.hostileDir}/with space`]);
    expect(lit.problem).toBeUndefined();
  });

  it('returns command output, stderr and exit code byte-exact, forged headers included', () => {
    const c = cmd(snap, 'test.bin_cmd');
    expect(c.exitCode).toBe(7);
    expect(c.problem).toBeUndefined();
    const raw = readFrames(run.stdout, fx.boundary, fx.registry).frames.get('test.bin_cmd');
    expect(raw?.stdout?.bytes.equals(fx.binCmdStdout)).toBe(true);
    expect(raw?.stderr?.bytes.equals(fx.binCmdStderr)).toBe(true);
    expect(Buffer.from(encodeTarget(c.stdout)).equals(fx.binCmdStdout)).toBe(true);
    expect(Buffer.from(encodeTarget(c.stderr)).equals(fx.binCmdStderr)).toBe(true);
    expect(cmd(snap, 'test.quotes').stdout).toBe('it\'s "quoted" $HOME `x`\n');
  });

  it('reports missing tools, honours absolute requires, isolates failing facts', () => {
    expect(cmd(snap, 'test.missing_cmd')).toMatchObject({ problem: 'missing', exitCode: null, stdout: '' });
    expect(cmd(snap, 'test.abs_cmd')).toMatchObject({ exitCode: 0, stdout: 'ok\n' });
    const syn = cmd(snap, 'test.syntax');
    expect(syn.exitCode).not.toBe(0);
    expect(syn.stderr).not.toBe('');
    expect(cmd(snap, 'test.stdin')).toMatchObject({ exitCode: 0, stdout: 'rc=0\n' });
  });

  it('uses the shell variant\'s own tools', () => {
    const tools = cmd(snap, 'test.tools').stdout.trim().split('\n');
    expect(tools).toHaveLength(5);
    if (name === 'busybox') for (const t of tools) expect(t.startsWith(`${opts.env?.PATH ?? '?'}/`), t).toBe(true);
  });

  it('bounds a runaway command without hanging', () => {
    const r = cmd(snap, 'test.runaway');
    expect(r.stdout).toBe('y\n'.repeat(500));
    expect(r.stdoutTruncated).toBe(true);
    // Its stderr the same way: cut at the cap (od -N where the target's od has it), the status still known.
    const e = cmd(snap, 'test.runaway_err');
    expect(e.stderr).toBe('e\n'.repeat(500));
    expect(e.stderrTruncated).toBe(true);
    expect(e.stdout).toBe('');
    expect(e.exitCode).not.toBeNull();
  });
});
