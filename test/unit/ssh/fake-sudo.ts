/**
 * Stand-ins for sudo, as real sh scripts, for the privilege paths this machine's sudo cannot show (we are root here,
 * and its policy is not ours to change): a password prompt, wrong passwords, requiretty, refusal, sudo-rs's prompt
 * style, a lecture and stray output before the command starts, a prompt that ignores -p. Each writes what it saw
 * (its arguments, every password line it read) to a log file the tests read back.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FakeSudoSpec {
  /** Ask for this password (else run without one, like NOPASSWD). */
  password?: string;
  requiretty?: boolean;
  /** Refuse after authentication, like a user without a sudoers rule. */
  deny?: boolean;
  /** Print a lecture on stderr and junk on stdout before running the command. */
  noisy?: boolean;
  /** Prompt as sudo-rs does: `[sudo: <prompt>] Password: `. */
  rsPrompt?: boolean;
  /** Ignore -p and prompt "Password: " (a password must then never be written). */
  ownPrompt?: boolean;
  /** After the checks, hand over to this machine's real sudo (with our -S -p), instead of running the command. */
  realSudo?: boolean;
  /**
   * Restricted rules: only commands whose first word is listed may run (without a password). `-l` then answers as
   * sudo does: the listing, or for a command line exit 0 when allowed and 1 when not. Others are refused.
   */
  allow?: string[];
  /** With a password: `-l` answers without one (as sudo does when some rule is NOPASSWD, listpw=any). */
  listable?: boolean;
}

export interface FakeSudo {
  path: string;
  log(): string[];
  attempts(): string[];
}

export function makeFakeSudo(dir: string, name: string, spec: FakeSudoSpec): FakeSudo {
  const path = join(dir, `sudo-${name}`);
  const logFile = join(dir, `sudo-${name}.log`);
  const pwFile = join(dir, `sudo-${name}.pw`);
  // Like sudo's tty tickets: an authentication on a terminal lets later `-n` calls on that terminal through.
  const ticket = join(dir, `sudo-${name}.ticket`);
  const prompt = spec.ownPrompt ? "'Password: '" : spec.rsPrompt ? '"[sudo: $prompt] Password: "' : '"$prompt"';
  const lines = [
    '#!/bin/sh',
    `LOG='${logFile}'`,
    'echo "argv: $*" >>"$LOG"',
    'prompt=',
    'list= nonint= validate=',
    'while [ $# -gt 0 ]; do case "$1" in -S) shift ;; -p) prompt=$2; shift 2 ;; -l) list=1; shift ;; -n) nonint=1; shift ;; -v) validate=1; shift ;; --) shift; break ;; -*) shift ;; *) break ;; esac; done',
    spec.requiretty ? '[ -t 0 ] || { echo "sudo: sorry, you must have a tty to run sudo" >&2; exit 1; }' : '',
    'ctty=$(ps -o tty= -p $$ 2>/dev/null | tr -d " ")',
    `ticket=; [ -n "$ctty" ] && [ "$ctty" != "?" ] && [ "$(cat '${ticket}' 2>/dev/null)" = "$ctty" ] && ticket=1`,
    spec.password !== undefined && !spec.allow
      ? `[ -z "$nonint" ] || [ -n "$ticket" ] || { [ -n "$list" ] && [ -n "${spec.listable ? 1 : ''}" ]; } || { echo "sudo: a password is required" >&2; exit 1; }`
      : '',
  ];
  if (spec.allow) {
    const words = spec.allow.join(' ');
    lines.push(
      'ok=',
      `for w in ${words}; do [ "$1" = "$w" ] && ok=1; done`,
      `if [ -n "$list" ]; then`,
      `  if [ $# -eq 0 ]; then echo "User root may run the following commands on testhost:"; echo "    (root) NOPASSWD: ${spec.allow.join(', ')}"; exit 0; fi`,
      '  [ -n "$ok" ] && { echo "$*"; exit 0; }',
      '  exit 1',
      'fi',
      `[ -n "$ok" ] || { echo "Sorry, user root is not allowed to execute '$*' as root on testhost." >&2; exit 1; }`,
    );
  } else {
    lines.push(
      spec.deny
        ? 'if [ -n "$list" ]; then echo "Sorry, user root may not run sudo on testhost." >&2; exit 1; fi'
        : 'if [ -n "$list" ]; then [ $# -eq 0 ] && echo "    (ALL : ALL) ALL"; [ $# -gt 0 ] && echo "$*"; exit 0; fi',
    );
  }
  lines.push(
    spec.noisy ? 'echo "We trust you have received the usual lecture from the local System Administrator." >&2; echo "stray stdout from sudo"' : '',
  );
  if (spec.password !== undefined) {
    writeFileSync(pwFile, spec.password);
    lines.push(
      'tries=0',
      'while [ -z "$ticket" ]; do',
      `  printf '%s' ${prompt} >&2`,
      '  if [ -t 0 ]; then stty -echo; fi',
      '  IFS= read -r pw; rc=$?',
      '  if [ -t 0 ]; then stty echo; fi',
      '  [ $rc -eq 0 ] || { echo "sudo: no password was provided" >&2; exit 1; }',
      '  echo "attempt: $pw" >>"$LOG"',
      `  [ "$pw" = "$(cat '${pwFile}')" ] && { [ "$ctty" = "?" ] || printf '%s' "$ctty" >'${ticket}'; break; }`,
      '  tries=$((tries + 1))',
      '  echo "Sorry, try again." >&2',
      '  [ $tries -ge 3 ] && { echo "sudo: 3 incorrect password attempts" >&2; exit 1; }',
      'done',
    );
  }
  lines.push(
    spec.deny
      ? '[ -z "$validate" ] || { echo "Sorry, user root may not run sudo on testhost." >&2; exit 1; }'
      : '[ -z "$validate" ] || { echo "validated" >>"$LOG"; exit 0; }',
  );
  if (spec.deny) lines.push(`echo "Sorry, user root is not allowed to execute '$*' as root on testhost." >&2`, 'exit 1');
  lines.push('echo "exec" >>"$LOG"', spec.realSudo ? 'exec sudo -S -p "$prompt" "$@"' : 'exec "$@"');
  writeFileSync(path, lines.filter((l) => l !== '').join('\n') + '\n');
  chmodSync(path, 0o755);
  const log = (): string[] => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter((l) => l) : []);
  return { path, log, attempts: () => log().filter((l) => l.startsWith('attempt: ')).map((l) => l.slice(9)) };
}
