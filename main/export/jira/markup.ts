/**
 * Jira wiki markup (the renderer of Jira's description field) for text from targets and people. One function,
 * `jiraText`, makes any text safe for a place that takes markup (a paragraph, a heading, a list item, a table
 * cell): first every control, format and bidi character and lone surrogate becomes its visible escape (guardForm,
 * the one text-form guard of shared/text; a text form is unchanged, so target text reads as stored), then nothing
 * left can be read as markup:
 * - each character that starts or ends a Jira effect (`{ } [ ] | * _ - + ^ ~ ? ! #`) is escaped with a backslash,
 *   as Jira's renderer reads `\X` as the character X: no macro, link, table cell, list, bold, emphasis, deleted,
 *   inserted, superscript, subscript, citation (`??`), image (`!x!`), numbered list, dash or rule comes from it;
 * - a backslash is written `&#92;` (two backslashes are a line break in Jira), `&` as `&amp;` (the renderer passes
 *   entities through), the `h` of a line starting `h1.`..`h6.` and the `b` of `bq.` as their character references,
 *   and the `:` of `://` and of `mailto:` as `&#58;` so no address becomes a link;
 * - in a single-line place (`inline`) a newline is escaped too (it would end a table row or a heading).
 * Inside a `{code}` or `{noformat}` block nothing is interpreted but the block's end: `blockMarkup` splits the text
 * wherever `{code` or `{noformat` occurs (in any case) into consecutive blocks, none of which holds either; read
 * one after the other they give the text.
 */
import { cutForm, guardForm } from '../../../shared/text/target-text.js';

/** The characters that start or end markup in Jira's renderer, each escaped with a backslash. */
export const MARKUP_CHARS = '{}[]|*_-+^~?!#';
const ESCAPE = /[{}[\]|*_\-+^~?!#\\&]/g;
const LINE_START = /^([ \t]*)(h[1-6]\.|bq\.)/gm;
const ADDRESS = /:(?=\/\/)|(?<=mailto):/gi;

function escapeMarkup(guarded: string): string {
  return guarded
    .replace(ESCAPE, (c) => (c === '\\' ? '&#92;' : c === '&' ? '&amp;' : `\\${c}`))
    .replace(LINE_START, (_, lead: string, word: string) => `${lead}&#${word.charCodeAt(0)};${word.slice(1)}`)
    .replace(ADDRESS, '&#58;');
}

export interface TextOptions {
  /** One line (a heading, a table cell, a list item): newlines are escaped. Default false (a paragraph). */
  inline?: boolean;
  /** At most this many characters of markup; the text is cut (never inside an escape) and ends with `…`. */
  max?: number;
}

/**
 * The one escape for text inside Jira markup (see the module comment): what a reader of the rendered issue sees is
 * `s` with its hidden characters as their escapes, character for character; `max` bounds the markup written.
 */
export function jiraText(s: string, o: TextOptions = {}): string {
  const guarded = guardForm(s, o.inline !== true);
  const whole = escapeMarkup(guarded);
  const max = o.max;
  if (max === undefined || whole.length <= max) return whole;
  // The longest cut of the guarded text whose markup fits with the ellipsis.
  let lo = 0;
  let hi = guarded.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (escapeMarkup(cutForm(guarded, mid)).length + 1 <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${escapeMarkup(cutForm(guarded, lo))}…`;
}

/** Where a block's text must be split so that no part holds the start of a `{code` or `{noformat` tag. */
const BLOCK_TAG = /\{(?=code|noformat)/gi;

/**
 * The parts of `s` (guarded: hidden characters visible, newlines and tabs kept) that can each sit between
 * `{code}`/`{noformat}` tags: cut inside every `{code`/`{noformat` (after `{` and two letters), so no part holds
 * one; joined they give the guarded text.
 */
export function blockParts(s: string): string[] {
  const v = guardForm(s, true);
  const cuts: number[] = [];
  for (const m of v.matchAll(BLOCK_TAG)) cuts.push(m.index + 3);
  const out: string[] = [];
  let from = 0;
  for (const c of cuts) {
    out.push(v.slice(from, c));
    from = c;
  }
  out.push(v.slice(from));
  return out.filter((p) => p !== '');
}

export type BlockKind = 'code' | 'noformat';

/**
 * `s` as one or more `{code}` (with a language: `{code:bash}`) or `{noformat}` blocks: blockParts, each in its
 * own block. `max` bounds the markup written: the text is cut (by cutForm, never inside an escape) with a line
 * saying how much was left out.
 */
export function blockMarkup(
  kind: BlockKind,
  s: string,
  o: { language?: 'bash' | 'yaml'; max?: number } = {},
): string {
  const open = kind === 'code' ? `{code:${o.language ?? 'none'}}` : '{noformat}';
  const close = kind === 'code' ? '{code}' : '{noformat}';
  const text = guardForm(s, true);
  const write = (t: string): string => {
    const parts = blockParts(t);
    return (parts.length > 0 ? parts : ['']).map((p) => `${open}${p}${close}`).join('\n');
  };
  const whole = write(text);
  const max = o.max;
  if (max === undefined || whole.length <= max) return whole;
  const cut = (n: number): string => {
    const kept = cutForm(text, n);
    return write(
      `${kept}\n… (${text.length - kept.length} more characters: the engagement export holds them all)`,
    );
  };
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (cut(mid).length <= max) lo = mid;
    else hi = mid - 1;
  }
  return cut(lo);
}

/** A heading (h3. or h4.) with escaped text. */
export const heading = (level: 3 | 4, s: string): string =>
  `h${level}. ${jiraText(s, { inline: true, max: 400 })}`;

/** A bullet list, one escaped line each. */
export const bullets = (items: readonly string[], max = 1000): string =>
  items.map((i) => `* ${jiraText(i, { inline: true, max })}`).join('\n');

const cellText = (s: string, max: number) => (s === '' ? ' ' : jiraText(s, { inline: true, max }));

/** A table's header row `||h||h||`, every cell escaped. */
export const tableHead = (head: readonly string[], cellMax = 500): string =>
  `||${head.map((c) => cellText(c, cellMax)).join('||')}||`;

/** A table row `|c|c|`, every cell escaped (an empty one a space, as Jira wants). */
export const tableRow = (cells: readonly string[], cellMax = 500): string =>
  `|${cells.map((c) => cellText(c, cellMax)).join('|')}|`;

/** A table: the header row and one row per entry. */
export const table = (head: readonly string[], rows: readonly (readonly string[])[], cellMax = 500): string =>
  [tableHead(head, cellMax), ...rows.map((r) => tableRow(r, cellMax))].join('\n');
