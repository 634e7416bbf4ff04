/** /etc/os-release parsing and platform detection (debian / ubuntu / rhel-family from ID and ID_LIKE). */
import type { Platform } from '../../../shared/checks/schema.js';
import { splitLines } from './text.js';

export function parseOsRelease(content: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const { text } of splitLines(content, 1000)) {
    const m = /^\s*([A-Z][A-Z0-9_]{0,63})=(.*)$/.exec(text);
    if (!m) continue;
    let v = (m[2] as string).trim();
    if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.endsWith(v[0]))
      v = v.slice(1, -1).replace(/\\(["'\\$`])/g, '$1');
    out[m[1] as string] = v.slice(0, 500);
  }
  return out;
}

export interface PlatformInfo {
  platform: Platform | null;
  /** Where the platform was read: /etc/os-release, or the package manager when os-release did not name it. */
  source: 'os-release' | 'package-manager';
  id: string;
  idLike: string[];
  versionId: string;
  prettyName: string;
}

const RHEL_IDS = new Set([
  'rhel',
  'centos',
  'rocky',
  'almalinux',
  'ol',
  'fedora',
  'scientific',
  'eurolinux',
  'cloudlinux',
  'amzn',
  'circle',
  'navy',
]);

export function detectPlatform(content: string): PlatformInfo {
  const f = parseOsRelease(content);
  const id = (f.ID ?? '').toLowerCase();
  const idLike = (f.ID_LIKE ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((s) => s !== '');
  let platform: Platform | null = null;
  if (id === 'ubuntu') platform = 'ubuntu';
  else if (id === 'debian') platform = 'debian';
  else if (RHEL_IDS.has(id)) platform = 'rhel-family';
  else if (idLike.includes('ubuntu')) platform = 'ubuntu';
  else if (idLike.includes('debian')) platform = 'debian';
  else if (idLike.some((l) => l === 'rhel' || l === 'fedora' || l === 'centos')) platform = 'rhel-family';
  return { platform, source: 'os-release', id, idLike, versionId: f.VERSION_ID ?? '', prettyName: f.PRETTY_NAME ?? f.NAME ?? '' };
}

/**
 * The platform family from the package managers present (`host.package_manager`, one name per line), for a host
 * whose os-release is missing or names no known distribution: dpkg means the Debian family (checked as Debian:
 * nothing tells Ubuntu apart without os-release), rpm the RHEL family. Both, or neither: unknown.
 */
export function platformFromPackageManager(output: string): Platform | null {
  const found = new Set(output.split('\n').map((l) => l.trim()));
  const dpkg = found.has('dpkg');
  const rpm = found.has('rpm');
  if (dpkg && !rpm) return 'debian';
  if (rpm && !dpkg) return 'rhel-family';
  return null;
}
