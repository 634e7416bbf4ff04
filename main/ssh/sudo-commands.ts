import { randomBytes } from 'node:crypto';

/**
 * The remote commands that start the collector shell with or without sudo, and the markers that frame them.
 *
 * Every command is one line wrapped in `sh -c '…'` (the login shell may be csh or fish; only single quotes are
 * given to it). Markers carry a per-run random nonce, and are printed with printf from pieces so the literal marker
 * never appears on a command line (sudo repeats command lines in its error messages): `echo fe-ready-N-s\udo`
 * prints `fe-ready-N-sudo` while its argument reads `s\udo`.
 *
 *   ready  `fe-ready-<nonce>-(root|sudo|none)` on stdout and again on stderr (one stream on a pty): the shell that
 *          will read the script is running, as root already, through sudo, or unprivileged. Output before it, on
 *          each stream, belongs to sudo (a lecture, a prompt) and is not script output. Two streams are not
 *          ordered against each other, hence a marker on each.
 *   exit   `fe-exit-<nonce>-<rc>` after sudo returned (on stderr without a pty, so it follows sudo's own messages
 *          on the same stream; on the merged stream with a pty). The wrapper then reads one line: `y` runs the
 *          script unprivileged in the same channel, anything else (or EOF) exits with sudo's status.
 *   prompt `fe-pw-<nonce>:` is the sudo prompt (-p); sudo-rs rewraps it (`[sudo: fe-pw-…:] Password:`), so it is
 *          matched anywhere in the text. The password is written only after it is seen.
 *   auth   `fe-auth-<nonce>` (stderr, no pty): with privilege 'sudo', sudo would not even list the rules without a
 *          password. The wrapper exits without asking; the run goes on in the pty channel of sudoAuthPtyCommand.
 *   noticket `fe-noticket-<nonce>` (pty): sudo accepted the password but the next `sudo -n` needs it again (no
 *          timestamp kept, e.g. timestamp_timeout=0): nothing can be read through sudo without typing it again.
 */
export interface Markers {
  nonce: string;
  /** Text that identifies the password prompt. */
  promptToken: string;
  /** Matches a ready line; group 1 = level. */
  ready: RegExp;
  /** Matches an exit line; group 1 = status. */
  exit: RegExp;
  /** Matches an exit line at the very end of a buffer, with the newline the wrapper printed before it. */
  exitAtEnd: RegExp;
  /** sudo wants a password before it lists the rules (see sudoCommand's authProbe). */
  auth: RegExp;
  /** sudo kept no timestamp after the authentication (see sudoAuthPtyCommand). */
  noTicket: RegExp;
}

export function makeMarkers(nonce: string = randomBytes(16).toString('hex')): Markers {
  if (!/^[0-9a-f]{16,64}$/.test(nonce)) throw new Error('nonce must be 16-64 lower-case hex characters');
  return {
    nonce,
    promptToken: `fe-pw-${nonce}`,
    ready: new RegExp(`fe-ready-${nonce}-(root|sudo|none)\\r?\\n`),
    exit: new RegExp(`fe-exit-${nonce}-([0-9]{1,3})\\r?\\n`),
    exitAtEnd: new RegExp(`\\r?\\nfe-exit-${nonce}-([0-9]{1,3})\\r?\\n$`),
    auth: new RegExp(`fe-auth-${nonce}\\r?\\n`),
    noTicket: new RegExp(`fe-noticket-${nonce}\\r?\\n`),
  };
}

/** sh words: the sudo program must be a plain path or name (it goes on a command line unquoted). */
export function checkSudoCommand(cmd: string): string {
  if (!/^[A-Za-z0-9_./-]+$/.test(cmd)) throw new Error(`sudo command "${cmd}" must be a plain path`);
  return cmd;
}

/** Uses no quotes, so it also fits inside the double-quoted inner command. */
function ready(m: Markers, level: 'root' | 'sudo' | 'none', bothStreams = true): string {
  const line = `echo fe-ready-${m.nonce}-${level[0]}\\${level.slice(1)}`;
  return bothStreams ? `${line}; ${line} >&2` : line;
}

function exitLine(m: Markers, toStderr: boolean): string {
  return `printf "\\n%s-%s\\n" fe-exit-${m.nonce} "$rc"${toStderr ? ' >&2' : ''}`;
}

/** Wrap for the login shell: everything runs under sh. The body must not contain single quotes. */
function sh(body: string): string {
  if (body.includes("'")) throw new Error('internal: wrapper body contains a single quote');
  return `sh -c '${body}'`;
}

/**
 * Unprivileged (or already root): `sh -s` after a ready line that says which (without the root check: always
 * "none"). The script may be sent at once: nothing reads stdin before `sh -s`.
 */
export function plainCommand(m: Markers, opts: { rootCheck: boolean } = { rootCheck: true }): string {
  if (!opts.rootCheck) return sh(`${ready(m, 'none')}; exec sh -s`);
  return sh(`if [ "$(id -u)" = 0 ]; then ${ready(m, 'root')}; else ${ready(m, 'none')}; fi; exec sh -s`);
}

/**
 * Without a pty: root runs `sh -s` directly; otherwise `sudo -S -p PROMPT sh -c "ready; exec sh -s"`, and if sudo
 * returns without running it, the exit line and the fallback question.
 *
 * `restrictedProbe` (privilege 'auto'): first ask sudo, without a prompt and without running anything, whether this
 * user has sudo rules at all (`sudo -n -l`) and whether they allow that very shell command line
 * (`sudo -n -l sh -c "…"`, sudo's own check of one command line). Rules that list only some commands, none of them
 * this shell, mean restricted sudo: the script runs unprivileged in this same channel and reads root-only facts
 * through the commands the rules allow (see collector/script-sudo.ts). Without the probe, sudo would answer a
 * command it does not allow with a password prompt. Both probes read /dev/null, never the channel's stdin.
 */
export function sudoCommand(
  m: Markers,
  sudo: string,
  opts: { rootCheck: boolean; restrictedProbe?: boolean; authProbe?: boolean },
): string {
  const root = opts.rootCheck ? `if [ "$(id -u)" = 0 ]; then ${ready(m, 'root')}; exec sh -s; fi; ` : '';
  const inner = `${ready(m, 'sudo')}; exec sh -s`;
  const s = checkSudoCommand(sudo);
  const quiet = '</dev/null >/dev/null 2>&1';
  const restricted = `if ! ${s} -n -l sh -c "${inner}" ${quiet}; then ${ready(m, 'none')}; exec sh -s; fi`;
  // authProbe (privilege 'sudo'): one `sudo -n -l`; rules it will not list without a password may or may not allow
  // a shell, which only an authentication tells. The password must then go to `sudo -v` on a terminal, whose
  // timestamp every later `sudo -n` of that terminal's session shares (sudoAuthPtyCommand): say so and stop.
  const probe = opts.authProbe
    ? `e=$(LC_ALL=C ${s} -n -l 2>&1 </dev/null); ` +
      `if [ $? = 0 ]; then ${restricted}; else case $e in *"password is required"* | *"authentication is required"*) ` +
      `printf "%s-%s\\n" fe-auth ${m.nonce} >&2; exit 0 ;; esac; fi; `
    : opts.restrictedProbe
      ? `if ${s} -n -l ${quiet}; then ${restricted}; fi; `
      : '';
  return sh(
    `${root}${probe}${s} -S -p "${m.promptToken}:" sh -c "${inner}"; rc=$?; ${exitLine(m, true)}; ` +
      `read go || exit $rc; [ "$go" = y ] || exit $rc; ${ready(m, 'none')}; exec sh -s`,
  );
}

/** The most of the script's stderr kept on the pty path (the target keeps one byte more, so a cut is known). */
export const PTY_STDERR_CAP = 64 * 1024;

/** For a string that goes inside double quotes: the outer shell hands it to the inner one unchanged. */
function dq(s: string): string {
  return s.replace(/[\\"$`]/g, (c) => `\\${c}`);
}

/**
 * The pty feed: the script through `dd` of exactly `scriptBytes` bytes into `sh -s`, on a raw, non-echoing
 * terminal. Its stdout goes to the terminal as it comes; its stderr must not (it would land in the middle of stdout
 * lines on the merged stream), so it is held back: cut to PTY_STDERR_CAP + 1 bytes (the rest read and dropped, so a
 * writer never dies of SIGPIPE), hex-encoded by `od` and kept in memory, then printed after the script as one
 * section (`fe-err-<nonce>-hex` and hex lines). The exit status of `sh -s` is carried past the pipes on its own
 * descriptor (8), as the collector does for commands.
 */
function ptyFeed(m: Markers, level: 'sudo' | 'none', scriptBytes: number): string {
  const script = `dd bs=1 count=${scriptBytes} 2>/dev/null | sh -s 2>&7 >&3 3>&- 7>&- 8>&- 9>&-`;
  const errors = `{ head -c ${PTY_STDERR_CAP + 1}; cat >/dev/null; } 2>/dev/null | od -An -v -tx1 2>/dev/null`;
  const run = `e=$( { { { ${script}; echo $? >&8; } 7>&1 | ${errors} >&9; } 8>&1 | { read -r rc; exit \${rc:-255}; }; } 9>&1 ); rc=$?`;
  const section = `[ -z "$e" ] || printf "\\n%s-%s\\n%s\\n" fe-err-${m.nonce} hex "$e"`;
  return `stty raw -echo 2>/dev/null; ${ready(m, level, false)}; exec 3>&1; ${run}; ${section}; exit $rc`;
}

/**
 * With a pty (sudo requires a tty). On a terminal, stdin never reaches EOF and sh would turn interactive, so the
 * script goes through `dd` (see ptyFeed: no line length limit, no control characters, no CR/LF translation). The
 * script's stderr comes after its stdout as a hex section that splitPtyStderr takes off again.
 */
export function sudoPtyCommand(m: Markers, sudo: string, scriptBytes: number): string {
  if (!Number.isSafeInteger(scriptBytes) || scriptBytes < 0) throw new Error('internal: bad script length');
  return sh(
    `stty -echo 2>/dev/null; ${checkSudoCommand(sudo)} -S -p "${m.promptToken}:" sh -c "${dq(ptyFeed(m, 'sudo', scriptBytes))}"; rc=$?; ${exitLine(m, false)}; ` +
      `read go || exit $rc; [ "$go" = y ] || exit $rc; ${ptyFeed(m, 'none', scriptBytes)}`,
  );
}

/**
 * With a pty, when sudo wants a password before anything (see sudoCommand's authProbe): `sudo -S -v` asks for it
 * once (the nonce prompt), and records a timestamp for this terminal's session. Then, through `sudo -n` only: a
 * shell when the rules allow one (the script as root, as sudoPtyCommand runs it), else the script unprivileged on the
 * same terminal, whose `sudo -n` reads (collector/script-sudo.ts) share that timestamp. Exit lines follow `sudo -v`
 * and the shell; the workstation answers `y` to go on (`n` after the script: exit with its status).
 */
export function sudoAuthPtyCommand(m: Markers, sudo: string, scriptBytes: number): string {
  if (!Number.isSafeInteger(scriptBytes) || scriptBytes < 0) throw new Error('internal: bad script length');
  const s = checkSudoCommand(sudo);
  const quiet = '</dev/null >/dev/null 2>&1';
  const root = dq(ptyFeed(m, 'sudo', scriptBytes));
  const goOn = `${exitLine(m, false)}; read go || exit $rc; [ "$go" = y ] || exit $rc`;
  return sh(
    `stty -echo 2>/dev/null; ${s} -S -p "${m.promptToken}:" -v; rc=$?; ${goOn}; ` +
      `if [ $rc = 0 ] && ${s} -n -l sh -c "${root}" ${quiet}; then ${s} -n sh -c "${root}"; rc=$?; ${goOn}; ` +
      `elif [ $rc = 0 ] && ! ${s} -n -l ${quiet}; then printf "%s-%s\\n" fe-noticket ${m.nonce}; fi; ` +
      ptyFeed(m, 'none', scriptBytes),
  );
}

/** What splitPtyStderr found: stdout without the stderr section, the script's stderr, whether it was cut. */
export interface PtyStreams {
  stdout: Buffer;
  stderr: Buffer;
  stderrTruncated: boolean;
}

/**
 * Takes the stderr section (see ptyFeed) off the end of a pty run's stdout (after the wrapper's exit line was cut
 * off) and decodes it, keeping at most `cap` bytes. Only a well-formed section at the very end counts (the marker
 * on a line of its own, then nothing but hex lines); anything else is left in stdout as it is.
 */
export function splitPtyStderr(stdout: Buffer, m: Markers, cap: number = PTY_STDERR_CAP): PtyStreams {
  const none = { stdout, stderr: Buffer.alloc(0), stderrTruncated: false };
  const marker = Buffer.from(`\nfe-err-${m.nonce}-hex`, 'latin1');
  const at = stdout.lastIndexOf(marker);
  if (at < 0) return none;
  const rest = stdout.toString('latin1', at + marker.length);
  const sec = /^\r?\n([0-9a-f \r\n]*)$/.exec(rest);
  if (!sec) return none;
  const hex = (sec[1] ?? '').replace(/[^0-9a-f]/g, '');
  if (hex.length % 2 !== 0) return none;
  const bytes = Buffer.from(hex, 'hex');
  const keep = Math.min(cap, PTY_STDERR_CAP);
  const body = stdout.subarray(0, at > 0 && stdout[at - 1] === 0x0d ? at - 1 : at);
  return { stdout: body, stderr: bytes.subarray(0, keep), stderrTruncated: bytes.length > keep };
}

/** sudo's way of saying it needs a terminal (sudo 1.8/1.9, sudo-rs). */
export const NEEDS_TTY_RE = /must have a tty|a terminal is required|no tty present/i;
