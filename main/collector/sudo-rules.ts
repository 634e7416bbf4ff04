/**
 * Parses what `sudo -l` prints (sudo 1.8/1.9: the short form, wrapped or not, and the long form of `sudo -l -l`)
 * into rules, for the evidence and the report. It decides nothing: whether a command line may run is asked of sudo
 * itself on the target (`sudo -n -l CMD ARGS`), so a mistake here can mislabel a listing but never run a command.
 * Aliases (Cmnd_Alias, Runas_Alias) arrive expanded: sudo lists their members.
 */
import type { SudoListing, SudoRule } from '../../shared/facts/snapshot.js';

const MAX_RULES = 500;
const MAX_TEXT = 1000;

const cut = (s: string): string => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s);

/** Tags sudo prints before commands (`NOPASSWD:`, `SETENV:`…) and options in the 1.9 form (`CWD=/`, `TIMEOUT=…`). */
const TAG_RE = /^([A-Z_]+):\s*/;
const OPTION_RE = /^(ROLE|TYPE|CWD|CHROOT|TIMEOUT|NOTBEFORE|NOTAFTER|APPARMOR_PROFILE|PRIVS|LIMITPRIVS)=\S+\s+/;

/** Splits a command list on sudo's `, ` separators (a comma inside arguments is printed escaped, `\,`). */
function splitCommands(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + (s[i + 1] as string);
      i++;
    } else if (c === ',' && s[i + 1] === ' ') {
      out.push(cur.trim());
      cur = '';
      i++;
    } else cur += c;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out.filter((x) => x !== '');
}

/** One short-form entry: `(runas[ : group]) [TAG: ...] cmd, [TAG:] cmd, ...`. */
function shortEntry(line: string, rules: SudoRule[]): void {
  const m = /^\(([^)]*)\)\s*(.*)$/.exec(line);
  if (!m) return;
  const runAs = (m[1] as string).replace(/\s*:\s*/, ' : ').trim();
  let nopasswd = false;
  let tags: string[] = [];
  for (let part of splitCommands(m[2] as string)) {
    for (;;) {
      const t = TAG_RE.exec(part);
      const o = t ? null : OPTION_RE.exec(part);
      if (t) {
        const tag = t[1] as string;
        // A tag holds for the commands after it, until its opposite (sudoers semantics).
        if (tag === 'NOPASSWD') nopasswd = true;
        else if (tag === 'PASSWD') nopasswd = false;
        tags = [...tags.filter((x) => x !== tag && x !== opposite(tag)), tag];
        part = part.slice(t[0].length);
      } else if (o) part = part.slice(o[0].length);
      else break;
    }
    if (part === '' || rules.length >= MAX_RULES) continue;
    const negated = part.startsWith('!');
    rules.push({ runAs: cut(runAs), command: cut(negated ? part.slice(1).trim() : part), negated, nopasswd, tags: [...tags] });
  }
}

function opposite(tag: string): string {
  return tag.startsWith('NO') ? tag.slice(2) : `NO${tag}`;
}

/** The long form (`sudo -l -l`): `Sudoers entry:` blocks with RunAsUsers, Options and a Commands list. */
function longForm(lines: string[], rules: SudoRule[]): void {
  let runAs = 'root';
  let nopasswd = false;
  let inCommands = false;
  for (const raw of lines) {
    const line = raw.trim();
    if (/^Sudoers entry\b/.test(line)) {
      runAs = 'root';
      nopasswd = false;
      inCommands = false;
      continue;
    }
    const kv = /^(RunAsUsers|RunAsGroups|Options|Commands):\s*(.*)$/.exec(line);
    if (kv) {
      inCommands = kv[1] === 'Commands';
      if (kv[1] === 'RunAsUsers') runAs = kv[2] as string;
      if (kv[1] === 'RunAsGroups') runAs = `${runAs} : ${kv[2] as string}`;
      if (kv[1] === 'Options') {
        const opts = (kv[2] as string).split(/,\s*/);
        if (opts.includes('!authenticate')) nopasswd = true;
        if (opts.includes('authenticate')) nopasswd = false;
      }
      continue;
    }
    if (!inCommands || line === '' || rules.length >= MAX_RULES) continue;
    const negated = line.startsWith('!');
    const tags = nopasswd ? ['NOPASSWD'] : [];
    rules.push({ runAs: cut(runAs), command: cut(negated ? line.slice(1).trim() : line), negated, nopasswd, tags });
  }
}

/**
 * Parses `sudo -l` output. Unknown lines are skipped; a listing with no rules (sudo refused, a password was
 * required) gives an empty rule list.
 */
export function parseSudoListing(text: string): SudoListing {
  const lines = text.replace(/\r/g, '').split('\n');
  const out: SudoListing = { defaults: [], rules: [] };
  const head = /^User (\S+) may run the following commands on (\S+?):?$/;
  let section: 'none' | 'defaults' | 'rules' = 'none';
  const long = lines.some((l) => /^Sudoers entry\b/.test(l.trim()));
  const entries: string[] = [];
  for (const raw of lines) {
    const h = head.exec(raw.trim());
    if (h) {
      out.user = cut(h[1] as string);
      out.host = cut(h[2] as string);
      section = 'rules';
      continue;
    }
    if (/^(Matching Defaults entries|Runas and Command-specific defaults) for /.test(raw)) {
      section = 'defaults';
      continue;
    }
    if (raw.trim() === '') continue;
    if (section === 'defaults') {
      for (const d of splitCommands(raw.trim().replace(/,$/, ''))) if (out.defaults.length < MAX_RULES) out.defaults.push(cut(d));
    } else if (section === 'rules' && !long) {
      // Entries are indented 4 spaces; sudo wraps long ones onto lines indented 8 (break at a space).
      if (/^ {8}/.test(raw) && entries.length > 0) entries[entries.length - 1] += ` ${raw.trim()}`;
      else entries.push(raw.trim());
    }
  }
  if (long) longForm(lines.slice(lines.findIndex((l) => head.test(l.trim())) + 1), out.rules);
  else for (const e of entries) shortEntry(e, out.rules);
  return out;
}

/** How many commands the rules allow (negations not counted). */
export function allowedCount(l: SudoListing): number {
  return l.rules.filter((r) => !r.negated).length;
}
