import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACTS } from '../../../shared/facts/registry.js';
import type { CommandFact, FileFact, FileSetFact } from '../../../shared/facts/snapshot.js';
import { collectFacts } from '../../../main/collector/collect.js';
import { LocalTransport } from '../../../main/transport/local.js';
import { makeFixture, type Fixture } from './fixtures.js';
import { HAS_SETPRIV, IS_ROOT, nobodyTransport, registryWith } from './helpers.js';

let fx: Fixture;
beforeAll(() => {
  fx = makeFixture();
});
afterAll(() => fx.cleanup());

/** True when this machine lets us make a mount namespace (root in a container that allows it). */
function canUnshare(): boolean {
  try {
    execFileSync('unshare', ['-m', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const UNSHARE = IS_ROOT && canUnshare();

describe.skipIf(!IS_ROOT || !HAS_SETPRIV)('collector as an unprivileged user (nobody)', () => {
  it('reports privileged false and denied facts, and still reads what is readable', async () => {
    const { snapshot: s, run } = await collectFacts(nobodyTransport(), fx.ids, { registry: fx.registry, boundary: fx.boundary });
    expect(run.stderr.toString()).toBe('');
    expect(s.complete).toBe(true);
    expect(s.privileged).toBe(false);
    expect((s.facts['host.id'] as CommandFact).stdout.split('\n')[0]).toBe('65534');
    expect((s.facts['accounts.passwd'] as FileFact).content).toBe(readFileSync('/etc/passwd', 'utf8'));
    expect(s.facts['accounts.shadow']).toMatchObject({ kind: 'command', problem: 'denied' });
    const shadow = (s.facts['files.critical_perms'] as FileSetFact).files.find((f) => f.path === '/etc/shadow');
    expect(shadow).toMatchObject({ exists: true, problem: 'denied' });
    expect(shadow?.stat?.mode).toBeDefined();
    expect(shadow?.sha256).toBeUndefined();
    expect(s.facts['test.noread']).toMatchObject({ exists: true, problem: 'denied' });
    expect((s.facts['test.noread'] as FileFact).content).toBeUndefined();
    expect(s.facts['test.locked_file']).toMatchObject({ exists: false, problem: 'denied' });
    expect(s.facts['test.locked_set']).toMatchObject({ problem: 'denied', files: [] });
    const xonly = s.facts['test.xonly_set'] as FileSetFact;
    expect(xonly.files.map((f) => [f.path, f.content])).toEqual([[`${fx.root}/xonly/known.conf`, 'known\n']]);
    expect(xonly).toMatchObject({ problem: 'denied', detail: expect.stringContaining(`cannot list ${fx.root}/xonly/*`) });
    expect(s.issues.some((i) => i.message.includes('not root') && i.message.includes('accounts.shadow'))).toBe(true);
  });

  it('as root the same facts are readable', async () => {
    const { snapshot: s } = await collectFacts(new LocalTransport(), ['test.noread', 'test.locked_set', 'test.xonly_set'], { registry: fx.registry });
    expect((s.facts['test.xonly_set'] as FileSetFact).files).toHaveLength(2);
    expect(s.facts['test.xonly_set']?.problem).toBeUndefined();
    expect(s.facts['test.noread']).toMatchObject({ exists: true, content: 'root only\n' });
    expect((s.facts['test.locked_set'] as FileSetFact).files.map((f) => f.content)).toEqual(['secret\n']);
  });
});

describe('per-command time limit', () => {
  it('stops a hanging command and reports timeout; the rest still runs', async () => {
    const registry = registryWith({
      'test.hang': { kind: 'command', script: 'sleep 30', requires: ['sleep'], maxBytes: 100, description: 'hangs' },
      'test.after': { kind: 'command', script: 'echo after', requires: [], maxBytes: 100, description: 'runs after' },
    });
    const t0 = Date.now();
    const { snapshot: s } = await collectFacts(new LocalTransport(), ['test.hang', 'test.after'], { registry, commandTimeoutSec: 1 });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(s.facts['test.hang']).toMatchObject({ problem: 'timeout', exitCode: 124 });
    expect(s.facts['test.after']).toMatchObject({ exitCode: 0, stdout: 'after\n' });
    expect(s.complete).toBe(true);
  });
});

describe.skipIf(!UNSHARE)('in a mount namespace (root)', () => {
  /** Runs the collector through `unshare -m sh -c '<setup>; exec sh -s'`. */
  const inNamespace = (setup: string): LocalTransport => new LocalTransport({ shell: ['unshare', '-m', 'sh', '-c', `${setup}; exec sh "$@"`, 'sh'] });

  it('falls back to od hex when base64 is unusable, with the same facts', async () => {
    const ids = ['accounts.passwd', 'test.bin_cmd', 'test.hostile'];
    const t = inNamespace('mount --bind /bin/false "$(command -v base64)"');
    const { snapshot: hex } = await collectFacts(t, ids, { registry: fx.registry, boundary: fx.boundary });
    const { snapshot: b64 } = await collectFacts(new LocalTransport(), ids, { registry: fx.registry, boundary: fx.boundary });
    expect(hex.issues.some((i) => i.message.includes('hex fallback'))).toBe(true);
    expect(hex.complete).toBe(true);
    for (const id of ids) expect(hex.facts[id], id).toEqual(b64.facts[id]);
  });

  it('runs the whole registry on a read-only file system without a single write error', async () => {
    // Every mount of the namespace read-only: any write attempt would fail and show on stderr or in a fact.
    const ro = 'for m in $(awk \'{print $2}\' /proc/self/mounts); do mount -o remount,bind,ro "$m" 2>/dev/null; done; ' +
      'if touch /tmp/.fe-rw-probe 2>/dev/null; then echo "still writable" >&2; exit 99; fi';
    const ids = [...Object.keys(FACTS), 'test.hostile', 'test.bin_cmd', 'test.bin_file'];
    const t0 = performance.now();
    const { snapshot: s, run } = await collectFacts(inNamespace(ro), ids, { registry: fx.registry, boundary: fx.boundary });
    const ms = performance.now() - t0;
    expect(run.stderr.toString()).toBe('');
    expect(s.complete).toBe(true);
    const text = JSON.stringify(s.facts);
    expect(text).not.toMatch(/read-only file system/i);
    expect(Object.keys(s.facts).sort()).toEqual([...new Set(['host.id', 'host.os_release', ...ids])].sort());
    console.info(`whole registry, read-only namespace: ${ms.toFixed(0)} ms, ${run.stdout.length} bytes of output`);
  });
});
