/** /proc/self/mounts (and fstab-like) lines: device, mount point, type, options. */
import { splitLines } from './text.js';

export interface MountEntry {
  device: string;
  mountPoint: string;
  fstype: string;
  options: string[];
  line: number;
  text: string;
}

/** Decodes the kernel's octal escapes (`\040` = space). */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function parseMounts(content: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const { n, text } of splitLines(content)) {
    const t = text.trim();
    if (t === '' || t.startsWith('#')) continue;
    const f = t.split(/\s+/);
    if (f.length < 4) continue;
    out.push({
      device: unescapeMount(f[0] as string),
      mountPoint: unescapeMount(f[1] as string),
      fstype: f[2] as string,
      options: (f[3] as string)
        .split(',')
        .filter((o) => o !== '')
        .slice(0, 256),
      line: n,
      text,
    });
  }
  return out;
}

/** The mount currently visible at `point` (the last one mounted there), if any. */
export function mountAt(mounts: readonly MountEntry[], point: string): MountEntry | undefined {
  const norm = point.length > 1 ? point.replace(/\/+$/, '') : point;
  for (let i = mounts.length - 1; i >= 0; i--) if (mounts[i]?.mountPoint === norm) return mounts[i];
  return undefined;
}
