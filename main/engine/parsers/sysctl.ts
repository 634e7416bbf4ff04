/** `key = value` lines (collector output for sysctl.net / sysctl.kernel, and sysctl.d files). */
import { splitLines } from './text.js';

export interface SysctlEntry {
  key: string;
  value: string;
  line: number;
  text: string;
}

/** Keys normalised to dotted form (`net/ipv4/ip_forward` -> `net.ipv4.ip_forward`); a leading `-` is dropped. */
export function parseSysctl(content: string): Map<string, SysctlEntry> {
  const out = new Map<string, SysctlEntry>();
  for (const { n, text } of splitLines(content)) {
    const t = text.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const eq = t.indexOf('=');
    if (eq <= 0) continue;
    const key = t.slice(0, eq).trim().replace(/^-/, '').replace(/\//g, '.');
    if (!/^[A-Za-z0-9_.*-]+$/.test(key)) continue;
    // Multi-value sysctls print tabs between numbers; normalise blanks.
    out.set(key, {
      key,
      value: t
        .slice(eq + 1)
        .trim()
        .replace(/\s+/g, ' '),
      line: n,
      text,
    });
  }
  return out;
}
