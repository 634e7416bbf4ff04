/**
 * Helpers for tests that need the test lab: real OpenSSH hosts in network namespaces, made by test/lab/lab.sh.
 * `ensureLab()` starts the lab when it is not up and returns its manifest (/var/lib/foureyes-lab/lab.json);
 * `labAvailable()` tells, without starting anything, whether this machine can run it (for `describe.skipIf`).
 */
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The lab script (bash). */
export const LAB_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'lab.sh');
/** Where lab.sh keeps its state; FOUREYES_LAB_STATE overrides it, as it does for lab.sh. */
export const LAB_STATE_DIR = process.env.FOUREYES_LAB_STATE ?? '/var/lib/foureyes-lab';
export const LAB_MANIFEST = join(LAB_STATE_DIR, 'lab.json');

const HostKeySchema = z.strictObject({
  type: z.string().regex(/^[a-z0-9@.-]+$/),
  fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/),
  publicKey: z.string().min(20),
});

const HostSchema = z.strictObject({
  name: z.string().regex(/^[a-z]+$/),
  address: z.ipv4(),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1),
  /** Private key without passphrase. */
  keyPath: z.string().min(1),
  /** The same key, protected by the passphrase in `passphraseFile`. */
  passphraseKeyPath: z.string().min(1),
  passphraseFile: z.string().min(1),
  /** How the auditor becomes root: sudo without a password, sudo with the password in `sudoPasswordFile`, or
   * restricted: sudo for a list of read-only commands only, no shell; restricted-password: the same list, with the
   * password in `sudoPasswordFile`. */
  sudo: z.enum(['nopasswd', 'password', 'restricted', 'restricted-password']),
  sudoPasswordFile: z.string().min(1).nullable(),
  /** sudo needs a terminal (Defaults requiretty): the privileged step must run with a pty. */
  requiretty: z.boolean(),
  /** root may log in with the lab key. */
  rootLogin: z.boolean(),
  /** Name of the host to jump through (the host is unreachable directly), or null. */
  jumpHost: z.string().nullable(),
  netns: z.string().regex(/^fe-[a-z]+$/),
  /** The host's root file system, as seen from the machine. */
  root: z.string().min(1),
  hostKeys: z.array(HostKeySchema).min(1),
});

const ManifestSchema = z.strictObject({
  version: z.literal(1),
  stateDir: z.string(),
  knownHosts: z.string(),
  keys: z.strictObject({
    private: z.string(),
    public: z.string(),
    passphraseProtected: z.string(),
    passphraseFile: z.string(),
  }),
  network: z.strictObject({ bridge: z.string(), gateway: z.ipv4() }),
  hosts: z.array(HostSchema).min(1),
});

export type LabHost = z.infer<typeof HostSchema>;
export type LabManifest = z.infer<typeof ManifestSchema>;

/** Names of the lab's hosts. */
export type LabHostName = 'bastion' | 'careless' | 'partial' | 'hardened' | 'hostile' | 'restricted' | 'restrictpw' | 'remedy' | 'inner';

function onPath(cmd: string): boolean {
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    try {
      accessSync(join(dir, cmd), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** Why the lab cannot run here, or null when it can (root on Linux with ip, unshare, nsenter, ssh and tar). */
export function labUnavailableReason(): string | null {
  if (process.platform !== 'linux') return `the test lab needs Linux (this is ${process.platform})`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0)
    return 'the test lab needs root (network namespaces, chroot, mounts)';
  for (const tool of ['ip', 'unshare', 'nsenter', 'ssh', 'tar', 'bash'])
    if (!onPath(tool)) return `the test lab needs '${tool}' on PATH`;
  return null;
}

/** True when this machine can run the lab (it is not started by this call). */
export function labAvailable(): boolean {
  return labUnavailableReason() === null;
}

/** Parses and validates a lab manifest file. */
export function readManifest(path: string = LAB_MANIFEST): LabManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read the lab manifest ${path}: ${(e as Error).message}`);
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid lab manifest ${path}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
  }
  return parsed.data;
}

/** The named host of a manifest; throws when the lab has no such host. */
export function labHost(m: LabManifest, name: LabHostName): LabHost {
  const h = m.hosts.find((x) => x.name === name);
  if (!h) throw new Error(`the lab has no host '${name}' (hosts: ${m.hosts.map((x) => x.name).join(', ')})`);
  return h;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runLab(args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [LAB_SCRIPT, ...args],
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const tail = (s: string, lines = 15) => s.trimEnd().split('\n').slice(-lines).join('\n');

/**
 * Makes sure the lab is up (runs `lab.sh up` when `lab.sh status` says it is not; `up` builds and caches the
 * root file system on first use, which takes about a minute and a half) and returns its manifest.
 * Throws an Error saying why when the machine cannot run the lab or `up` fails.
 */
export async function ensureLab(opts: { timeoutMs?: number } = {}): Promise<LabManifest> {
  const why = labUnavailableReason();
  if (why) throw new Error(`test lab unavailable: ${why}`);
  const status = await runLab(['status'], 60_000);
  if (status.code === 0 && existsSync(LAB_MANIFEST)) return readManifest();
  const up = await runLab(['up'], opts.timeoutMs ?? 15 * 60_000);
  if (up.code !== 0)
    throw new Error(
      `test lab: 'lab.sh up' failed (exit ${String(up.code)}):\n${tail(up.stderr || up.stdout)}`,
    );
  return readManifest();
}

/** Output of a command run as root inside a running lab host (`lab.sh exec`), as raw bytes. */
export interface LabExecResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs argv as root inside the host (its namespaces and root file system); never through SSH. */
export function labExec(host: LabHostName, argv: string[], timeoutMs = 30_000): Promise<LabExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [LAB_SCRIPT, 'exec', host, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: err });
    });
  });
}
