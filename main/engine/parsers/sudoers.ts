/**
 * sudoers: logical lines (backslash continuations joined), comments, `Defaults` entries, aliases, user
 * specifications with their tags, and the include directives (`#include`, `@include`, `#includedir`,
 * `@includedir`) resolved against the files that were collected. Files in an included directory are read in
 * lexical order and skipped, as sudo does, when their name contains `.` or ends with `~`.
 */
import { splitLines } from './text.js';

export interface ConfigFile {
  path: string;
  content: string;
}

export interface SudoersLine {
  path: string;
  /** Line number of the first physical line. */
  line: number;
  /** The logical line (continuations joined, comment removed). */
  text: string;
}

export interface SudoersDefaultSetting {
  name: string;
  negated: boolean;
  value?: string;
}

export interface SudoersDefaults {
  /** `''` for plain Defaults, else the binding (`:user`, `@host`, `>runas`, `!cmnd`). */
  scope: string;
  settings: SudoersDefaultSetting[];
  at: SudoersLine;
}

export interface SudoersCommand {
  command: string;
  runas?: string;
  /** Tags in effect for this command (inherited from earlier commands of the same rule, as sudo does). */
  tags: string[];
}

export interface SudoersSpec {
  users: string;
  hosts: string;
  commands: SudoersCommand[];
  at: SudoersLine;
}

export interface Sudoers {
  found: boolean;
  defaults: SudoersDefaults[];
  specs: SudoersSpec[];
  /** Alias name -> members, per alias type (`Cmnd_Alias`, `User_Alias`, ...). */
  aliases: Map<string, { type: string; members: string[]; at: SudoersLine }>;
  filesRead: string[];
  notes: string[];
}

const TAGS = new Set([
  'NOPASSWD',
  'PASSWD',
  'NOEXEC',
  'EXEC',
  'SETENV',
  'NOSETENV',
  'LOG_INPUT',
  'NOLOG_INPUT',
  'LOG_OUTPUT',
  'NOLOG_OUTPUT',
  'MAIL',
  'NOMAIL',
  'FOLLOW',
  'NOFOLLOW',
  'INTERCEPT',
  'NOINTERCEPT',
]);
const ALIAS_TYPES = new Set(['User_Alias', 'Runas_Alias', 'Host_Alias', 'Cmnd_Alias', 'Cmd_Alias']);
const MAX_DEPTH = 8;
const MAX_READS = 256;

/** Joins continuation lines and strips comments; include directives are returned as-is. */
export function logicalLines(path: string, content: string): SudoersLine[] {
  const out: SudoersLine[] = [];
  let buf = '';
  let start = 0;
  for (const { n, text } of splitLines(content)) {
    if (buf === '') start = n;
    if (text.endsWith('\\') && !text.endsWith('\\\\')) {
      buf += `${text.slice(0, -1)} `;
      if (buf.length > 64 * 1024) buf = buf.slice(0, 64 * 1024);
      continue;
    }
    const joined = (buf + text).trim();
    buf = '';
    const t = isIncludeDirective(joined) ? joined : stripSudoersComment(joined);
    if (t !== '') out.push({ path, line: start, text: t });
  }
  if (buf.trim() !== '') out.push({ path, line: start, text: stripSudoersComment(buf.trim()) });
  return out;
}

function isIncludeDirective(t: string): boolean {
  return /^[#@]include(dir)?\s/.test(t);
}

// `#` starts a comment, except `#<digits>` (a uid/gid) and inside double quotes.
function stripSudoersComment(t: string): string {
  let quoted = false;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (c === '#' && !quoted && !/[0-9]/.test(t[i + 1] ?? '')) return t.slice(0, i).trim();
  }
  return t.trim();
}

/** Splits on a separator outside parentheses and quotes, honouring backslash escapes. */
export function splitTop(s: string, sep: string, max = 4096): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + (s[i + 1] as string);
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth = Math.max(0, depth - 1);
    if (c === sep && depth === 0 && !quoted) {
      out.push(cur);
      if (out.length >= max) return out;
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function parseDefaults(line: SudoersLine): SudoersDefaults | null {
  const m = /^Defaults([:@>!][^\s]*)?\s+(.*)$/.exec(line.text);
  if (!m) return null;
  const settings: SudoersDefaultSetting[] = [];
  for (const part of splitTop(m[2] as string, ',', 256)) {
    const p = part.trim();
    if (p === '') continue;
    const kv = /^(!*)\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:([+-]?=)\s*(.*))?$/.exec(p);
    if (!kv) continue;
    const s: SudoersDefaultSetting = {
      name: (kv[2] as string).toLowerCase(),
      negated: (kv[1] as string).length % 2 === 1,
    };
    if (kv[4] !== undefined) s.value = kv[4].trim().replace(/^"(.*)"$/, '$1');
    settings.push(s);
  }
  return { scope: m[1] ?? '', settings, at: line };
}

function parseSpec(line: SudoersLine): SudoersSpec | null {
  const eq = splitTop(line.text, '=', 2);
  if (eq.length < 2) return null;
  const left = (eq[0] as string).trim();
  const right = line.text.slice((eq[0] as string).length + 1);
  const lm = /^(.+?)\s+(\S+)$/.exec(left);
  if (!lm) return null;
  const commands: SudoersCommand[] = [];
  let tags: string[] = [];
  let runas: string | undefined;
  for (const raw of splitTop(right, ',', 1024)) {
    let rest = raw.trim();
    const r = /^\(([^)]*)\)\s*/.exec(rest);
    if (r) {
      runas = (r[1] as string).trim();
      rest = rest.slice(r[0].length);
    }
    // Options (CWD=..., ROLE=..., TIMEOUT=...) and tags (NOPASSWD:) precede the command.
    for (;;) {
      const opt = /^[A-Z_]+=\S*\s+/.exec(rest);
      if (opt) {
        rest = rest.slice(opt[0].length);
        continue;
      }
      const tag = /^([A-Z_]+):\s*/.exec(rest);
      if (tag && TAGS.has(tag[1] as string)) {
        const t = tag[1] as string;
        const opposite = t.startsWith('NO') ? t.slice(2) : `NO${t}`;
        tags = [...tags.filter((x) => x !== t && x !== opposite), t];
        rest = rest.slice(tag[0].length);
        continue;
      }
      break;
    }
    if (rest === '') continue;
    const cmd: SudoersCommand = { command: rest.trim(), tags };
    if (runas !== undefined) cmd.runas = runas;
    commands.push(cmd);
  }
  return { users: (lm[1] as string).trim(), hosts: (lm[2] as string).trim(), commands, at: line };
}

/** Parses /etc/sudoers and everything it includes. Never throws. */
export function parseSudoers(files: readonly ConfigFile[], mainPath = '/etc/sudoers'): Sudoers {
  const byPath = new Map<string, string>();
  for (const f of files)
    if (typeof f?.path === 'string' && typeof f.content === 'string') byPath.set(f.path, f.content);
  const out: Sudoers = {
    found: byPath.has(mainPath),
    defaults: [],
    specs: [],
    aliases: new Map(),
    filesRead: [],
    notes: [],
  };
  const stack: string[] = [];
  let reads = 0;

  const read = (path: string, depth: number): void => {
    const content = byPath.get(path);
    if (content === undefined) {
      out.notes.push(`included file ${path} not collected`);
      return;
    }
    if (depth > MAX_DEPTH || stack.includes(path) || ++reads > MAX_READS) {
      out.notes.push(`include of ${path} skipped (loop or depth)`);
      return;
    }
    stack.push(path);
    out.filesRead.push(path);
    const dir = path.slice(0, path.lastIndexOf('/')) || '/';
    for (const line of logicalLines(path, content)) {
      const inc = /^[#@](include|includedir)\s+"?([^"]+?)"?\s*$/.exec(line.text);
      if (inc) {
        const target = (inc[2] as string).startsWith('/') ? (inc[2] as string) : `${dir}/${inc[2] as string}`;
        if (inc[1] === 'include') read(target, depth + 1);
        else {
          const prefix = `${target.replace(/\/+$/, '')}/`;
          const inDir = [...byPath.keys()]
            .filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
            .filter((p) => {
              const base = p.slice(prefix.length);
              return base !== '' && !base.includes('.') && !base.endsWith('~');
            })
            .sort();
          for (const p of inDir) read(p, depth + 1);
        }
        continue;
      }
      if (/^Defaults([:@>!\s]|$)/.test(line.text)) {
        const d = parseDefaults(line);
        if (d) out.defaults.push(d);
        continue;
      }
      const alias = /^(\w+)\s+([A-Z][A-Z0-9_]*)\s*=\s*(.*)$/.exec(line.text);
      if (alias && ALIAS_TYPES.has(alias[1] as string)) {
        // Several aliases can share one line, separated by `:`; the first is kept whole, which is enough here.
        const members = splitTop(alias[3] as string, ',', 1024)
          .map((s) => s.trim())
          .filter((s) => s !== '');
        out.aliases.set(alias[2] as string, { type: alias[1] as string, members, at: line });
        continue;
      }
      const spec = parseSpec(line);
      if (spec) out.specs.push(spec);
    }
    stack.pop();
  };

  if (out.found) read(mainPath, 0);
  else out.notes.push(`${mainPath} not collected`);
  return out;
}

/** True when a command entry grants every command: `ALL`, or a Cmnd_Alias whose members include ALL. */
export function grantsAll(sudoers: Sudoers, command: string, depth = 0): boolean {
  const c = command.trim();
  if (c === 'ALL') return true;
  if (depth > 8 || !/^[A-Z][A-Z0-9_]*$/.test(c)) return false;
  const alias = sudoers.aliases.get(c);
  if (!alias || (alias.type !== 'Cmnd_Alias' && alias.type !== 'Cmd_Alias')) return false;
  return alias.members.some((m) => grantsAll(sudoers, m, depth + 1));
}
