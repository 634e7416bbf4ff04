import type { ClientChannel, PseudoTtyOptions } from 'ssh2';
import { FoureyesError } from '../../shared/model/errors.js';
import { throwIfAborted, untilAborted } from './abort.js';
import { CappedSink } from './capped.js';
import type { SshSession } from './session.js';

/** Pty settings for exec: no echo of what we write; a plain terminal type. */
export const PTY_OPTIONS: PseudoTtyOptions = { term: 'dumb', rows: 24, cols: 200, modes: { ECHO: 0 } };

/**
 * Opens an exec channel on the session's target connection (counted in session.stats().execChannels).
 * With `pty`, stdout and stderr arrive merged on stdout. `signal`: an abort before the server has opened the
 * channel rejects with `cancelled` at once (nothing is requested after an abort; a channel that opens later is
 * stopped).
 */
export function openExec(session: SshSession, command: string, opts: { pty?: boolean; signal?: AbortSignal } = {}): Promise<ClientChannel> {
  const what = `${session.label}: command`;
  try {
    throwIfAborted(opts.signal, what);
  } catch (e) {
    return Promise.reject(e);
  }
  if (session.closed) return Promise.reject(new FoureyesError('ssh_error', `${session.label}: connection is closed`));
  session.noteExecChannel();
  return untilAborted(open(session, command, opts.pty === true), opts.signal, what, stopChannel);
}

function open(session: SshSession, command: string, pty: boolean): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    const cb = (err: Error | undefined, ch: ClientChannel): void => {
      if (!err) return resolve(ch);
      // A server that allows one session per connection (sshd's MaxSessions 1) refuses the second with no reason.
      const why = err.message.replace(/[^\x20-\x7e]+/g, ' ').trim().replace(/:$/, '');
      const again = session.stats().execChannels > 1 ? '; the server refused another session on this connection (as sshd does with MaxSessions 1)' : '';
      reject(new FoureyesError('ssh_error', `${session.label}: cannot open an exec channel: ${why}${again}`));
    };
    if (pty) session.client.exec(command, { pty: PTY_OPTIONS }, cb);
    else session.client.exec(command, cb);
  });
}

interface ChannelInternals {
  outgoing?: { id: number; state: string };
  _client?: { _protocol?: { signal(id: number, name: string): void } };
}

/**
 * Stops a channel: a KILL signal to the remote command's process group (OpenSSH 8.1+ honours it for the login
 * user's own processes), then close. ssh2's public `signal()` only sends while stdin is still open; a command
 * whose stdin we already ended must be stoppable too, so the request goes through the protocol object directly.
 */
export function stopChannel(ch: ClientChannel): void {
  try {
    const c = ch as unknown as ChannelInternals;
    const state = c.outgoing?.state;
    if (c.outgoing && (state === 'open' || state === 'eof')) c._client?._protocol?.signal(c.outgoing.id, 'KILL');
  } catch {
    // channel already gone
  }
  try {
    ch.close();
  } catch {
    // channel already gone
  }
}

export interface ExecOptions {
  /** The command must finish within this many milliseconds, or the run rejects with a `timeout` error. */
  deadlineMs: number;
  maxStdout: number;
  maxStderr: number;
  /** Written to the command's stdin, which is then closed (closed at once when absent). */
  stdin?: string | Buffer;
  pty?: boolean;
  /** Abort closes the channel and rejects with a `cancelled` error. */
  signal?: AbortSignal;
}

export interface ExecResult {
  stdout: Buffer;
  stderr: Buffer;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** null when the command ended by a signal or the server sent no status. */
  exitCode: number | null;
  exitSignal?: string;
}

/**
 * Runs one command. Both streams are read to the end even past their caps (the excess is dropped), so the remote
 * command never blocks on a full pipe and the channel closes normally.
 */
export async function execCommand(session: SshSession, command: string, opts: ExecOptions): Promise<ExecResult> {
  if (opts.signal?.aborted) throw new FoureyesError('cancelled', `${session.label}: command cancelled before it started`);
  const started = Date.now();
  const ch = await openExec(session, command, { pty: opts.pty === true, ...(opts.signal ? { signal: opts.signal } : {}) });
  const out = new CappedSink(opts.maxStdout);
  const err = new CappedSink(opts.maxStderr);
  return new Promise<ExecResult>((resolve, reject) => {
    let settled = false;
    let unsubscribe = (): void => undefined;
    let exitCode: number | null = null;
    let exitSignal: string | undefined;
    const cleanup = (): void => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      unsubscribe();
    };
    // A stopped command rejects at once: the channel's own close may wait until the remote process is gone.
    const stop = (e: FoureyesError): void => {
      if (settled) return;
      settled = true;
      cleanup();
      stopChannel(ch);
      reject(e);
    };
    const timer = setTimeout(
      () => stop(new FoureyesError('timeout', `${session.label}: command exceeded its deadline of ${opts.deadlineMs} ms`)),
      Math.max(0, opts.deadlineMs - (Date.now() - started)),
    );
    const onAbort = (): void => stop(new FoureyesError('cancelled', `${session.label}: command cancelled`));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const onSessionClose = (): void => stop(new FoureyesError('ssh_error', `${session.label}: connection closed during the command`));
    unsubscribe = session.onClose(onSessionClose);

    ch.on('data', (c: Buffer) => out.push(c));
    ch.stderr.on('data', (c: Buffer) => err.push(c));
    ch.on('exit', (code: number | null, signal?: string) => {
      exitCode = typeof code === 'number' ? code : null;
      if (typeof signal === 'string') exitSignal = signal;
    });
    ch.on('error', (e: Error) => stop(new FoureyesError('ssh_error', `${session.label}: channel error: ${e.message}`)));
    ch.once('close', () => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve({
        stdout: out.buffer(),
        stderr: err.buffer(),
        stdoutTruncated: out.truncated,
        stderrTruncated: err.truncated,
        exitCode,
        ...(exitSignal ? { exitSignal } : {}),
      });
    });
    // An abort that came while the channel was being opened: the listener above would never fire.
    if (opts.signal?.aborted) return onAbort();
    if (opts.stdin !== undefined) ch.end(opts.stdin);
    else ch.end();
  });
}
