/**
 * sshd configuration: the sshd_config files (as sshd reads them) and `sshd -T` output.
 *
 * sshd_config semantics modelled here: keywords are case-insensitive; for each keyword the first value obtained
 * wins; `Include` patterns (relative ones under /etc/ssh) are expanded against the files that were collected, in
 * lexical order, at the place of the Include; `Match` blocks run to the next Match (or `Match all`) or to the end
 * of the file they appear in, and settings inside them do not change the global value (they are reported).
 */
import { FACTS } from '../../../shared/facts/registry.js';
import { globToRegExp } from './glob.js';
import { splitLines, stripTrailingComment, unquote } from './text.js';

export interface ConfigFile {
  path: string;
  content: string;
}

export interface SshdSetting {
  /** Lower-case keyword. */
  keyword: string;
  value: string;
  path: string;
  line: number;
  /** The raw line. */
  text: string;
}

export interface SshdMatchBlock {
  criteria: string;
  path: string;
  line: number;
  settings: SshdSetting[];
}

export interface SshdConfig {
  /** Whether the main file was among the collected files. */
  found: boolean;
  /** Effective global value per keyword (first occurrence outside Match blocks). */
  global: Map<string, SshdSetting>;
  /** Every global occurrence per keyword, in reading order (later ones are ignored by sshd). */
  occurrences: Map<string, SshdSetting[]>;
  matchBlocks: SshdMatchBlock[];
  /** Problems met while reading (missing include targets are normal and not noted). */
  notes: string[];
  /** Files read, in order. */
  filesRead: string[];
  /**
   * Include patterns outside the collected set (`collected` of parseSshdConfig: by default the patterns of the
   * sshd.config fact) that matched no collected file:
   * their files, if any, were not read, so an option they may set is unknown (RHEL's crypto-policy include).
   */
  unread: { pattern: string; path: string; line: number }[];
}

const MAX_DEPTH = 16;
const MAX_SETTINGS = 50_000;
const MAX_FILE_READS = 256;

/** Parses the sshd_config set. Never throws; bounded by file sizes, depth and a settings cap. */
export function parseSshdConfig(
  files: readonly ConfigFile[],
  mainPath = '/etc/ssh/sshd_config',
  collected: readonly string[] = FACTS['sshd.config'].patterns,
): SshdConfig {
  const collectedRe = collected.map((c) => globToRegExp(c));
  const byPath = new Map<string, string>();
  for (const f of files)
    if (typeof f?.path === 'string' && typeof f.content === 'string') byPath.set(f.path, f.content);
  const cfg: SshdConfig = {
    found: byPath.has(mainPath),
    global: new Map(),
    occurrences: new Map(),
    matchBlocks: [],
    notes: [],
    filesRead: [],
    unread: [],
  };
  let count = 0;
  let reads = 0;
  const stack: string[] = [];

  const readFile = (path: string, depth: number, outerMatch: SshdMatchBlock | null): void => {
    if (depth > MAX_DEPTH) {
      cfg.notes.push(`Include depth above ${MAX_DEPTH} at ${path}; not read`);
      return;
    }
    if (stack.includes(path)) {
      cfg.notes.push(`Include loop on ${path}; not read again`);
      return;
    }
    const content = byPath.get(path);
    if (content === undefined) return;
    if (++reads > MAX_FILE_READS) {
      if (reads === MAX_FILE_READS + 1) cfg.notes.push(`more than ${MAX_FILE_READS} file reads; stopped`);
      return;
    }
    stack.push(path);
    cfg.filesRead.push(path);
    let match = outerMatch;
    for (const { n, text } of splitLines(content)) {
      if (count >= MAX_SETTINGS) break;
      const line = stripTrailingComment(text.trim());
      if (line === '' || line.startsWith('#')) continue;
      const m = /^([A-Za-z][A-Za-z0-9]*)(?:\s*=\s*|\s+|$)(.*)$/.exec(line);
      if (!m) {
        cfg.notes.push(`unparsed line ${path}:${n}`);
        continue;
      }
      const keyword = (m[1] as string).toLowerCase();
      const value = unquote((m[2] ?? '').trim());
      count++;
      if (keyword === 'match') {
        if (value.toLowerCase() === 'all') match = null;
        else {
          match = { criteria: value, path, line: n, settings: [] };
          cfg.matchBlocks.push(match);
        }
        continue;
      }
      if (keyword === 'include') {
        for (const pattern of splitWords(value)) {
          const abs = pattern.startsWith('/') ? pattern : `/etc/ssh/${pattern}`;
          const re = globToRegExp(abs);
          const targets = [...byPath.keys()].filter((p) => re.test(p)).sort();
          if (targets.length === 0 && !collectedRe.some((c) => c.test(abs)) && cfg.unread.length < 16)
            cfg.unread.push({ pattern: abs, path, line: n });
          for (const t of targets) readFile(t, depth + 1, match);
        }
        continue;
      }
      const setting: SshdSetting = { keyword, value, path, line: n, text };
      if (match) match.settings.push(setting);
      else {
        const all = cfg.occurrences.get(keyword);
        if (all) all.push(setting);
        else cfg.occurrences.set(keyword, [setting]);
        if (!cfg.global.has(keyword)) cfg.global.set(keyword, setting);
      }
    }
    stack.pop();
  };

  readFile(mainPath, 0, null);
  if (!cfg.found) cfg.notes.push(`${mainPath} not collected`);
  return cfg;
}

/** Splits on blanks, honouring double quotes. */
export function splitWords(value: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value)) !== null && out.length < 256) out.push(m[1] ?? m[2] ?? '');
  return out;
}

export interface SshdTEntry {
  value: string;
  line: number;
  text: string;
}

/** `sshd -T` output: lower-case `keyword value` lines; repeated keywords (hostkey, port, ...) keep every value. */
export function parseSshdT(stdout: string): Map<string, SshdTEntry[]> {
  const out = new Map<string, SshdTEntry[]>();
  for (const { n, text } of splitLines(stdout)) {
    const m = /^([a-z][a-z0-9]*)(?:\s+(.*))?$/.exec(text.trim());
    if (!m) continue;
    const key = m[1] as string;
    const entry = { value: (m[2] ?? '').trim(), line: n, text };
    const list = out.get(key);
    if (list) {
      if (list.length < 1000) list.push(entry);
    } else out.set(key, [entry]);
  }
  return out;
}

/** True when parsed `sshd -T` output looks like a real dump (and not an error message). */
export function looksLikeSshdT(map: Map<string, SshdTEntry[]>): boolean {
  return map.has('port') && map.has('permitrootlogin') && map.size >= 10;
}
