/**
 * Runs the OpenSSH client against a lab host with strict host key checking against the lab's known_hosts.
 * For tests that need an independent SSH path (not Foureyes' own transport), e.g. the lab smoke test.
 */
import { spawn } from 'node:child_process';
import type { LabHost, LabManifest } from './lab.js';

export interface SshOptions {
  /** Log in as this user (default: the host's auditor user). */
  user?: string;
  /** Bytes written to the remote command's stdin (stdin is closed afterwards). */
  input?: string | Buffer;
  /** Force a pseudo-terminal (-tt). */
  tty?: boolean;
  /** known_hosts file to check the host key against (default: the lab's). */
  knownHosts?: string;
  /** Private key (default: the lab key without passphrase). */
  identity?: string;
  timeoutMs?: number;
}

export interface SshResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function baseArgs(m: LabManifest, o: SshOptions): string[] {
  return [
    '-F',
    '/dev/null',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${o.knownHosts ?? m.knownHosts}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'ConnectTimeout=5',
    '-o',
    'LogLevel=ERROR',
    '-i',
    o.identity ?? m.keys.private,
  ];
}

/** ssh arguments reaching `host` (through its jump host, if it has one), without the command. */
export function sshArgs(m: LabManifest, host: LabHost, o: SshOptions = {}): string[] {
  const args = baseArgs(m, o);
  if (host.jumpHost) {
    const jump = m.hosts.find((h) => h.name === host.jumpHost);
    if (!jump) throw new Error(`jump host ${host.jumpHost} of ${host.name} is not in the manifest`);
    // ProxyCommand rather than ProxyJump: the jump's ssh gets the same strict options and key.
    const inner = [
      'ssh',
      ...baseArgs(m, { ...o, user: undefined }),
      '-W',
      '%h:%p',
      `${jump.user}@${jump.address}`,
    ];
    args.push('-o', `ProxyCommand=${inner.join(' ')}`);
  }
  if (o.tty) args.push('-tt');
  args.push('-p', String(host.port), `${o.user ?? host.user}@${host.address}`);
  return args;
}

/** Runs `command` on the host through the ssh client. */
export function sshRun(
  m: LabManifest,
  host: LabHost,
  command: string,
  o: SshOptions = {},
): Promise<SshResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', [...sshArgs(m, host, o), command], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 30_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(o.input ?? '');
  });
}
