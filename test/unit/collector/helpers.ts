import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FACTS, type FactDef } from '../../../shared/facts/registry.js';
import type { FactRegistry } from '../../../main/collector/protocol.js';
import { LocalTransport, type LocalTransportOptions } from '../../../main/transport/local.js';

/** A shell the collector must run under. */
export interface ShellVariant {
  name: string;
  opts: LocalTransportOptions;
  /** Why this variant cannot run on this machine (its tests are reported as skipped, with this reason). */
  missing?: string;
}

/** The reason a test needing `cmd` is skipped here, or undefined when `cmd` is on PATH. */
export function missingTool(cmd: string, pkg = cmd): string | undefined {
  return has(cmd) ? undefined : `${cmd} is not installed (apt-get install ${pkg})`;
}

function has(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const HAS_BUSYBOX = has('busybox');
export const HAS_SETPRIV = has('setpriv');
export const IS_ROOT = process.getuid?.() === 0;

function busyboxBin(): string {
  return execFileSync('sh', ['-c', 'command -v busybox']).toString().trim();
}

let appletDir: string | undefined;
/**
 * A PATH directory holding only busybox applets, so that `busybox sh` also uses busybox's stat, head, base64,
 * sha256sum, od and timeout (the collector appends the system directories after the caller's PATH).
 */
function busyboxPath(): string {
  if (!appletDir) {
    appletDir = mkdtempSync(join(tmpdir(), 'fe-busybox-'));
    const bb = busyboxBin();
    for (const applet of execFileSync(bb, ['--list']).toString().split('\n')) {
      if (/^[a-z0-9_.[-]+$/.test(applet)) symlinkSync(bb, join(appletDir, applet));
    }
  }
  return appletDir;
}

export function shellVariants(): ShellVariant[] {
  const v: ShellVariant[] = [
    { name: 'dash', opts: { shell: ['dash'] } },
    { name: 'bash', opts: { shell: ['bash'] } },
  ];
  // Listed even where busybox is missing, so its tests are counted as skipped (with the reason), not dropped.
  if (HAS_BUSYBOX) v.push({ name: 'busybox', opts: { shell: [busyboxBin(), 'sh'], env: { ...process.env, PATH: busyboxPath() } } });
  else v.push({ name: 'busybox', opts: { shell: ['busybox', 'sh'] }, missing: missingTool('busybox') });
  return v;
}

export function cleanupHelpers(): void {
  if (appletDir) rmSync(appletDir, { recursive: true, force: true });
  appletDir = undefined;
}

/** Runs as `nobody` (uid/gid 65534) through setpriv: only works as root. */
export function nobodyTransport(): LocalTransport {
  return new LocalTransport({ shell: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--', 'sh'] });
}

/** The built-in registry plus test facts. */
export function registryWith(extra: Record<string, FactDef>): FactRegistry {
  return { ...FACTS, ...extra };
}

/** A temp dir others can traverse (mkdtemp makes 0700), for runs as nobody. */
export function openTempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(d, 0o755);
  return d;
}

/** Every byte value 0..255 once. */
export const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

/** A sh fragment printing ALL_BYTES (printf octal escapes; POSIX). */
export const PRINT_ALL_BYTES = 'i=0; while [ $i -lt 256 ]; do printf "\\\\$(printf %o $i)"; i=$((i+1)); done';
