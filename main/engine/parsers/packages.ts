/**
 * Package list lines `name\tversion\tstatus`. dpkg status is the `db:Status-Abbrev` triple: a package counts as
 * installed when its current state (second letter) is `i` (`ii`, and `hi` for held packages); rpm lines always
 * carry `ii`.
 */
import { splitLines } from './text.js';

export interface PackageEntry {
  name: string;
  version: string;
  status: string;
  installed: boolean;
  line: number;
  text: string;
}

/** Name -> entries (several for multi-arch packages). */
export function parsePackages(stdout: string): Map<string, PackageEntry[]> {
  const out = new Map<string, PackageEntry[]>();
  for (const { n, text } of splitLines(stdout)) {
    const f = text.split('\t');
    if (f.length < 3) continue;
    const name = (f[0] as string).trim();
    if (name === '' || name.length > 256) continue;
    const status = (f[2] as string).trim();
    const entry: PackageEntry = {
      name,
      version: (f[1] as string).trim(),
      status,
      installed: /^[a-z]i/.test(status),
      line: n,
      text,
    };
    const list = out.get(name);
    if (list) {
      if (list.length < 16) list.push(entry);
    } else out.set(name, [entry]);
  }
  return out;
}
