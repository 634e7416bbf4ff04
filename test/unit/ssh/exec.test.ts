import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTarget } from '../../../main/ssh/connect.js';
import { execCommand } from '../../../main/ssh/exec.js';
import type { SshSession } from '../../../main/ssh/session.js';
import { RecordingSecrets, pinned, sleep, targetFor } from './helpers.js';
import { makeClientKeys, startSshd, type ClientKeys, type SshdFixture } from './sshd-fixture.js';

let keys: ClientKeys;
let sshd: SshdFixture;
let s: SshSession;
const MiB = 1024 * 1024;

beforeAll(async () => {
  keys = makeClientKeys();
  sshd = await startSshd({ authorizedKeys: [keys.plain] });
  s = await connectTarget(targetFor(sshd, { type: 'key', keyPath: keys.plain }, pinned(sshd)), new RecordingSecrets());
});
afterAll(async () => {
  await s?.close();
  await sshd?.stop();
  rmSync(keys.dir, { recursive: true, force: true });
});

describe('execCommand', () => {
  it('returns stdout, stderr and the exit code', async () => {
    const r = await execCommand(s, 'echo out; echo err >&2; exit 3', { deadlineMs: 5000, maxStdout: 100, maxStderr: 100 });
    expect(r).toMatchObject({ exitCode: 3, stdoutTruncated: false, stderrTruncated: false });
    expect(r.stdout.toString()).toBe('out\n');
    expect(r.stderr.toString()).toBe('err\n');
  });

  it('caps stdout, flags truncation, and still reads to the end (the command completes with its own status)', async () => {
    const r = await execCommand(s, 'yes | head -c 50000000; echo done >&2', { deadlineMs: 30_000, maxStdout: MiB, maxStderr: 1000 });
    expect(r.stdout.length).toBe(MiB);
    expect(r.stdoutTruncated).toBe(true);
    expect(r.stdout.subarray(0, 6).toString()).toBe('y\ny\ny\n');
    expect(r.stderr.toString()).toBe('done\n');
    expect(r.exitCode).toBe(0);
  });

  it('drains both streams: 10 MB on stderr and 10 MB on stdout, interleaved, completes', async () => {
    const cmd = 'for i in 1 2 3 4 5 6 7 8 9 10; do head -c 1048576 /dev/zero >&2; head -c 1048576 /dev/zero; done; echo end';
    const t0 = Date.now();
    const r = await execCommand(s, cmd, { deadlineMs: 30_000, maxStdout: 64 * 1024, maxStderr: 64 * 1024 });
    expect(r.exitCode).toBe(0);
    expect(r.stdoutTruncated).toBe(true);
    expect(r.stderrTruncated).toBe(true);
    expect(r.stdout.length).toBe(64 * 1024);
    expect(r.stderr.length).toBe(64 * 1024);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('a command past its deadline is stopped and the run rejects with timeout', async () => {
    const t0 = Date.now();
    await expect(execCommand(s, 'sleep 3.5', { deadlineMs: 1000, maxStdout: 100, maxStderr: 100 })).rejects.toMatchObject({
      code: 'timeout',
      message: expect.stringContaining(`root@127.0.0.1:${sshd.port}: command exceeded its deadline of 1000 ms`),
    });
    expect(Date.now() - t0).toBeLessThan(3000);
    // A KILL signal request was sent. (OpenSSH acts on it only for non-root logins: for root it answers
    // "session signalling requires privilege separation", so here the remote sleep runs out on its own.)
    await sleep(200);
    expect(sshd.log()).toMatch(/session_input_channel_req: session \d+ req signal/);
  });

  it('writes stdin then closes it', async () => {
    const data = Buffer.alloc(3 * MiB, 'abc');
    const r = await execCommand(s, 'wc -c; sha256sum', { deadlineMs: 10_000, maxStdout: 1000, maxStderr: 100, stdin: data });
    expect(r.stdout.toString().split('\n')[0]?.trim()).toBe(String(3 * MiB));
    const empty = await execCommand(s, 'cat | wc -c', { deadlineMs: 5000, maxStdout: 100, maxStderr: 100 });
    expect(empty.stdout.toString().trim()).toBe('0');
  });

  it('with a pty, the command has a terminal and stderr arrives on stdout', async () => {
    const r = await execCommand(s, 'tty >/dev/null && echo has-tty; echo to-stderr >&2', { deadlineMs: 5000, maxStdout: 1000, maxStderr: 100, pty: true });
    const text = r.stdout.toString();
    expect(text).toContain('has-tty');
    expect(text).toContain('to-stderr');
    expect(r.stderr.length).toBe(0);
    const plain = await execCommand(s, 'tty >/dev/null && echo has-tty || echo no-tty', { deadlineMs: 5000, maxStdout: 1000, maxStderr: 100 });
    expect(plain.stdout.toString()).toBe('no-tty\n');
  });

  it('abort closes the channel and rejects with cancelled', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    await expect(execCommand(s, 'sleep 20', { deadlineMs: 10_000, maxStdout: 100, maxStderr: 100, signal: ac.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('counts exec channels', async () => {
    const before = s.stats().execChannels;
    await execCommand(s, 'true', { deadlineMs: 5000, maxStdout: 10, maxStderr: 10 });
    await execCommand(s, 'true', { deadlineMs: 5000, maxStdout: 10, maxStderr: 10 });
    expect(s.stats()).toEqual({ connections: 1, execChannels: before + 2 });
  });
});
