/** passwd, group and the reduced shadow lines (`name:class:lastchg:min:max:warn:inactive:expire`). */
import { parseInt10, parseUint, splitLines } from './text.js';

export interface PasswdEntry {
  name: string;
  /** Second field: `x` when the hash is in shadow, `` (empty) means no password at all. */
  password: string;
  uid: number | null;
  gid: number | null;
  gecos: string;
  home: string;
  shell: string;
  line: number;
  text: string;
}

export interface GroupEntry {
  name: string;
  gid: number | null;
  members: string[];
  line: number;
  text: string;
}

export type ShadowClass = 'hash' | 'empty' | 'locked' | 'unknown';

export interface ShadowEntry {
  name: string;
  class: ShadowClass;
  lastchg: number | null;
  min: number | null;
  max: number | null;
  warn: number | null;
  inactive: number | null;
  expire: number | null;
  line: number;
  text: string;
}

export interface Parsed<T> {
  entries: T[];
  /** Lines that are neither blank, comments, NIS compat (`+`/`-`) entries nor well-formed. */
  malformed: { line: number; text: string }[];
}

const isSkippable = (t: string) =>
  t.trim() === '' || t.startsWith('#') || t.startsWith('+') || t.startsWith('-');

export function parsePasswd(content: string): Parsed<PasswdEntry> {
  const out: Parsed<PasswdEntry> = { entries: [], malformed: [] };
  for (const { n, text } of splitLines(content)) {
    if (isSkippable(text)) continue;
    const f = text.split(':');
    if (f.length < 7 || f[0] === '') {
      out.malformed.push({ line: n, text });
      continue;
    }
    out.entries.push({
      name: f[0] as string,
      password: f[1] as string,
      uid: parseUint(f[2]),
      gid: parseUint(f[3]),
      gecos: f[4] as string,
      home: f[5] as string,
      shell: f.slice(6).join(':'),
      line: n,
      text,
    });
  }
  return out;
}

export function parseGroup(content: string): Parsed<GroupEntry> {
  const out: Parsed<GroupEntry> = { entries: [], malformed: [] };
  for (const { n, text } of splitLines(content)) {
    if (isSkippable(text)) continue;
    const f = text.split(':');
    if (f.length < 4 || f[0] === '') {
      out.malformed.push({ line: n, text });
      continue;
    }
    const members = (f[3] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    out.entries.push({
      name: f[0] as string,
      gid: parseUint(f[2]),
      members: members.slice(0, 10_000),
      line: n,
      text,
    });
  }
  return out;
}

export function parseShadowClasses(content: string): Parsed<ShadowEntry> {
  const out: Parsed<ShadowEntry> = { entries: [], malformed: [] };
  for (const { n, text } of splitLines(content)) {
    if (isSkippable(text)) continue;
    const f = text.split(':');
    if (f.length < 8 || f[0] === '') {
      out.malformed.push({ line: n, text });
      continue;
    }
    const cls = f[1];
    out.entries.push({
      name: f[0] as string,
      class: cls === 'hash' || cls === 'empty' || cls === 'locked' ? cls : 'unknown',
      lastchg: parseInt10(f[2]),
      min: parseInt10(f[3]),
      max: parseInt10(f[4]),
      warn: parseInt10(f[5]),
      inactive: parseInt10(f[6]),
      expire: parseInt10(f[7]),
      line: n,
      text,
    });
  }
  return out;
}
