/**
 * The scan's one file-system walk, run for real: hostile byte names created as files come back exactly, once each,
 * from the collector under dash, bash and busybox (busybox's own find and sh), through the parser to the
 * evidence of a check; mounts that are not local are pruned; caps cut at whole names.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PathsFactDef } from '../../../shared/facts/registry.js';
import { nameBytes } from '../../../shared/facts/names.js';
import type { FactSnapshot, PathsFact } from '../../../shared/facts/snapshot.js';
import { collectFacts } from '../../../main/collector/collect.js';
import { readFrames } from '../../../main/collector/frames.js';
import type { FactRegistry } from '../../../main/collector/protocol.js';
import { buildCollectorScript } from '../../../main/collector/script.js';
import { SCRIPT_LIB } from '../../../main/collector/script-lib.js';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { evaluateCheck } from '../../../main/engine/evaluate.js';
import { LocalTransport } from '../../../main/transport/local.js';
import { cleanupHelpers, IS_ROOT, openTempDir, registryWith, shellVariants } from './helpers.js';

const VARIANTS = shellVariants();
afterAll(() => cleanupHelpers());

/** Paths facts over a temp tree: world-writable under `ww/`, SUID/SGID anywhere, unowned under `ww/`. */
function walkRegistry(root: string, cap: Partial<PathsFactDef> = {}): FactRegistry {
  const base = { maxItems: 1000, maxBytes: 1024 * 1024, ...cap };
  return registryWith({
    't.ww': { kind: 'paths', under: `${root}/ww`, test: '\\( -type f -o -type d \\) -perm -0002', label: 'world-writable', description: 'ww', ...base },
    't.suid': { kind: 'paths', under: root, test: '-type f \\( -perm -4000 -o -perm -2000 \\)', label: 'SUID or SGID', description: 'suid', ...base },
    't.un': { kind: 'paths', under: `${root}/ww`, test: '\\( -nouser -o -nogroup \\)', label: 'no known owner or group', description: 'unowned', ...base },
  });
}
const IDS = ['t.ww', 't.suid', 't.un'];

async function collect(variant: (typeof VARIANTS)[number], registry: FactRegistry): Promise<FactSnapshot> {
  const { snapshot, run } = await collectFacts(new LocalTransport(variant.opts), IDS, { registry });
  expect(run.stderr.toString(), variant.name).toBe('');
  expect(snapshot.complete, JSON.stringify(snapshot.issues)).toBe(true);
  return snapshot;
}

const paths = (s: FactSnapshot, id: string): PathsFact => s.facts[id] as PathsFact;
const bytesOf = (f: PathsFact): Buffer[] => f.paths.map((t) => Buffer.from(nameBytes(t) ?? Buffer.from('<not a text form>')));
const sorted = (list: Buffer[]): string[] => [...list].sort(Buffer.compare).map((b) => b.toString('hex'));

const catalogue = loadCatalogue();
/** The catalogue's check over a test fact: the snapshot's test fact is given the real fact id the check reads. */
function evaluateAs(s: FactSnapshot, testId: string, factId: string, checkId: string) {
  const check = catalogue.byId.get(checkId);
  if (!check) throw new Error(checkId);
  return evaluateCheck({ ...s, facts: { ...s.facts, [factId]: s.facts[testId] as PathsFact } }, check);
}

// Bytes a name component may hold (no NUL, no `/`), weighted towards the ones that break naive code.
const nameByte = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0x0a, 0x0d, 0x09, 0x2d, 0x1b, 0x5c, 0x20, 0x27, 0x22, 0x2a, 0x25, 0xff, 0xfe, 0xc3, 0xe2, 0x80) },
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 255 }).filter((c) => c !== 0x2f) },
);
const component = fc
  .array(nameByte, { minLength: 1, maxLength: 255 })
  .map((a) => Buffer.from(a))
  .filter((c) => !c.equals(Buffer.from('.')) && !c.equals(Buffer.from('..')));
// A relative path of 1..16 components: up to about 4 KiB (the whole path stays under PATH_MAX).
// (The directories on the way must be distinct per component list: mkdir fails on a repeat, which is fine
// because each list is created below its own numbered directory.)
const relPath = fc.array(component, { minLength: 1, maxLength: 16 }).map((parts) => {
  const out: Buffer[] = [];
  let len = 0;
  for (const p of parts) {
    if (len + p.length + 1 > 3900) break;
    out.push(p);
    len += p.length + 1;
  }
  return out;
});

describe('one walk: hostile names round-trip from real files to the evidence', () => {
  let root: string;
  beforeAll(() => {
    root = openTempDir('fe-walk-');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('gives back exactly the names created, each once, under every shell (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(relPath, { minLength: 1, maxLength: 6 }), fc.boolean(), async (rels, lead) => {
        const dir = join(root, `r${run++}`);
        mkdirSync(join(dir, 'ww'), { recursive: true, mode: 0o755 });
        const ww: Buffer[] = [];
        const suid: Buffer[] = [];
        const unowned: Buffer[] = [];
        rels.forEach((parts, i) => {
          // World-writable files below ww/, SUID files below s/; the directories on the way are plain 0755.
          const top = i % 2 === 0 ? 'ww' : 's';
          const first = lead ? Buffer.concat([Buffer.from('-'), parts[0] as Buffer]).subarray(0, 255) : (parts[0] as Buffer);
          const all = [first, ...parts.slice(1)];
          // One directory per drawn path, so two paths never collide as file and directory.
          let p = Buffer.from(`${dir}/${top}/${i}`);
          mkdirSync(p, { recursive: true, mode: 0o755 });
          for (const [k, c] of all.entries()) {
            p = Buffer.concat([p, Buffer.from('/'), c]);
            if (k < all.length - 1) mkdirSync(p, { mode: 0o755 });
          }
          writeFileSync(p, 'x');
          if (top === 'ww') {
            chmodSync(p, 0o666);
            ww.push(p);
            if (IS_ROOT && i % 4 === 0) {
              chownSync(p, 4242, 4242);
              unowned.push(p);
            }
          } else {
            chmodSync(p, 0o4755);
            suid.push(p);
          }
        });
        const registry = walkRegistry(dir);
        for (const v of VARIANTS) {
          const s = await collect(v, registry);
          expect(sorted(bytesOf(paths(s, 't.ww'))), v.name).toEqual(sorted(ww));
          expect(sorted(bytesOf(paths(s, 't.suid'))), v.name).toEqual(sorted(suid));
          expect(sorted(bytesOf(paths(s, 't.un'))), v.name).toEqual(sorted(unowned));
          for (const id of IDS) expect(paths(s, id).truncated, `${v.name} ${id}`).toBeUndefined();
          // The evidence names each file once, exactly.
          const r = evaluateAs(s, 't.suid', 'fs.suid', 'fs-suid-unexpected');
          expect(r.verdict).toBe(suid.length > 0 ? 'fail' : 'pass');
          expect(r.evidence.map((e) => Buffer.from(nameBytes(e.path ?? '') ?? []).toString('hex'))).toEqual(sorted(suid));
        }
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 12 },
    );
  }, 300_000);

  it('the issue case: /etc/app<newline><svg onload=alert(1)>.conf is one world-writable name', async () => {
    const dir = join(root, 'issue');
    mkdirSync(join(dir, 'ww'), { recursive: true });
    const name = Buffer.from(`${dir}/ww/app\n<svg onload=alert(1)>.conf`);
    writeFileSync(name, 'x');
    chmodSync(name, 0o666);
    for (const v of VARIANTS) {
      const s = await collect(v, walkRegistry(dir));
      expect(paths(s, 't.ww').paths, v.name).toEqual([`${dir}/ww/app\\x0a<svg onload=alert(1)>.conf`]);
      const r = evaluateAs(s, 't.ww', 'fs.etc_world_writable', 'fs-etc-world-writable');
      expect(r.verdict).toBe('fail');
      expect(r.evidence).toEqual([{ factId: 'fs.etc_world_writable', path: `${dir}/ww/app\\x0a<svg onload=alert(1)>.conf`, excerpt: 'world-writable' }]);
      expect(r.actual).toBe(`1 unexpected: ${dir}/ww/app\\x0a<svg onload=alert(1)>.conf`);
    }
  });

  it('cuts at the caps on a whole name, and says so', async () => {
    const dir = join(root, 'caps');
    mkdirSync(join(dir, 'ww'), { recursive: true });
    const names = Array.from({ length: 30 }, (_, i) => `${dir}/ww/file-${String(i).padStart(2, '0')}\n${'y'.repeat(40)}`);
    for (const n of names) {
      writeFileSync(n, 'x');
      chmodSync(n, 0o666);
    }
    const v = VARIANTS[0]!;
    // Item cap: 10 names kept, whole.
    let s = await collect(v, walkRegistry(dir, { maxItems: 10 }));
    expect(paths(s, 't.ww').truncated).toBe(true);
    expect(paths(s, 't.ww').paths).toHaveLength(10);
    // Byte cap on the wire (the walk's cap is the sum of the facts' caps): every kept name is one that exists.
    s = await collect(v, walkRegistry(dir, { maxBytes: 400 }));
    const kept = bytesOf(paths(s, 't.ww')).map((x) => x.toString());
    expect(paths(s, 't.ww').truncated).toBe(true);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(30);
    for (const k of kept) expect(names).toContain(k);
  });

  it('starts the walk before the other facts, beside them, and prints its frames after theirs', async () => {
    const built = buildCollectorScript(IDS, { registry: walkRegistry(root) });
    const lines = built.script.split('\n');
    const walkAt = lines.findIndex((l) => l.includes('_fact walk '));
    const firstOther = lines.findIndex((l) => /^ {2}_fact (command|file|fileset) /.test(l));
    expect(walkAt).toBeGreaterThan(-1);
    expect(firstOther).toBeGreaterThan(walkAt);
    // In a pipeline with the others (its frames held in a command substitution until they are done).
    expect(lines[walkAt]).toMatch(/^ {2}\{ _wo=\$\(\{ _fact walk .*\| \{ \{$/);
    const { run } = await collectFacts(new LocalTransport(VARIANTS[0]!.opts), IDS, { registry: walkRegistry(root), boundary: built.boundary });
    const order = [...run.stdout.toString('latin1').matchAll(new RegExp(`^${built.boundary} (begin|done) ?(\\S*)`, 'gm'))].map((m) => m[2] || m[1]);
    expect(order.at(-2)).toBe('fs.walk');
    expect(order.at(-1)).toBe('done');
    expect(order.filter((id) => id === 'fs.walk')).toHaveLength(1);
    expect(order.indexOf('host.id')).toBeGreaterThan(-1);
  });

  it('is one find: the script has one walk frame and no find of its own per fact', () => {
    const built = buildCollectorScript(IDS, { registry: walkRegistry('/tmp/x') });
    expect(built.script.match(/_fact walk /g)).toHaveLength(1);
    expect(built.script).not.toMatch(/_fact command t\./);
  });
});

describe('the prune list from a mount table (_prunes, under every shell)', () => {
  const table = [
    'server:/export / nfs4 rw 0 0', // a diskless root: the walk root itself is never pruned
    '/dev/vda1 /boot ext4 rw 0 0',
    'proc /proc proc rw 0 0',
    'tmpfs /run tmpfs rw 0 0',
    'srv:/home /home nfs rw 0 0',
    '//nas/share /mnt/with\\040space\\012and\\134back cifs rw 0 0',
    'sshfs#u@h: /mnt/fuse fuse.sshfs rw 0 0',
    '/dev/sr0 /media/cd* iso9660 ro 0 0',
    '/dev/vdb1 /srv/data xfs rw 0 0',
    "srv:/q /mnt/it's nfs rw 0 0",
    '',
  ].join('\n');
  const prunes = (shell: string[], env: NodeJS.ProcessEnv | undefined, root: string, file: string): string =>
    execFileSync(shell[0] as string, [...shell.slice(1), '-c', `${SCRIPT_LIB}\n_prunes "$1" "$2"; printf '%s|%s' "$wx" "$wp"`, 'sh', root, file], { env: env ?? process.env }).toString('latin1');

  it('prunes pseudo, network, FUSE and removable mounts below the root, decoded and glob-escaped', () => {
    const dir = openTempDir('fe-prunes-');
    try {
      const file = join(dir, 'mounts');
      writeFileSync(file, table);
      for (const v of VARIANTS) {
        const shell = v.opts.shell ?? ['sh'];
        expect(prunes(shell, v.opts.env, '/', file), v.name).toBe(
          "| -o -path '/proc' -o -path '/home' -o -path '/mnt/with space\nand\\\\back' -o -path '/mnt/fuse' -o -path '/media/cd\\*' -o -path '/mnt/it'\\''s'",
        );
        expect(prunes(shell, v.opts.env, '/mnt', file), v.name).toBe("| -o -path '/mnt/with space\nand\\\\back' -o -path '/mnt/fuse' -o -path '/mnt/it'\\''s'");
        expect(prunes(shell, v.opts.env, '/', join(dir, 'none')), v.name).toBe('-xdev|');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function canUnshare(): boolean {
  try {
    execFileSync('unshare', ['-m', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!IS_ROOT || !canUnshare())('the walk prunes what is not a local file system (private mount namespace)', () => {
  let root: string;
  beforeAll(() => {
    root = openTempDir('fe-walk-mnt-');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('walks tmpfs, skips proc, remote sources and a mount point with a space and newline in its name', async () => {
    for (const d of ['local', 'proc', 'remote', 'odd name\nx']) mkdirSync(join(root, 's', d), { recursive: true });
    // Mounted inside the namespace only; files created there after mounting.
    const setup = [
      `cd ${JSON.stringify(join(root, 's'))}`,
      '/usr/bin/mount -t tmpfs tmpfs local',
      '/usr/bin/mount -t proc proc proc',
      '/usr/bin/mount -t tmpfs srv:/export remote',
      "/usr/bin/mount -t tmpfs //srv/share 'odd name\nx'",
      "for d in local remote 'odd name\nx'; do printf x > \"$d/f\"; chmod 4755 \"$d/f\"; done",
      'exec sh -s',
    ].join('\n');
    for (const v of VARIANTS) {
      const shell = ['/usr/bin/unshare', '-m', '--propagation', 'private', 'sh', '-c', setup.replace('exec sh -s', `exec ${v.opts.shell?.join(' ') ?? 'sh'} -s`)];
      const t = new LocalTransport({ ...v.opts, shell });
      const { snapshot: s, run } = await collectFacts(t, IDS, { registry: walkRegistry(root) });
      expect(run.stderr.toString(), v.name).toBe('');
      expect(paths(s, 't.suid').paths, v.name).toEqual([`${root}/s/local/f`]);
      const raw = readFrames(run.stdout, undefined, walkRegistry(root));
      expect(raw.walk?.rc).toBe(0);
    }
  });

  it('never prunes the walk root itself, whatever is mounted there', async () => {
    const dir = join(root, 'top');
    mkdirSync(dir);
    const setup = [`/usr/bin/mount -t tmpfs srv:/export ${JSON.stringify(dir)}`, `printf x > ${JSON.stringify(`${dir}/f`)}`, `chmod 4755 ${JSON.stringify(`${dir}/f`)}`, 'exec sh -s'].join('\n');
    const t = new LocalTransport({ shell: ['/usr/bin/unshare', '-m', '--propagation', 'private', 'sh', '-c', setup] });
    const { snapshot: s } = await collectFacts(t, ['t.suid'], { registry: walkRegistry(dir) });
    expect(paths(s, 't.suid').paths).toEqual([`${dir}/f`]);
  });
});
