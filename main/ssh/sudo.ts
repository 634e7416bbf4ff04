import { FoureyesError } from '../../shared/model/errors.js';
import type { ScriptRun } from '../transport/types.js';
import { attempt, type AttemptResult, type Launcher, type PrivilegedRunOptions, type RunContext } from './sudo-attempt.js';
import { makeMarkers } from './sudo-commands.js';

export type { Launcher, PrivilegedRunOptions, RemoteProcess } from './sudo-attempt.js';

/**
 * Runs a script with `sh -s` on a target, with root when it can be had, in at most two processes (exec channels):
 *
 *   1. `sh -c` wrapper: root already -> `sh -s`; else `sudo -S -p <nonce prompt> sh -c "<ready>; exec sh -s"`.
 *      The script is written only after the ready line (so sudo never reads it as a password). The sudo password is
 *      written only after the nonce prompt was seen, at most once per run. If sudo returns without starting the
 *      shell (not installed, not allowed), the same wrapper runs the script unprivileged.
 *   2. only when needed: sudo wants a tty -> the pty variant (which also falls back in its own channel); the
 *      password was missing or refused (stdin had to be closed to stop sudo) -> plain `sh -s`.
 *
 * The state machine sees the remote side only through RemoteProcess, so it runs the same over SSH channels and
 * over local processes.
 */

/** Runs `script` under the privilege policy; see the module comment. Rejects with timeout / cancelled / privilege. */
export async function runWithPrivilege(launch: Launcher, script: string | Buffer, opts: PrivilegedRunOptions): Promise<ScriptRun> {
  const ctx: RunContext = {
    opts,
    markers: makeMarkers(opts.nonce),
    script: Buffer.isBuffer(script) ? script : Buffer.from(script, 'utf8'),
    launch,
    passwordWritten: false,
  };
  if (opts.signal?.aborted) throw new FoureyesError('cancelled', `${opts.label}: run cancelled before it started`);
  const stop = (e: FoureyesError): void => {
    ctx.failure ??= e;
    ctx.fail?.(e);
  };
  const timer = setTimeout(() => stop(new FoureyesError('timeout', `${opts.label}: script run exceeded its deadline of ${opts.deadlineMs} ms`)), opts.deadlineMs);
  const onAbort = (): void => stop(new FoureyesError('cancelled', `${opts.label}: script run cancelled`));
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const run = async (kind: 'plain' | 'sudo' | 'sudo-pty'): Promise<AttemptResult> => {
    if (ctx.failure) throw ctx.failure;
    return attempt(ctx, kind);
  };
  try {
    if (opts.privilege === 'none') return toRun(await run('plain'));
    const first = await run('sudo');
    if (first.outcome === 'ran') return toRun(first);
    if (first.outcome === 'needs_tty') {
      const second = await run('sudo-pty');
      if (second.outcome === 'ran') return toRun(second, 'sudo needed a terminal');
      throw new FoureyesError('privilege', `${opts.label}: sudo on a terminal failed: ${second.note}`);
    }
    const plain = await run('plain');
    return toRun(plain, first.note);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    ctx.password = undefined;
  }
}

/** The attempt's result as a ScriptRun; a note says why privilege was not had (only when it was not). */
function toRun(r: AttemptResult, earlierNote?: string): ScriptRun {
  if (r.outcome !== 'ran') throw new FoureyesError('internal', 'attempt did not run the script');
  const run: ScriptRun = { ...r.run, privilege: r.level };
  if (r.level === 'none') {
    const note = [earlierNote, r.note].filter((n) => n).join('; ');
    if (note) run.privilegeNote = note;
  }
  return run;
}
