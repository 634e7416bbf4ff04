import { FoureyesError } from '../../shared/model/errors.js';
import type { ScriptRun } from '../transport/types.js';
import { attempt, NO_PASSWORD, typable, UNTYPABLE, type AttemptKind, type AttemptResult, type Launcher, type PrivilegedRunOptions, type RunContext } from './sudo-attempt.js';
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
 *      password was missing or refused (stdin had to be closed to stop sudo) -> plain `sh -s`; with privilege
 *      'sudo', sudo will not list the rules without a password (the first wrapper asked nothing) -> on a pty,
 *      `sudo -S -v` gets the password once, then only `sudo -n`: a root shell if the rules allow one, else the
 *      script unprivileged with its reads through the allowed commands (they share that terminal's timestamp).
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
  const run = async (kind: AttemptKind): Promise<AttemptResult> => {
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
      throw new FoureyesError('privilege', `${opts.label}: sudo on a terminal failed: ${'note' in second ? second.note : 'no script run'}`);
    }
    if (first.outcome === 'needs_auth') {
      // sudo said it wants a password: without one, starting sudo -v would only leave a failed authentication in
      // the host's log. Asked now (once per run); the pty attempt writes it after the nonce prompt only.
      const got = await askPassword(ctx);
      if (!got.ok) return toRun(await run('plain'), got.why);
      const second = await run('sudo-auth');
      if (second.outcome === 'ran') return toRun(second);
      throw new FoureyesError('privilege', `${opts.label}: sudo on a terminal ended before the script started`);
    }
    const plain = await run('plain');
    return toRun(plain, 'note' in first ? first.note : undefined);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    ctx.password = undefined;
  }
}

/**
 * The sudo password for a run that must authenticate before sudo does anything (needs_auth), before any sudo is
 * started: none, one that cannot be typed, or a failed look-up each say why and start nothing. The deadline and a
 * cancel end the wait (a person may never answer).
 */
function askPassword(ctx: RunContext): Promise<{ ok: true } | { ok: false; why: string }> {
  if (ctx.failure) return Promise.reject(ctx.failure);
  return new Promise<{ ok: true } | { ok: false; why: string }>((resolve, reject) => {
    ctx.fail = reject;
    ctx.opts.sudoPassword().then(
      (pw) => {
        if (pw === undefined) return resolve({ ok: false, why: NO_PASSWORD });
        if (!typable(pw)) return resolve({ ok: false, why: UNTYPABLE });
        ctx.password = pw;
        resolve({ ok: true });
      },
      (e: unknown) => resolve({ ok: false, why: `the sudo password could not be obtained: ${(e as Error).message}` }),
    );
  }).finally(() => (ctx.fail = undefined));
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
