import { chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeDiff, diffTrees, treeFingerprint } from './tree-hash.js';

describe('treeFingerprint / diffTrees', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fe-tree-'));
    await mkdir(join(dir, 'etc/ssh'), { recursive: true });
    await mkdir(join(dir, 'var/log'), { recursive: true });
    await writeFile(join(dir, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\n');
    await writeFile(join(dir, 'etc/ssh/sshd_config'), 'PermitRootLogin no\n');
    await writeFile(join(dir, 'var/log/auth.log'), 'x\n');
    await symlink('../etc/passwd', join(dir, 'etc/link'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('records type, mode and content hash, and skips excluded paths', async () => {
    const fp = await treeFingerprint(dir, ['/var/log']);
    expect(fp.get('/etc/passwd')).toMatchObject({ type: 'file', size: 26 });
    expect(fp.get('/etc/passwd')?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fp.get('/etc/link')?.type).toBe('symlink');
    expect(fp.get('/etc')?.type).toBe('dir');
    expect(fp.has('/var')).toBe(true);
    expect(fp.has('/var/log')).toBe(false);
    expect(fp.has('/var/log/auth.log')).toBe(false);
  });

  it('finds nothing when nothing changed', async () => {
    const a = await treeFingerprint(dir, []);
    const b = await treeFingerprint(dir, []);
    expect(diffTrees(a, b)).toEqual({ changed: [], added: [], removed: [] });
  });

  it('detects a touched file (mtime only)', async () => {
    const a = await treeFingerprint(dir, []);
    const later = new Date(Date.now() + 5_000);
    await utimes(join(dir, 'etc/passwd'), later, later);
    const b = await treeFingerprint(dir, []);
    expect(diffTrees(a, b)).toEqual({ changed: ['/etc/passwd'], added: [], removed: [] });
    expect(describeDiff(a, b)).toEqual(['changed /etc/passwd (mtimeMs)']);
  });

  it('detects content with the same size and mtime', async () => {
    const file = join(dir, 'etc/ssh/sshd_config');
    const t = new Date('2024-01-02T03:04:05Z');
    await utimes(file, t, t);
    const a = await treeFingerprint(dir, []);
    await writeFile(file, 'PermitRootLogin ok\n');
    await utimes(file, t, t);
    const b = await treeFingerprint(dir, []);
    expect(diffTrees(a, b).changed).toEqual(['/etc/ssh/sshd_config']);
    expect(describeDiff(a, b)[0]).toBe('changed /etc/ssh/sshd_config (sha256)');
  });

  it('detects a mode change, an added file, a removed file and a retargeted link', async () => {
    const a = await treeFingerprint(dir, []);
    await chmod(join(dir, 'etc/passwd'), 0o666);
    await writeFile(join(dir, 'etc/new'), '');
    await rm(join(dir, 'etc/ssh/sshd_config'));
    await rm(join(dir, 'etc/link'));
    await symlink('/etc/shadow', join(dir, 'etc/link'));
    const b = await treeFingerprint(dir, []);
    const d = diffTrees(a, b);
    // /etc and /etc/ssh changed too: their mtimes moved with the entries added and removed.
    expect(d.changed).toEqual(expect.arrayContaining(['/etc/passwd', '/etc/link']));
    expect(d.added).toEqual(['/etc/new']);
    expect(d.removed).toEqual(['/etc/ssh/sshd_config']);
    expect(describeDiff(a, b)).toContain('changed /etc/passwd (mode 644 -> 666)');
  });

  it('ignores changes below an excluded path', async () => {
    const a = await treeFingerprint(dir, ['/var/log']);
    await writeFile(join(dir, 'var/log/auth.log'), 'more\n');
    await writeFile(join(dir, 'var/log/wtmp'), 'y');
    const b = await treeFingerprint(dir, ['/var/log']);
    expect(diffTrees(a, b)).toEqual({ changed: [], added: [], removed: [] });
  });
});
