import { FoureyesError } from '../../shared/model/errors.js';
import { withPartialOutput } from '../transport/partial.js';
import type { ScriptRun } from '../transport/types.js';
import { CappedSink } from './capped.js';
import { NEEDS_TTY_RE, plainCommand, splitPtyStderr, sudoAuthPtyCommand, sudoCommand, sudoPtyCommand, type Markers } from './sudo-commands.js';

/**
 * One attempt of a privileged run: a wrapper command (see sudo-commands.ts) started on the target, driven by what
 * it prints: the nonce prompt (answer with the password, once), the ready line (send the script), sudo's exit line
 * (fall back in the same process, or report that a new one is needed). runWithPrivilege (sudo.ts) chains attempts.
 */

/** One remote command: an SSH exec channel, or a local process in tests. */
export interface RemoteProcess {
  onStdout(fn: (chunk: Buffer) => void): void;
  onStderr(fn: (chunk: Buffer) => void): void;
  /** Called once when the process (channel) is gone, with its exit status when there was one. */
  onClose(fn: (exitCode: number | null) => void): void;
  write(data: string | Buffer): void;
  end(data?: string | Buffer): void;
  /** Kill and close. */
  stop(): void;
}

export type Launcher = (command: string, opts: { pty: boolean }) => Promise<RemoteProcess>;

export interface PrivilegedRunOptions {
  privilege: 'auto' | 'none' | 'sudo';
  deadlineMs: number;
  maxStdout: number;
  maxStderr: number;
  signal?: AbortSignal;
  /**
   * Asked at most once per run, only with privilege 'sudo', and only after sudo showed its nonce prompt or said
   * (to `sudo -n -l`) that it wants a password before anything; it is written only after the nonce prompt.
   */
  sudoPassword: () => Promise<string | undefined>;
  /** user@host:port, for messages. */
  label: string;
  /** The sudo program (default `sudo`). */
  sudoCommand?: string;
  /** Check for uid 0 first (default true). Tests turn it off to exercise sudo as root. */
  rootCheck?: boolean;
  /** Fixed nonce (tests); default random per run. */
  nonce?: string;
}

export type Level = 'root' | 'sudo' | 'none';

export type AttemptResult =
  | { outcome: 'ran'; level: Level; run: Omit<ScriptRun, 'privilege' | 'privilegeNote'>; note?: string }
  | { outcome: 'needs_tty'; note: string }
  /** sudo wants a password before it lists the rules: authenticate once on a terminal (sudoAuthPtyCommand). */
  | { outcome: 'needs_auth' }
  | { outcome: 'retry_plain'; note: string };

/** Shared by the (at most two) attempts of one run. */
export interface RunContext {
  opts: PrivilegedRunOptions;
  markers: Markers;
  script: Buffer;
  launch: Launcher;
  /** Set once the password was written: it is never written a second time in this run. */
  passwordWritten: boolean;
  password?: string;
  /** Stops the current attempt with this error (deadline, abort). */
  fail?: (e: FoureyesError) => void;
  failure?: FoureyesError;
}

export const NO_PASSWORD = 'sudo asks for a password and none is available';
export const UNTYPABLE = 'the sudo password contains a line break or control character and cannot be typed to sudo';

/**
 * A line break would end the password early and leave the rest on stdin (for the shell to run); on a terminal,
 * control characters edit the line. Such a password cannot be typed safely.
 */
export function typable(pw: string): boolean {
  return ![...pw].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
}

/** Bytes before the ready line are sudo's; this much is kept for prompts, markers and messages. */
const PRE_CAP = 64 * 1024;

/** Bytes kept as latin1 text so string offsets are byte offsets. */
class PreText {
  text = '';
  push(c: Buffer): void {
    if (this.text.length < PRE_CAP) this.text += c.subarray(0, PRE_CAP - this.text.length).toString('latin1');
  }
}

function count(hay: string, needle: string): number {
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** sudo's own words for a note: printable, without our prompt/markers or the password, bounded. */
function sudoWords(text: string, ctx: RunContext): string {
  let t = text;
  if (ctx.password) t = t.split(ctx.password).join('***');
  const m = ctx.markers;
  const lines = t
    .split(/\r?\n|\r/)
    .map((l) => l.replace(new RegExp(`\\[?sudo: ${m.promptToken}:\\]?( Password:)?|${m.promptToken}:|fe-(exit|ready)-${m.nonce}-\\w*`, 'g'), ' '))
    .map((l) => l.replace(/[^\x20-\x7e]+/g, ' ').replace(/\s+/g, ' ').trim())
    .filter((l) => l !== '' && !/^Sorry, try again\.?$/.test(l));
  const s = [...new Set(lines)].join('; ');
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

export type AttemptKind = 'plain' | 'sudo' | 'sudo-pty' | 'sudo-auth';

export function attempt(ctx: RunContext, kind: AttemptKind): Promise<AttemptResult> {
  const { opts, markers } = ctx;
  const pty = kind === 'sudo-pty' || kind === 'sudo-auth';
  const sudo = opts.sudoCommand ?? 'sudo';
  const command =
    kind === 'plain'
      ? plainCommand(markers, { rootCheck: opts.rootCheck !== false })
      : kind === 'sudo'
        ? sudoCommand(markers, sudo, { rootCheck: opts.rootCheck !== false, restrictedProbe: true, authProbe: opts.privilege === 'sudo' })
        : kind === 'sudo-auth'
          ? sudoAuthPtyCommand(markers, sudo, ctx.script.length)
          : sudoPtyCommand(markers, sudo, ctx.script.length);

  return new Promise<AttemptResult>((resolve, reject) => {
    let proc: RemoteProcess | undefined;
    let settled = false;
    // Each stream has its own ready marker (without a pty); before it, the stream is sudo's.
    let phase: 'pre' | 'script' = 'pre';
    let errPhase: 'pre' | 'script' = pty ? 'script' : 'pre';
    let level: Level = 'none';
    const preOut = new PreText();
    const preErr = new PreText();
    const out = new CappedSink(opts.maxStdout);
    const err = new CappedSink(opts.maxStderr);
    let prompts = 0;
    let gaveUp: string | undefined;
    let wantTty = false;
    let sudoExit: number | undefined;
    /** Exit lines seen before the script started (sudo-auth prints one after `sudo -v`, one more if the shell failed). */
    let exits = 0;
    let wantAuth = false;
    let noTicket = false;
    let scriptSent = false;
    let exitAnswered = false;
    let scanTail = '';
    let note: string | undefined;

    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      ctx.fail = undefined;
      f();
    };
    ctx.fail = (e) => finish(() => {
      proc?.stop();
      // What the script printed before the stop goes with the error: its facts are kept as a partial snapshot.
      reject(phase === 'script' ? withPartialOutput(e, out.buffer()) : e);
    });
    // Where sudo's prompt and messages appear: stderr, or the merged stream on a pty.
    const sudoText = (): string => (pty ? preOut.text : preErr.text);

    const sendScript = (): void => {
      if (scriptSent || !proc) return;
      scriptSent = true;
      // On a pty, dd reads exactly the script's length: an EOF cannot be sent through a terminal.
      if (pty) proc.write(ctx.script);
      else proc.end(ctx.script);
    };

    const giveUp = (why: string): void => {
      if (gaveUp || !proc) return;
      gaveUp = why;
      // sudo stops at end of input: ^D on a terminal (canonical mode), EOF on a pipe.
      if (pty) proc.write('\x04');
      else proc.end();
    };

    const onPrompt = (): void => {
      if (gaveUp) return;
      if (prompts > 1) return giveUp(ctx.passwordWritten ? 'sudo did not accept the password' : 'sudo asked for a password again');
      if (opts.privilege !== 'sudo') {
        return giveUp("sudo asks for a password; privilege 'auto' uses sudo only where no password is needed (choose 'sudo' to give one)");
      }
      if (ctx.passwordWritten) return giveUp('sudo asked for the password again in this run');
      const p = ctx.password !== undefined ? Promise.resolve(ctx.password) : opts.sudoPassword();
      p.then(
        (pw) => {
          if (settled || phase !== 'pre' || prompts !== 1 || gaveUp || !proc) return;
          if (pw === undefined) return giveUp(NO_PASSWORD);
          if (!typable(pw)) return giveUp(UNTYPABLE);
          ctx.password = pw;
          ctx.passwordWritten = true;
          proc.write(`${pw}\n`);
        },
        (e: unknown) => giveUp(`the sudo password could not be obtained: ${(e as Error).message}`),
      );
    };

    const onSudoExit = (): void => {
      const said = sudoWords(sudoText(), ctx);
      if (kind === 'sudo-auth') {
        // Go on in this channel whatever sudo said: as root, through the rules' commands, or unprivileged.
        if (exits === 1 && (sudoExit !== 0 || gaveUp)) note = gaveUp ? `${gaveUp}${said ? ` (${said})` : ''}` : `sudo -v ended with exit ${sudoExit}${said ? `: ${said}` : ''}`;
        if (exits > 1) note = `sudo did not start the shell (exit ${sudoExit})${said ? `: ${said}` : ''}`;
        proc?.write('y\n');
        return;
      }
      if (!pty && !gaveUp && NEEDS_TTY_RE.test(sudoText())) {
        wantTty = true;
        note = said;
        proc?.end('n\n');
        return;
      }
      note = gaveUp ? `${gaveUp}${said ? ` (${said})` : ''}` : `sudo did not start the shell (exit ${sudoExit})${said ? `: ${said}` : ''}`;
      // Without a pty our stdin is closed after giving up: the wrapper exits, a new channel runs the script.
      if (gaveUp && !pty) return;
      proc?.write('y\n');
    };

    const scanPre = (): void => {
      if (phase !== 'pre') return;
      const r = markers.ready.exec(preOut.text);
      if (r) {
        phase = 'script';
        level = r[1] as Level;
        const rest = Buffer.from(preOut.text.slice(r.index + r[0].length), 'latin1');
        if (rest.length) out.push(rest);
        sendScript();
        return;
      }
      const n = count(sudoText(), markers.promptToken);
      if (n > prompts) {
        prompts = n;
        onPrompt();
      }
      if (!pty && !wantAuth && markers.auth.test(preErr.text)) {
        // The wrapper exits by itself: sudo was not asked anything, nothing was written.
        wantAuth = true;
        return;
      }
      if (pty && !noTicket && markers.noTicket.test(sudoText())) {
        noTicket = true;
        note = 'sudo accepted the password but asks for it again for every command (no timestamp kept, e.g. timestamp_timeout=0); it is typed only once per run, so root-only facts were not read';
      }
      const all = [...sudoText().matchAll(new RegExp(markers.exit.source, 'g'))];
      while (exits < all.length && (exits === 0 || kind === 'sudo-auth')) {
        sudoExit = Number((all[exits] as RegExpMatchArray)[1]);
        exits++;
        onSudoExit();
      }
    };

    const onStdout = (c: Buffer): void => {
      if (phase === 'pre') {
        preOut.push(c);
        return scanPre();
      }
      out.push(c);
      // On a pty the wrapper waits after sudo returns: answer "no fallback" so it exits with the script's status.
      if (pty && level === 'sudo' && !exitAnswered) {
        const s = scanTail + c.toString('latin1');
        if (markers.exit.test(s)) {
          exitAnswered = true;
          proc?.write('n\n');
        }
        scanTail = s.slice(-128);
      }
    };
    const onStderr = (c: Buffer): void => {
      if (errPhase === 'pre') {
        preErr.push(c);
        const r = markers.ready.exec(preErr.text);
        if (r) {
          errPhase = 'script';
          const rest = Buffer.from(preErr.text.slice(r.index + r[0].length), 'latin1');
          if (rest.length) err.push(rest);
          // What came before is sudo's; keep it for messages, out of the way of later scans.
          preErr.text = preErr.text.slice(0, r.index);
        }
        return scanPre();
      }
      err.push(c);
    };

    const onClose = (code: number | null): void =>
      finish(() => {
        if (phase === 'pre') {
          if (wantTty) return resolve({ outcome: 'needs_tty', note: note ?? 'sudo requires a terminal' });
          if (wantAuth) return resolve({ outcome: 'needs_auth' });
          if (gaveUp && !pty) return resolve({ outcome: 'retry_plain', note: note ?? gaveUp });
          const said = sudoWords(`${preErr.text}\n${preOut.text}`, ctx);
          return reject(new FoureyesError('privilege', `${opts.label}: the shell ended before the script started (exit ${code ?? 'unknown'})${said ? `: ${said}` : ''}`));
        }
        let stdout = out.buffer();
        let stderr = err.buffer();
        let exitCode = code;
        if (level === 'sudo') {
          // The wrapper's exit line follows the script's output: take the status from it and cut it off.
          const strip = (b: Buffer): Buffer => {
            const tail = b.subarray(Math.max(0, b.length - 128)).toString('latin1');
            const m = markers.exitAtEnd.exec(tail);
            if (!m) return b;
            exitCode = Number(m[1]);
            return b.subarray(0, b.length - Buffer.byteLength(m[0], 'latin1'));
          };
          if (pty) stdout = strip(stdout);
          else stderr = strip(stderr);
        }
        let splitTruncated = false;
        if (pty) {
          // The script's stderr was held back on the target and follows its stdout as a section of its own; it
          // joins whatever came on the channel's stderr under the same cap.
          const split = splitPtyStderr(stdout, markers, opts.maxStderr);
          stdout = split.stdout;
          err.push(split.stderr);
          stderr = err.buffer();
          splitTruncated = split.stderrTruncated;
        }
        resolve({
          outcome: 'ran',
          level,
          run: { stdout, stderr, exitCode, stdoutTruncated: out.truncated, stderrTruncated: err.truncated || splitTruncated },
          ...(note ? { note } : {}),
        });
      });

    ctx.launch(command, { pty }).then(
      (p) => {
        if (settled) return p.stop();
        proc = p;
        p.onStdout(onStdout);
        p.onStderr(onStderr);
        p.onClose(onClose);
        // The plain wrapper reads nothing before `exec sh -s`: the script can go at once.
        if (kind === 'plain') sendScript();
      },
      (e: unknown) => finish(() => reject(e)),
    );
  });
}

