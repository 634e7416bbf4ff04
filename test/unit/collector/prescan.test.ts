/**
 * The pre-scan: the files of the file and fileset facts without a secret rule are looked at for private key material,
 * stat'ed and hashed by one grep, one stat and one sha256sum for all of them, before the first fact, under dash, bash and busybox. Each
 * tool is counted through a stand-in on PATH that logs its name and runs the real one; what the facts say is the
 * same as when each fact looks at its own files (key material withheld, modes and owners, content).
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFacts } from '../../../main/collector/collect.js';
import type { FactRegistry } from '../../../main/collector/protocol.js';
import { readFrames } from '../../../main/collector/frames.js';
import { buildCollectorScript } from '../../../main/collector/script.js';
import { LocalTransport } from '../../../main/transport/local.js';
import type { FileFact, FileSetFact } from '../../../shared/facts/snapshot.js';
import { cleanupHelpers, openTempDir, registryWith, shellVariants } from './helpers.js';

const PEM = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
const VARIANTS = shellVariants();
afterAll(() => cleanupHelpers());

let root = '';
let registry: FactRegistry;
const IDS = ['t.conf', 't.key', 't.gone', 't.set', 't.perm', 't.secret'];

beforeAll(() => {
  root = openTempDir('fe-prescan-');
  mkdirSync(join(root, 'd'));
  writeFileSync(join(root, 'a.conf'), 'PermitRootLogin no\n');
  writeFileSync(join(root, 'id_key'), PEM);
  writeFileSync(join(root, 'd', 'one.conf'), 'one\n');
  writeFileSync(join(root, 'd', 'two_key'), PEM);
  writeFileSync(join(root, 'd', 'three.conf'), 'three\n');
  chmodSync(join(root, 'd', 'three.conf'), 0o640);
  writeFileSync(join(root, 'ldap.conf'), 'bindpw s3cret\n');
  registry = registryWith({
    't.conf': { kind: 'file', path: join(root, 'a.conf'), maxBytes: 4096, description: 'a file' },
    't.key': { kind: 'file', path: join(root, 'id_key'), maxBytes: 4096, description: 'a file with a private key' },
    't.gone': { kind: 'file', path: join(root, 'gone.conf'), maxBytes: 4096, description: 'a file that does not exist' },
    't.set': { kind: 'fileset', patterns: [join(root, 'd', '*')], maxBytes: 4096, maxFiles: 8, description: 'a fileset' },
    // Stat only: stat'ed and hashed in the pre-scan, never read for content.
    't.perm': { kind: 'fileset', patterns: [join(root, 'a.conf'), join(root, 'id_key')], maxBytes: 0, maxFiles: 4, description: 'stat only' },
    // A secret rule: looked at by its own fact (with its rule), not by the pre-scan.
    't.secret': {
      kind: 'fileset',
      patterns: [join(root, 'ldap.conf')],
      maxBytes: 4096,
      maxFiles: 2,
      description: 'with a rule',
      secrets: { kind: 'keys', keys: ['bindpw'] },
    },
  });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A PATH directory whose grep and stat log their name to `log` and run the real tool found after it. */
function countingPath(dir: string, log: string, basePath: string): string {
  mkdirSync(dir, { recursive: true });
  for (const tool of ['grep', 'stat', 'sha256sum']) {
    const stand = join(dir, tool);
    writeFileSync(
      stand,
      `#!/bin/sh\necho ${tool} >> '${log}'\nPATH='${basePath}'\nexport PATH\nexec ${tool} "$@"\n`,
      { mode: 0o755 },
    );
  }
  return `${dir}:${basePath}`;
}

describe('the pre-scan', () => {
  it('is in the script: one _pq per fact without a rule, then _pd, before the first fact', () => {
    const { script } = buildCollectorScript(IDS, { registry });
    const lines = script.split('\n').map((l) => l.trim());
    const pq = lines.filter((l) => /^_pq \d+ \d+ c /.test(l));
    // host.os_release (always collected), t.conf, t.key, t.gone and t.set; t.perm is stat only
    expect(pq).toHaveLength(5);
    expect(lines.filter((l) => /^_pq \d+ \d+ s /.test(l))).toHaveLength(1);
    expect(pq.some((l) => l.includes('ldap.conf'))).toBe(false);
    const pd = lines.indexOf('_pd');
    const firstFact = lines.findIndex((l) => /^(\S+; )?_fact (command|file|fileset) /.test(l));
    expect(pd).toBeGreaterThan(-1);
    expect(firstFact).toBeGreaterThan(pd);
  });

  it('a file that grows after the pre-scan is still read up to its cap only, taken by its own stat', async () => {
    const grown = join(root, 'grows.log');
    writeFileSync(grown, 'small\n');
    const reg = registryWith({
      ...registry,
      // Runs before t.grown reads its file: the file is then far past its cap.
      't.grow': { kind: 'command', script: `head -c 100000 /dev/zero | tr '\\0' x >> '${grown}'`, requires: ['head'], maxBytes: 64, description: 'grows it' },
      't.grown': { kind: 'file', path: grown, maxBytes: 10, description: 'a file that grows' },
    });
    const built = buildCollectorScript(['t.grow', 't.grown'], { registry: reg });
    const run = await new LocalTransport(VARIANTS[0]!.opts).runScript(built.script, { deadlineMs: 20_000, maxBytes: 16 * 1024 * 1024 });
    const raw = readFrames(run.stdout, built.boundary, reg).frames.get('t.grown');
    const content = raw?.entries[0]?.content;
    expect(content?.overflow).toBe(false);
    expect(content?.bytes.length).toBe(11);
    expect(run.stdout.length).toBeLessThan(20_000);
  });

  it('takes nothing of its state from the environment (it reaches eval)', async () => {
    const env = { ...process.env, gk: '1;echo INJECTED >&2;:', gl: '/etc/passwd', GP: '1', _P: '1;echo INJECTED >&2;:', ga: 'x' };
    const { snapshot, run } = await collectFacts(new LocalTransport({ shell: ['dash'], env }), IDS, { registry });
    expect(run.stderr.toString()).toBe('');
    expect(run.stdout.toString()).not.toContain('INJECTED');
    expect(snapshot.complete, JSON.stringify(snapshot.issues)).toBe(true);
    expect((snapshot.facts['t.conf'] as FileFact).content).toBe('PermitRootLogin no\n');
  });

  for (const v of VARIANTS) {
    it.skipIf(v.missing !== undefined)(`one grep, one stat and one sha256sum for the files of every fact without a rule (${v.name})${v.missing ? ` (skipped: ${v.missing})` : ''}`, async () => {
      const log = join(root, `tools-${v.name}.log`);
      writeFileSync(log, '');
      const base = v.opts.env?.PATH ?? process.env.PATH ?? '/usr/bin:/bin';
      const env = { ...(v.opts.env ?? process.env), PATH: countingPath(join(root, `bin-${v.name}`), log, base) };
      const { snapshot, run } = await collectFacts(new LocalTransport({ ...v.opts, env }), IDS, { registry });
      expect(run.stderr.toString()).toBe('');
      expect(snapshot.complete, JSON.stringify(snapshot.issues)).toBe(true);
      // What the facts say: content where it may be sent, key material withheld (stat and hash only).
      const conf = snapshot.facts['t.conf'] as FileFact;
      expect(conf).toMatchObject({ exists: true, content: 'PermitRootLogin no\n', stat: { mode: 0o644, type: 'file' } });
      const key = snapshot.facts['t.key'] as FileFact;
      expect(key.exists).toBe(true);
      expect(key.content).toBeUndefined();
      expect(key.secret).toBe('key');
      expect(key.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(snapshot.facts['t.gone']).toMatchObject({ exists: false });
      const set = snapshot.facts['t.set'] as FileSetFact;
      expect(set.files.map((f) => [f.path.slice(root.length), f.content ?? null, f.secret ?? null, f.stat?.mode])).toEqual([
        ['/d/one.conf', 'one\n', null, 0o644],
        ['/d/three.conf', 'three\n', null, 0o640],
        ['/d/two_key', null, 'key', 0o644],
      ]);
      const perm = snapshot.facts['t.perm'] as FileSetFact;
      const sha = (t: string) => createHash('sha256').update(t).digest('hex');
      expect(perm.files.map((f) => [f.path.slice(root.length), f.content ?? null, f.sha256, f.stat?.mode])).toEqual([
        ['/a.conf', null, sha('PermitRootLogin no\n'), 0o644],
        ['/id_key', null, sha(PEM), 0o644],
      ]);
      expect(key.sha256).toBe(sha(PEM));
      const secret = snapshot.facts['t.secret'] as FileSetFact;
      expect(secret.files[0]?.content).toBe('bindpw [REDACTED]\n');
      // The always-collected file (os-release) and these facts' files: one grep, one stat and one sha256sum in the
      // pre-scan; the fact with a secret rule looks at its own file (one grep, one stat, no hash); t.gone needs none.
      // Each fact that reads content stats its own files once more, just before it reads them (os-release, t.conf,
      // t.key, t.set and t.secret); the stat-only t.perm does not.
      const calls = readFileSync(log, 'utf8').trim().split('\n');
      expect(calls.filter((c) => c === 'grep')).toHaveLength(2);
      expect(calls.filter((c) => c === 'stat')).toHaveLength(6);
      expect(calls.filter((c) => c === 'sha256sum')).toHaveLength(1);
    });
  }
});
