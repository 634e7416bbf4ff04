import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FoureyesError } from '../../../shared/model/errors.js';
import { collectFacts } from '../../../main/collector/collect.js';
import { LocalTransport } from '../../../main/transport/local.js';
import { registryWith } from './helpers.js';

/** Live (non-zombie) processes of a process group: zombies wait for a reaper, they do not run. */
function liveInGroup(pgid: number): string[] {
  const ps = execFileSync('ps', ['-eo', 'pgid=,stat=,args=']).toString().split('\n');
  return ps.filter((l) => {
    const [g, st] = l.trim().split(/\s+/);
    return Number(g) === pgid && !st?.startsWith('Z');
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('LocalTransport', () => {
  it('runs a script from stdin and reports exit code, streams and privilege', async () => {
    const t = new LocalTransport();
    const run = await t.runScript('printf out; printf err >&2; exit 3\n', { deadlineMs: 5000, maxBytes: 1000 });
    expect(run).toMatchObject({ exitCode: 3, stdoutTruncated: false, stderrTruncated: false });
    expect(run.stdout.toString()).toBe('out');
    expect(run.stderr.toString()).toBe('err');
    expect(run.privilege).toBe(process.getuid?.() === 0 ? 'root' : 'none');
    expect(t.stats()).toEqual({ connections: 0, execChannels: 1 });
    await t.runScript('true\n', { deadlineMs: 5000, maxBytes: 10 });
    expect(t.stats()).toEqual({ connections: 0, execChannels: 2 });
  });

  it('cuts stdout at maxBytes, flags it and ends the run', async () => {
    const t0 = Date.now();
    const run = await new LocalTransport().runScript('yes\n', { deadlineMs: 10_000, maxBytes: 5000 });
    expect(run.stdout.length).toBe(5000);
    expect(run.stdoutTruncated).toBe(true);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('caps stderr too', async () => {
    const run = await new LocalTransport().runScript('head -c 3000 /dev/zero >&2\n', { deadlineMs: 5000, maxBytes: 1000 });
    expect(run.stderr.length).toBe(1000);
    expect(run.stderrTruncated).toBe(true);
  });

  it('rejects with timeout at the deadline and kills the whole process group', async () => {
    // The test's script (not the collector) leaves its pid in a file on this machine: it is also its group id.
    const dir = mkdtempSync(join(tmpdir(), 'fe-lt-'));
    const pidFile = join(dir, 'pid');
    const p = new LocalTransport().runScript(`echo $$ > '${pidFile}'; sleep 30 & sleep 30\n`, { deadlineMs: 500, maxBytes: 1000 });
    const t0 = Date.now();
    await expect(p).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - t0).toBeLessThan(5000);
    const pgid = Number(readFileSync(pidFile, 'utf8').trim());
    rmSync(dir, { recursive: true });
    expect(pgid).toBeGreaterThan(1);
    for (let i = 0; i < 30 && liveInGroup(pgid).length > 0; i++) await sleep(100);
    expect(liveInGroup(pgid)).toEqual([]);
  });

  it('at the deadline also ends collector commands that timeout(1) moved to their own process group', async () => {
    const marker = `sleep 41.${process.pid % 1000}`;
    const registry = registryWith({ 'test.hang': { kind: 'command', script: `${marker} | cat`, requires: [], maxBytes: 100, description: 'hangs' } });
    const t0 = Date.now();
    await expect(collectFacts(new LocalTransport(), ['test.hang'], { registry, deadlineMs: 800, commandTimeoutSec: 60 })).rejects.toMatchObject({
      code: 'timeout',
    });
    expect(Date.now() - t0).toBeLessThan(5000);
    const alive = (): string[] =>
      execFileSync('ps', ['-eo', 'stat=,args=']).toString().split('\n').filter((l) => l.includes(marker) && !l.trim().startsWith('Z'));
    for (let i = 0; i < 30 && alive().length > 0; i++) await sleep(100);
    expect(alive()).toEqual([]);
  });

  it('rejects with cancelled on abort, before and during a run', async () => {
    const ac = new AbortController();
    const p = new LocalTransport().runScript('sleep 30\n', { deadlineMs: 20_000, maxBytes: 100, signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    await expect(new LocalTransport().runScript('true\n', { deadlineMs: 1000, maxBytes: 1, signal: ac.signal })).rejects.toBeInstanceOf(
      FoureyesError,
    );
  });

  it('close() ends a running script', async () => {
    const t = new LocalTransport();
    const p = t.runScript('sleep 30\n', { deadlineMs: 20_000, maxBytes: 100 });
    await sleep(100);
    await t.close();
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('rejects clearly when the shell cannot be started', async () => {
    const t = new LocalTransport({ shell: ['/nonexistent/fe-shell'] });
    await expect(t.runScript('true\n', { deadlineMs: 1000, maxBytes: 10 })).rejects.toThrow(/cannot start local shell/);
  });
});

describe('collectFacts over LocalTransport', () => {
  it('marks the snapshot incomplete when the transport cut the output', async () => {
    const { snapshot, run } = await collectFacts(new LocalTransport(), ['accounts.passwd', 'accounts.group'], { maxBytes: 1500 });
    expect(run.stdoutTruncated).toBe(true);
    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues.some((i) => i.message.includes('byte cap'))).toBe(true);
  });

  it('fails with a collector error naming the shell status when no collector output came back', async () => {
    const t = new LocalTransport({ shell: ['sh', '-c', 'echo "sh: broken" >&2; exit 127', 'sh'] });
    await expect(collectFacts(t, [])).rejects.toMatchObject({ code: 'collector', message: expect.stringMatching(/exited with 127.*sh: broken/) });
  });

  it('rejects unknown fact ids before running anything', async () => {
    const t = new LocalTransport();
    await expect(collectFacts(t, ['no.such.fact'])).rejects.toMatchObject({ code: 'bad_input' });
    expect(t.stats().execChannels).toBe(0);
  });
});
