/**
 * On the pty path the script's stderr arrives twice over: held back on the target (a section after stdout) and,
 * from a server that sends any, on the channel's own stderr. Together they stay within maxStderr.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { attempt, type Launcher, type RunContext } from '../../../main/ssh/sudo-attempt.js';
import { makeMarkers } from '../../../main/ssh/sudo-commands.js';

/** The wrapper in a local sh (no terminal: `false` as sudo makes it fall back), then 3000 bytes on stderr. */
const launch: Launcher = async (command) => {
  const child = spawn('sh', ['-c', `${command}; rc=$?; head -c 3000 /dev/zero >&2; exit $rc`], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.on('error', () => undefined);
  return {
    onStdout: (fn) => void child.stdout.on('data', fn),
    onStderr: (fn) => void child.stderr.on('data', fn),
    onClose: (fn) => void child.on('close', (code) => fn(code)),
    write: (d) => void child.stdin.write(d),
    end: (d) => void (d === undefined ? child.stdin.end() : child.stdin.end(d)),
    stop: () => void child.kill('SIGKILL'),
  };
};

function context(maxStderr: number): RunContext {
  return {
    opts: { privilege: 'auto', deadlineMs: 10_000, maxStdout: 64 * 1024, maxStderr, label: 'local', sudoCommand: 'false', rootCheck: false, sudoPassword: async () => undefined },
    markers: makeMarkers('0123456789abcdef0123456789abcdef'),
    script: Buffer.from('echo out; head -c 3000 /dev/zero | tr "\\000" e >&2; exit 4\n'),
    launch,
    passwordWritten: false,
  };
}

describe('pty path stderr', () => {
  it('the held-back section and the channel stderr share one cap', async () => {
    const r = await attempt(context(4096), 'sudo-pty');
    if (r.outcome !== 'ran') throw new Error(`attempt did not run: ${r.outcome}`);
    expect(r.level).toBe('none');
    expect(r.run.exitCode).toBe(4);
    expect(r.run.stdout.toString()).toBe('out\n');
    expect(r.run.stderr.length).toBe(4096);
    expect(r.run.stderrTruncated).toBe(true);
  });

  it('under the cap both arrive whole, channel stderr first', async () => {
    const r = await attempt(context(8192), 'sudo-pty');
    if (r.outcome !== 'ran') throw new Error(`attempt did not run: ${r.outcome}`);
    expect(r.run.stderr.equals(Buffer.concat([Buffer.alloc(3000), Buffer.alloc(3000, 'e')]))).toBe(true);
    expect(r.run.stderrTruncated).toBe(false);
  });
});
