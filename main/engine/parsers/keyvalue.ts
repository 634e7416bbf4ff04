/**
 * Key/value configuration files. `space` style: `KEY value` (login.defs). `equals` style: `key = value`, with
 * optional `[section]` headers (pwquality.conf, faillock.conf, useradd, auditd.conf, systemd ini files).
 */
import { splitLines, unquote } from './text.js';

export interface KvEntry {
  key: string;
  value: string;
  /** Lower-case section name for ini files; '' before any header. */
  section: string;
  line: number;
  text: string;
}

export function parseKeyValue(content: string, style: 'space' | 'equals'): KvEntry[] {
  const out: KvEntry[] = [];
  let section = '';
  for (const { n, text } of splitLines(content)) {
    const t = text.trim();
    if (t === '' || t.startsWith('#') || (style === 'equals' && t.startsWith(';'))) continue;
    if (style === 'equals') {
      const sec = /^\[([^\]]{1,200})\]$/.exec(t);
      if (sec) {
        section = (sec[1] as string).trim().toLowerCase();
        continue;
      }
      const eq = t.indexOf('=');
      if (eq <= 0) continue;
      const key = t.slice(0, eq).trim();
      if (!/^[A-Za-z0-9_.-]+$/.test(key)) continue;
      out.push({ key, value: unquote(stripComment(t.slice(eq + 1)).trim()), section, line: n, text });
    } else {
      const m = /^([A-Za-z0-9_.-]+)(?:\s+(.*))?$/.exec(t);
      if (!m) continue;
      out.push({
        key: m[1] as string,
        value: unquote(stripComment(m[2] ?? '').trim()),
        section,
        line: n,
        text,
      });
    }
  }
  return out;
}

// A `#` after blanks starts a comment in the files we read (values never contain ` #`).
function stripComment(v: string): string {
  const i = v.search(/\s#/);
  return i === -1 ? v : v.slice(0, i);
}
