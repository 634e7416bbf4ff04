/**
 * A real OpenSSH server on 127.0.0.1 for tests: its own host keys, authorized_keys, config and log in a temp
 * directory, `sshd -D -e` (no daemon, log to stderr, captured into a file). Runs as root (this machine), so the
 * login user is root. Also: client keys (plain, passphrase-protected, RSA PEM) and an ssh-agent.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ClientKeys {
  dir: string;
  /** Unencrypted Ed25519 key (OpenSSH format). */
  plain: string;
  /** Ed25519 key encrypted with `passphrase`. */
  encrypted: string;
  passphrase: string;
  /** RSA key in PEM (PKCS#1) format, unencrypted. */
  rsaPem: string;
  /** A key that no server trusts. */
  stranger: string;
}

export interface SshdFixture {
  host: '127.0.0.1';
  port: number;
  dir: string;
  logFile: string;
  /** "keytype base64" of each host key, by type name (ssh-ed25519, ssh-rsa). */
  hostKeys: Record<string, { line: string; fingerprint: string; blob: Buffer }>;
  log(): string;
  stop(): Promise<void>;
}

export interface SshdOptions {
  /** Public key files allowed to log in as root. */
  authorizedKeys: string[];
  /** Host key types to generate; the first is offered first. Default ed25519 and rsa. */
  hostKeyTypes?: ('ed25519' | 'rsa' | 'ecdsa')[];
  extraConfig?: string[];
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `fe-${prefix}-`));
}

function keygen(path: string, type: string, passphrase = '', extra: string[] = []): void {
  execFileSync('ssh-keygen', ['-q', '-t', type, ...extra, '-N', passphrase, '-C', 'foureyes-test', '-f', path], { stdio: 'ignore' });
}

/** Fingerprint as `ssh-keygen -l -E sha256` prints it. */
export function keygenFingerprint(pubFile: string): string {
  const out = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubFile], { encoding: 'utf8' });
  const fp = out.split(' ')[1];
  if (!fp?.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen output: ${out}`);
  return fp;
}

export function makeClientKeys(): ClientKeys {
  const dir = tempDir('keys');
  const keys: ClientKeys = {
    dir,
    plain: join(dir, 'id_plain'),
    encrypted: join(dir, 'id_encrypted'),
    passphrase: 'correct horse battery',
    rsaPem: join(dir, 'id_rsa_pem'),
    stranger: join(dir, 'id_stranger'),
  };
  keygen(keys.plain, 'ed25519');
  keygen(keys.encrypted, 'ed25519', keys.passphrase);
  keygen(keys.rsaPem, 'rsa', '', ['-b', '2048', '-m', 'PEM']);
  keygen(keys.stranger, 'ed25519');
  return keys;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A port on 127.0.0.1 that nothing listens on (bound then released). */
export const closedPort = freePort;

async function waitForPort(port: number, child: ChildProcess, logFile: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${readFileSync(logFile, 'utf8')}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on port ${port}: ${readFileSync(logFile, 'utf8')}`);
}

export async function startSshd(opts: SshdOptions): Promise<SshdFixture> {
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = tempDir('sshd');
  const types = opts.hostKeyTypes ?? ['ed25519', 'rsa'];
  const hostKeys: SshdFixture['hostKeys'] = {};
  const hostKeyLines: string[] = [];
  for (const t of types) {
    const path = join(dir, `ssh_host_${t}_key`);
    keygen(path, t, '', t === 'rsa' ? ['-b', '2048'] : []);
    const [type = '', b64 = ''] = readFileSync(`${path}.pub`, 'utf8').trim().split(' ');
    hostKeys[type] = { line: `${type} ${b64}`, fingerprint: keygenFingerprint(`${path}.pub`), blob: Buffer.from(b64, 'base64') };
    hostKeyLines.push(`HostKey ${path}`);
  }
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, opts.authorizedKeys.map((f) => readFileSync(`${f}.pub`, 'utf8').trim()).join('\n') + '\n', { mode: 0o600 });
  const port = await freePort();
  const config = [
    'ListenAddress 127.0.0.1',
    `Port ${port}`,
    ...hostKeyLines,
    'PidFile none',
    'UsePAM no',
    'StrictModes no',
    `AuthorizedKeysFile ${authorized}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'AllowTcpForwarding yes',
    'AllowAgentForwarding no',
    'X11Forwarding no',
    'PrintMotd no',
    'LogLevel DEBUG1',
    'MaxSessions 20',
    'MaxStartups 50',
    ...(opts.extraConfig ?? []),
  ];
  const configFile = join(dir, 'sshd_config');
  writeFileSync(configFile, config.join('\n') + '\n');
  const logFile = join(dir, 'sshd.log');
  const logFd = openSync(logFile, 'a');
  const child = spawn('/usr/sbin/sshd', ['-D', '-E', logFile, '-f', configFile], { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  await waitForPort(port, child, logFile);
  return {
    host: '127.0.0.1',
    port,
    dir,
    logFile,
    hostKeys,
    log: () => readFileSync(logFile, 'utf8'),
    stop: async () => {
      if (child.exitCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await done;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface AgentFixture {
  socket: string;
  stop(): Promise<void>;
}

/** `ssh-agent -D -a <sock>` holding the given keys (added with ssh-add). */
export async function startAgent(keys: string[]): Promise<AgentFixture> {
  const dir = tempDir('agent');
  const socket = join(dir, 'agent.sock');
  const child = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  const until = Date.now() + 5000;
  for (;;) {
    try {
      execFileSync('ssh-add', ['-l'], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      break;
    } catch (e) {
      // exit 1 = agent up but empty; 2 = cannot connect yet
      if ((e as { status?: number }).status === 1) break;
      if (Date.now() > until) throw new Error('ssh-agent did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  for (const k of keys) execFileSync('ssh-add', [k], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
  return {
    socket,
    stop: async () => {
      if (child.exitCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await done;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
