import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { FoureyesError } from '../../shared/model/errors.js';
import { withPartialOutput } from './partial.js';
import type { RunScriptOptions, ScriptRun, Transport, TransportStats } from './types.js';

const STDERR_CAP = 1024 * 1024;

/** Collects a stream up to a byte cap; past it, bytes are dropped and `truncated` is set. */
class CappedSink {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly cap: number) {}
  /** Returns false when the chunk went over the cap. */
  push(chunk: Buffer): boolean {
    const room = this.cap - this.size;
    if (chunk.length > room) {
      if (room > 0) this.chunks.push(chunk.subarray(0, room));
      this.size = this.cap;
      this.truncated = true;
      return false;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    return true;
  }
  buffer(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

export interface LocalTransportOptions {
  /** Shell to run (`<shell> -s`). Default `sh`. Tests use it to run under dash, bash or busybox. */
  shell?: string[];
  /** Environment for the shell. Default: this process's environment. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs the collector on this machine: `sh -s` with the script on stdin. No sudo: privilege is whatever this
 * process has. The shell gets its own process group so a deadline or abort ends every child it started.
 */
export class LocalTransport implements Transport {
  readonly kind = 'local' as const;
  private execs = 0;
  private lastOutput: number | undefined;
  /** Open runs: child -> how to stop it. */
  private readonly running = new Map<ChildProcess, (e: FoureyesError) => void>();

  constructor(private readonly opts: LocalTransportOptions = {}) {}

  stats(): TransportStats {
    return { connections: 0, execChannels: this.execs };
  }

  lastOutputAt(): number | undefined {
    return this.lastOutput;
  }

  async close(): Promise<void> {
    for (const stop of this.running.values()) stop(new FoureyesError('cancelled', 'local transport closed during a run'));
  }

  runScript(script: string, opts: RunScriptOptions): Promise<ScriptRun> {
    if (opts.signal?.aborted) return Promise.reject(new FoureyesError('cancelled', 'local collector run cancelled before it started'));
    const [cmd = 'sh', ...args] = this.opts.shell ?? ['sh'];
    this.execs++;
    const child = spawn(cmd, [...args, '-s'], { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env: this.opts.env ?? process.env });
    const out = new CappedSink(opts.maxBytes);
    const err = new CappedSink(Math.min(opts.maxBytes, STDERR_CAP));
    const privilege: ScriptRun['privilege'] = process.getuid?.() === 0 ? 'root' : 'none';

    return new Promise<ScriptRun>((resolve, reject) => {
      let failure: FoureyesError | undefined;
      const stop = (e: FoureyesError | undefined): void => {
        if (e && !failure) failure = e;
        if (this.running.has(child)) killGroup(child);
      };
      this.running.set(child, stop);
      const timer = setTimeout(
        () => stop(new FoureyesError('timeout', `local collector run exceeded its deadline of ${opts.deadlineMs} ms`)),
        opts.deadlineMs,
      );
      const onAbort = (): void => stop(new FoureyesError('cancelled', 'local collector run cancelled'));
      opts.signal?.addEventListener('abort', onAbort, { once: true });

      // Past the stdout cap the output is incomplete anyway: end the run rather than let it go on.
      child.stdout?.on('data', (c: Buffer) => {
        this.lastOutput = Date.now();
        if (!out.push(c)) stop(undefined);
      });
      child.stderr?.on('data', (c: Buffer) => {
        this.lastOutput = Date.now();
        err.push(c);
      });
      // The shell may exit before reading all of the script (EPIPE); its exit status tells the story.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(script);

      const settle = (): void => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        this.running.delete(child);
      };
      child.on('error', (e) => {
        failure ??= new FoureyesError('internal', `cannot start local shell "${cmd}": ${e.message}`);
        if (child.pid === undefined) {
          settle();
          reject(failure);
        }
      });
      child.on('close', (code) => {
        settle();
        if (failure) return reject(withPartialOutput(failure, out.buffer()));
        resolve({
          stdout: out.buffer(),
          stderr: err.buffer(),
          exitCode: code,
          stdoutTruncated: out.truncated,
          stderrTruncated: err.truncated,
          privilege,
        });
      });
    });
  }
}

/**
 * Kills everything the run started (only called while the run is still open, so these processes are ours). The
 * shell leads its own session (spawned detached); `timeout` on the collector moves commands into process groups
 * of their own, so on Linux the whole session is killed, found through /proc. Elsewhere: the process group.
 */
function killGroup(child: ChildProcess): void {
  const sid = child.pid;
  if (sid === undefined) return;
  try {
    process.kill(-sid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
  for (const pid of sessionMembers(sid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Pids whose session id is `sid` (Linux /proc; empty elsewhere). */
function sessionMembers(sid: number): number[] {
  if (process.platform !== 'linux') return [];
  const out: number[] = [];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const name of names) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      // Fields after "(comm)": state ppid pgrp session ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[3]) === sid) out.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}
