import { createHash } from 'node:crypto';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { runWithPrivilege, type Launcher } from '../../../main/ssh/sudo.js';
import { SshTransport } from '../../../main/transport/ssh.js';
import type { SshTarget } from '../../../shared/model/target.js';
import { missingTool } from '../collector/helpers.js';
import { makeFakeSudo, type FakeSudoSpec } from './fake-sudo.js';
import { RecordingSecrets, pinned, targetFor } from './helpers.js';
import { makeClientKeys, startSshd, tempDir, type ClientKeys, type SshdFixture } from './sshd-fixture.js';

let keys: ClientKeys;
let sshd: SshdFixture;
let dir: string;
const PASSWORD = 'pa ss\'"$word';
/** Why the tests of this machine's real sudo cannot run here (undefined when sudo is installed). */
const NO_SUDO = missingTool('sudo');
const skippedBecause = (why: string | undefined): string => (why ? ` (skipped: ${why})` : '');

beforeAll(async () => {
  keys = makeClientKeys();
  sshd = await startSshd({ authorizedKeys: [keys.plain] });
  dir = tempDir('sudo');
});
afterAll(async () => {
  await sshd?.stop();
  rmSync(keys.dir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

/** A script whose exact output we know: stdout, stderr, exit status 5. */
const SCRIPT = 'echo "uid=$(id -u)"; echo "to stderr" >&2; printf "two\\nlines\\n"; exit 5\n';
const SCRIPT_OUT = 'uid=0\ntwo\nlines\n';

function target(privilege: SshTarget['privilege']): SshTarget {
  return targetFor(sshd, { type: 'key', keyPath: keys.plain }, pinned(sshd), { privilege });
}

let n = 0;
async function runWith(spec: FakeSudoSpec | string, privilege: SshTarget['privilege'], secrets: RecordingSecrets, script = SCRIPT, deadlineMs = 15_000) {
  const fake = typeof spec === 'string' ? undefined : makeFakeSudo(dir, `f${n++}`, spec);
  const t = new SshTransport(target(privilege), secrets, { sudoCommand: fake?.path ?? (spec as string), rootCheck: false });
  try {
    const run = await t.runScript(script, { deadlineMs, maxBytes: 8 * 1024 * 1024 });
    return { run, fake, stats: t.stats() };
  } finally {
    await t.close();
  }
}

describe('privilege none and root', () => {
  it("privilege 'none': one channel, plain sh -s; a root login reports root", async () => {
    const t = new SshTransport(target('none'), new RecordingSecrets());
    const run = await t.runScript(SCRIPT, { deadlineMs: 10_000, maxBytes: 1024 });
    await t.close();
    expect(run).toMatchObject({ privilege: 'root', exitCode: 5, stdoutTruncated: false, stderrTruncated: false });
    expect(run.stdout.toString()).toBe(SCRIPT_OUT);
    expect(run.stderr.toString()).toBe('to stderr\n');
    expect(run.privilegeNote).toBeUndefined();
    expect(t.stats()).toEqual({ connections: 1, execChannels: 1 });
  });

  it("privilege 'auto' with a root login runs sh -s directly (sudo never started)", async () => {
    const fake = makeFakeSudo(dir, 'never', {});
    const t = new SshTransport(target('auto'), new RecordingSecrets(), { sudoCommand: fake.path });
    const run = await t.runScript(SCRIPT, { deadlineMs: 10_000, maxBytes: 1024 });
    await t.close();
    expect(run.privilege).toBe('root');
    expect(run.stdout.toString()).toBe(SCRIPT_OUT);
    expect(fake.log()).toEqual([]);
    expect(t.stats().execChannels).toBe(1);
  });
});

describe('sudo without a tty', () => {
  it.skipIf(NO_SUDO !== undefined)('real sudo (root needs no password here, so it is the NOPASSWD path): one channel, clean streams' + skippedBecause(NO_SUDO), async () => {
    const secrets = new RecordingSecrets({ sudo: 'unused' });
    const { run, stats } = await runWith('sudo', 'sudo', secrets);
    expect(run).toMatchObject({ privilege: 'sudo', exitCode: 5 });
    expect(run.stdout.toString()).toBe(SCRIPT_OUT);
    expect(run.stderr.toString()).toBe('to stderr\n');
    expect(stats.execChannels).toBe(1);
    expect(secrets.asked).toEqual([]);
  });

  it("NOPASSWD with a lecture and stray stdout before the shell starts: sudo's output is not script output", async () => {
    const { run, fake, stats } = await runWith({ noisy: true }, 'auto', new RecordingSecrets());
    expect(run.privilege).toBe('sudo');
    expect(run.stdout.toString()).toBe(SCRIPT_OUT);
    expect(run.stderr.toString()).toBe('to stderr\n');
    // privilege 'auto' first asks sudo, without a prompt, whether the rules allow this shell (they do here).
    expect(fake?.log()).toEqual([
      'argv: -n -l',
      expect.stringMatching(/^argv: -n -l sh -c echo fe-ready-/),
      expect.stringMatching(/^argv: -S -p fe-pw-[0-9a-f]{32}: sh -c /),
      'exec',
    ]);
    expect(stats.execChannels).toBe(1);
  });

  it('restricted sudo (rules that list some commands, not sh): one channel, unprivileged, sudo never prompts', async () => {
    const secrets = new RecordingSecrets({ sudo: PASSWORD });
    const { run, fake, stats } = await runWith({ password: PASSWORD, allow: ['cat', 'nft'] }, 'auto', secrets);
    expect(run).toMatchObject({ privilege: 'none', exitCode: 5 });
    expect(run.stdout.toString()).toBe('uid=0\ntwo\nlines\n');
    expect(run.stderr.toString()).toBe('to stderr\n');
    expect(fake?.log()).toEqual(['argv: -n -l', expect.stringMatching(/^argv: -n -l sh -c echo fe-ready-/)]);
    expect(secrets.asked).toEqual([]);
    expect(stats.execChannels).toBe(1);
  });

  it("privilege 'sudo', rules listed without a password (some NOPASSWD): the password goes to sudo -S sh after the prompt; one channel", async () => {
    const secrets = new RecordingSecrets({ sudo: PASSWORD });
    const { run, fake, stats } = await runWith({ password: PASSWORD, listable: true }, 'sudo', secrets);
    expect(run.privilege).toBe('sudo');
    expect(fake?.log().filter((l) => l.startsWith('argv: -S'))[0]).toMatch(/^argv: -S -p fe-pw-/);
    expect(fake?.attempts()).toEqual([PASSWORD]);
    expect(stats.execChannels).toBe(1);
  });

  it("privilege 'sudo', rules not listed without a password: nothing typed in the first channel; on a pty sudo -v gets it once, then sudo -n runs the shell", async () => {
    const secrets = new RecordingSecrets({ sudo: PASSWORD });
    const { run, fake, stats } = await runWith({ password: PASSWORD }, 'sudo', secrets);
    expect(run).toMatchObject({ privilege: 'sudo', exitCode: 5 });
    expect(run.stdout.toString()).toBe(SCRIPT_OUT);
    expect(run.stderr.toString()).toBe('to stderr\n');
    expect(fake?.attempts()).toEqual([PASSWORD]);
    const argv = fake?.log().filter((l) => l.startsWith('argv:')) ?? [];
    expect(argv[0]).toBe('argv: -n -l');
    expect(argv[1]).toMatch(/^argv: -S -p fe-pw-[0-9a-f]+: -v$/);
    expect(argv.slice(2).every((l) => l.startsWith('argv: -n '))).toBe(true);
    expect(secrets.asked).toEqual([{ purpose: 'sudo', host: 'lo' }]);
    expect(stats.execChannels).toBe(2);
  });

  it('password after the nonce prompt, written once, never on a command line', async () => {
    const secrets = new RecordingSecrets({ sudo: PASSWORD });
    const { run, fake, stats } = await runWith({ password: PASSWORD, noisy: true, listable: true }, 'sudo', secrets);
    expect(run).toMatchObject({ privilege: 'sudo', exitCode: 5 });
    expect(run.stdout.toString()).toBe(SCRIPT_OUT);
    expect(run.stderr.toString()).toBe('to stderr\n');
    expect(fake?.attempts()).toEqual([PASSWORD]);
    expect(fake?.log().filter((l) => l.startsWith('argv:')).join('\n')).not.toContain('$word');
    expect(secrets.asked).toEqual([{ purpose: 'sudo', host: 'lo' }]);
    expect(stats.execChannels).toBe(1);
    expect(sshd.log()).not.toContain('$word');
  });

  it('sudo-rs style prompt ("[sudo: <prompt>] Password:") is recognised', async () => {
    const { run, fake } = await runWith({ password: PASSWORD, rsPrompt: true, listable: true }, 'sudo', new RecordingSecrets({ sudo: PASSWORD }));
    expect(run.privilege).toBe('sudo');
    expect(run.stdout.toString()).toBe(SCRIPT_OUT);
    expect(fake?.attempts()).toEqual([PASSWORD]);
  });

  it('a wrong password is tried once only, then the script runs unprivileged in a second channel', async () => {
    const { run, fake, stats } = await runWith({ password: PASSWORD }, 'sudo', new RecordingSecrets({ sudo: 'wrong' }));
    expect(fake?.attempts()).toEqual(['wrong']);
    expect(run).toMatchObject({ privilege: 'none', exitCode: 5 });
    expect(run.stdout.toString()).toBe(SCRIPT_OUT);
    expect(run.privilegeNote).toMatch(/^sudo did not accept the password/);
    expect(run.privilegeNote).not.toContain('wrong');
    expect(stats.execChannels).toBe(2);
  });

  it('no password available: nothing is written to sudo, unprivileged in a second channel', async () => {
    const secrets = new RecordingSecrets();
    const { run, fake, stats } = await runWith({ password: PASSWORD, listable: true }, 'sudo', secrets);
    expect(fake?.attempts()).toEqual([]);
    expect(secrets.asked).toEqual([{ purpose: 'sudo', host: 'lo' }]);
    expect(run.privilege).toBe('none');
    expect(run.privilegeNote).toMatch(/none is available.*no password was provided/);
    expect(run.stdout.toString()).toBe(SCRIPT_OUT);
    expect(stats.execChannels).toBe(2);
  });

  it('no password available and sudo wants one before listing the rules: sudo -v is never started (no failed authentication)', async () => {
    const secrets = new RecordingSecrets();
    const { run, fake, stats } = await runWith({ password: PASSWORD }, 'sudo', secrets);
    expect(fake?.attempts()).toEqual([]);
    expect(fake?.log().filter((l) => l.startsWith('argv:'))).toEqual(['argv: -n -l']);
    expect(run.privilege).toBe('none');
    expect(run.privilegeNote).toBe('sudo asks for a password and none is available');
    expect(run.stdout.toString()).toBe(SCRIPT_OUT);
    expect(stats.execChannels).toBe(2);
  });

  it('a password with a line break is never written (the rest would reach the shell as commands)', async () => {
    for (const listable of [true, false]) {
      const { run, fake } = await runWith({ password: 'abc', listable }, 'sudo', new RecordingSecrets({ sudo: 'abc\necho INJECTED' }));
      expect(fake?.attempts()).toEqual([]);
      expect(run.privilege).toBe('none');
      expect(run.privilegeNote).toMatch(/line break/);
      expect(run.stdout.toString()).toBe(SCRIPT_OUT);
      // When sudo wants the password before anything, one that cannot be typed starts no sudo -v either.
      if (!listable) expect(fake?.log().filter((l) => l.startsWith('argv:'))).toEqual(['argv: -n -l']);
    }
  });

  it("privilege 'auto' never asks for a sudo password", async () => {
    const secrets = new RecordingSecrets({ sudo: PASSWORD });
    const { run, fake, stats } = await runWith({ password: PASSWORD }, 'auto', secrets);
    expect(secrets.asked).toEqual([]);
    expect(fake?.attempts()).toEqual([]);
    expect(run.privilege).toBe('none');
    expect(run.privilegeNote).toMatch(/privilege 'auto'/);
    expect(stats.execChannels).toBe(2);
  });

  it('sudo not installed: falls back inside the same channel', async () => {
    const { run, stats } = await runWith(`${dir}/no-such-sudo`, 'auto', new RecordingSecrets());
    expect(run).toMatchObject({ privilege: 'none', exitCode: 5 });
    expect(run.stdout.toString()).toBe(SCRIPT_OUT);
    expect(run.stderr.toString()).toBe('to stderr\n');
    expect(run.privilegeNote).toMatch(/sudo did not start the shell \(exit 127\).*not found/);
    expect(stats.execChannels).toBe(1);
  });

  it('sudo refuses (no sudoers rule): falls back inside the same channel with sudo\'s words', async () => {
    const { run, fake, stats } = await runWith({ password: PASSWORD, deny: true }, 'sudo', new RecordingSecrets({ sudo: PASSWORD }));
    expect(fake?.attempts()).toEqual([PASSWORD]);
    expect(run.privilege).toBe('none');
    expect(run.privilegeNote).toMatch(/sudo -v ended with exit 1: Sorry, user root may not run sudo/);
    expect(run.stdout.toString()).toBe(SCRIPT_OUT);
    // The first channel only asked sudo -n -l; sudo -v and the fallback share the pty channel.
    expect(stats.execChannels).toBe(2);
  });

  it('a prompt without our nonce gets no password (and the script is not sent): the run times out', async () => {
    const secrets = new RecordingSecrets({ sudo: PASSWORD });
    const fake = makeFakeSudo(dir, 'own', { password: PASSWORD, ownPrompt: true, listable: true });
    const t = new SshTransport(target('sudo'), secrets, { sudoCommand: fake.path, rootCheck: false });
    await expect(t.runScript(SCRIPT, { deadlineMs: 1500, maxBytes: 1024 })).rejects.toMatchObject({ code: 'timeout' });
    await t.close();
    expect(secrets.asked).toEqual([]);
    expect(fake.attempts()).toEqual([]);
  });

  it('on the pty too: a prompt without our nonce after the first channel said a password is needed gets nothing', async () => {
    const secrets = new RecordingSecrets({ sudo: PASSWORD });
    const fake = makeFakeSudo(dir, 'ownpty', { password: PASSWORD, ownPrompt: true });
    const t = new SshTransport(target('sudo'), secrets, { sudoCommand: fake.path, rootCheck: false });
    await expect(t.runScript(SCRIPT, { deadlineMs: 2000, maxBytes: 1024 })).rejects.toMatchObject({ code: 'timeout' });
    await t.close();
    // Asked once (sudo -n -l said a password is required), then held back: sudo -v's prompt is not ours.
    expect(secrets.asked).toEqual([{ purpose: 'sudo', host: 'lo' }]);
    expect(fake.log().some((l) => /^argv: -S -p fe-pw-[0-9a-f]+: -v$/.test(l))).toBe(true);
    expect(fake.attempts()).toEqual([]);
    expect(fake.log()).not.toContain('validated');
    expect(fake.log()).not.toContain('exec');
  });
});

describe('sudo that requires a tty', () => {
  /** Long lines, control characters (^C ^D ^Z ^\ ESC), CR, bytes that a cooked terminal would mangle. */
  const RAW_LINE = Array.from({ length: 3000 }, (_, i) => `x${i}\x03\x04\x1a\x1c\x1b\r`).join('');
  const RAW_SCRIPT = `cat <<'EOF'\n${RAW_LINE}\nEOF\necho "uid=$(id -u)"; echo lost >&2; exit 3\n`;
  const RAW_OUT = `${RAW_LINE}\nuid=0\n`;

  it('NOPASSWD: retried on a pty in a second channel; the script and its output pass the terminal unchanged', async () => {
    const { run, fake, stats } = await runWith({ requiretty: true, noisy: true }, 'auto', new RecordingSecrets(), RAW_SCRIPT);
    expect(stats.execChannels).toBe(2);
    expect(run.privilege).toBe('sudo');
    expect(run.exitCode).toBe(3);
    expect(createHash('sha256').update(run.stdout).digest('hex')).toBe(createHash('sha256').update(RAW_OUT).digest('hex'));
    expect(run.stdout.toString()).toBe(RAW_OUT);
    // Held back on the target and handed over after stdout: not mixed into it, not lost.
    expect(run.stderr.toString()).toBe('lost\n');
    expect(run.stderrTruncated).toBe(false);
    expect(fake?.log().filter((l) => l === 'exec')).toHaveLength(1);
  });

  it.skipIf(NO_SUDO !== undefined)("this machine's real sudo (Defaults use_pty) behind a requiretty check: the same, through sudo's own pty" + skippedBecause(NO_SUDO), async () => {
    const { run, stats } = await runWith({ requiretty: true, realSudo: true }, 'auto', new RecordingSecrets(), RAW_SCRIPT);
    expect(stats.execChannels).toBe(2);
    expect(run).toMatchObject({ privilege: 'sudo', exitCode: 3 });
    expect(run.stdout.toString()).toBe(RAW_OUT);
    expect(run.stderr.toString()).toBe('lost\n');
  });

  it('with a password: written once after the prompt on the terminal', async () => {
    const secrets = new RecordingSecrets({ sudo: PASSWORD });
    const { run, fake, stats } = await runWith({ requiretty: true, password: PASSWORD }, 'sudo', secrets, RAW_SCRIPT);
    expect(fake?.attempts()).toEqual([PASSWORD]);
    expect(secrets.asked).toHaveLength(1);
    expect(run.privilege).toBe('sudo');
    expect(run.stdout.toString()).toBe(RAW_OUT);
    expect(run.stdout.toString()).not.toContain('$word');
    expect(stats.execChannels).toBe(2);
  });

  it('wrong password on the terminal: one attempt, then unprivileged inside the pty channel (two channels in all)', async () => {
    const { run, fake, stats } = await runWith({ requiretty: true, password: PASSWORD }, 'sudo', new RecordingSecrets({ sudo: 'wrong' }), RAW_SCRIPT);
    expect(fake?.attempts()).toEqual(['wrong']);
    expect(run.privilege).toBe('none');
    expect(run.privilegeNote).toMatch(/^sudo needed a terminal; sudo did not accept the password/);
    expect(run.stdout.toString()).toBe(RAW_OUT);
    expect(run.stderr.toString()).toBe('lost\n');
    expect(run.exitCode).toBe(3);
    expect(stats.execChannels).toBe(2);
  });

  it('stderr interleaved with stdout and past the 64 KiB cap: stdout intact, stderr whole up to the cap', async () => {
    // 300 alternating writes to each stream; the stderr lines (255 bytes each) come to about 75 KiB.
    const script = 'i=0; while [ $i -lt 300 ]; do echo "out-$i"; printf "err-%03d-%0250d\\n" $i 0 >&2; i=$((i + 1)); done; exit 9\n';
    const { run, stats } = await runWith({ requiretty: true }, 'auto', new RecordingSecrets(), script);
    expect(stats.execChannels).toBe(2);
    expect(run).toMatchObject({ privilege: 'sudo', exitCode: 9, stdoutTruncated: false, stderrTruncated: true });
    expect(run.stdout.toString()).toBe(Array.from({ length: 300 }, (_, i) => `out-${i}\n`).join(''));
    const want = Array.from({ length: 300 }, (_, i) => `err-${String(i).padStart(3, '0')}-${'0'.repeat(250)}\n`).join('');
    expect(run.stderr.length).toBe(64 * 1024);
    expect(run.stderr.toString('latin1')).toBe(want.slice(0, 64 * 1024));
  });

  it('binary stderr (every byte value, NUL included) arrives unchanged; stdout stays empty', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const octal = [...bytes].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
    const { run } = await runWith({ requiretty: true }, 'auto', new RecordingSecrets(), `printf '${octal}' >&2\n`);
    expect(run).toMatchObject({ privilege: 'sudo', exitCode: 0, stderrTruncated: false });
    expect(run.stdout.length).toBe(0);
    expect(run.stderr.equals(bytes)).toBe(true);
  });

  it('no password available on the terminal: ^D ends the prompt, unprivileged in the same channel', async () => {
    const { run, fake, stats } = await runWith({ requiretty: true, password: PASSWORD }, 'sudo', new RecordingSecrets(), RAW_SCRIPT);
    expect(fake?.attempts()).toEqual([]);
    expect(run.privilege).toBe('none');
    expect(run.privilegeNote).toMatch(/none is available/);
    expect(run.stdout.toString()).toBe(RAW_OUT);
    expect(stats.execChannels).toBe(2);
  });
});

describe('the same state machine over local processes (no SSH)', () => {
  /** Runs the wrapper with the local sh, as an exec channel would on the target. */
  const local: Launcher = async (command, { pty }) => {
    if (pty) throw new Error('no local pty here');
    const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
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

  it('password path and wrong-password fallback', async () => {
    const fake = makeFakeSudo(dir, 'local', { password: PASSWORD, noisy: true, listable: true });
    const base = { privilege: 'sudo' as const, deadlineMs: 10_000, maxStdout: 4096, maxStderr: 4096, label: 'local', sudoCommand: fake.path, rootCheck: false };
    const ok = await runWithPrivilege(local, SCRIPT, { ...base, sudoPassword: async () => PASSWORD });
    expect(ok).toMatchObject({ privilege: 'sudo', exitCode: 5 });
    expect(ok.stdout.toString()).toBe(SCRIPT_OUT);
    expect(ok.stderr.toString()).toBe('to stderr\n');
    const bad = await runWithPrivilege(local, SCRIPT, { ...base, sudoPassword: async () => 'nope' });
    expect(bad.privilege).toBe('none');
    expect(bad.stdout.toString()).toBe(SCRIPT_OUT);
    expect(fake.attempts()).toEqual([PASSWORD, 'nope']);
  });

  // Prompts that lie: the password goes only to a prompt carrying this run's nonce, on sudo's stream, before the
  // script started; anything else gets nothing, and the run says why.
  const NONCE = '0123456789abcdef0123456789abcdef';
  const liar = (name: string, body: string): string => {
    const path = `${dir}/liar-${name}`;
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };
  const opts = (sudoCommand: string, asked: string[]) => ({
    privilege: 'sudo' as const,
    deadlineMs: 1500,
    maxStdout: 4096,
    maxStderr: 4096,
    label: 'local',
    sudoCommand,
    rootCheck: false,
    nonce: NONCE,
    sudoPassword: async () => {
      asked.push('sudo');
      return PASSWORD;
    },
  });

  it('our nonce prompt on stdout (not sudo\'s stream): no password; the run ends at its deadline, saying so', async () => {
    const asked: string[] = [];
    const fake = liar('stdout', `case "$*" in *-n*) exit 0 ;; esac; printf 'fe-pw-${NONCE}:'; read pw; echo "got $pw" >&2`);
    await expect(runWithPrivilege(local, SCRIPT, opts(fake, asked))).rejects.toMatchObject({ code: 'timeout' });
    expect(asked).toEqual([]);
  });

  it('a prompt with our nonce printed by the script once it runs is script output: no password', async () => {
    const asked: string[] = [];
    const fake = liar('late', 'while [ $# -gt 0 ]; do case "$1" in -n|-S|-l) shift ;; -p) shift 2 ;; *) break ;; esac; done; [ $# -eq 0 ] && exit 0; exec "$@"');
    const script = `printf 'fe-pw-${NONCE}:\\n'; printf 'fe-pw-${NONCE}:\\n' >&2; exit 0\n`;
    const r = await runWithPrivilege(local, script, { ...opts(fake, asked), deadlineMs: 10_000 });
    expect(asked).toEqual([]);
    expect(r.privilege).toBe('sudo');
    expect(r.stdout.toString()).toBe(`fe-pw-${NONCE}:\n`);
  });

  it('a prompt with another nonce (a forged or stale one) gets no password', async () => {
    const asked: string[] = [];
    const fake = liar('stale', `case "$*" in *-n*) exit 0 ;; esac; printf 'fe-pw-ffffffffffffffffffffffffffffffff:' >&2; read pw; echo "got $pw" >&2`);
    await expect(runWithPrivilege(local, SCRIPT, opts(fake, asked))).rejects.toMatchObject({ code: 'timeout' });
    expect(asked).toEqual([]);
  });
});

describe('bounds', () => {
  it('caps stdout through sudo and still finishes; the deadline stops a long script', async () => {
    const big = 'head -c 5000000 /dev/zero; echo done >&2\n';
    const t = new SshTransport(target('sudo'), new RecordingSecrets(), { sudoCommand: 'sudo', rootCheck: false });
    const run = await t.runScript(big, { deadlineMs: 20_000, maxBytes: 1024 * 1024 });
    expect(run).toMatchObject({ privilege: 'sudo', stdoutTruncated: true, exitCode: 0 });
    expect(run.stdout.length).toBe(1024 * 1024);
    expect(run.stderr.toString()).toBe('done\n');
    const t0 = Date.now();
    await expect(t.runScript('sleep 4.5\n', { deadlineMs: 1000, maxBytes: 1024 })).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - t0).toBeLessThan(2500);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    await expect(t.runScript('sleep 4.5\n', { deadlineMs: 10_000, maxBytes: 1024, signal: ac.signal })).rejects.toMatchObject({ code: 'cancelled' });
    await t.close();
  });
});
