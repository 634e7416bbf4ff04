import { boundForm, guardForm, textForm } from '../../../shared/text/target-text.js';

/**
 * Bounded text helpers for untrusted target output. Every parser goes through `splitLines`, so the amount of work
 * is bounded by MAX_LINES x MAX_LINE_CHARS whatever the input.
 */

/** Most lines any parser looks at. */
export const MAX_LINES = 200_000;
/** Longest line kept; the rest is cut (regexes and tokenisers never see more). */
export const MAX_LINE_CHARS = 8192;
/** Longest evidence excerpt. */
export const MAX_EXCERPT_CHARS = 500;

export interface Line {
  /** 1-based line number. */
  n: number;
  /** The line without its line terminator, cut at MAX_LINE_CHARS. */
  text: string;
}

/** Splits text into at most `max` lines (\n, \r\n). Non-strings give no lines. */
export function splitLines(input: unknown, max = MAX_LINES): Line[] {
  if (typeof input !== 'string' || input.length === 0) return [];
  const out: Line[] = [];
  let start = 0;
  let n = 0;
  while (start <= input.length && out.length < max) {
    let end = input.indexOf('\n', start);
    if (end === -1) end = input.length;
    n++;
    let text = input.slice(start, Math.min(end, start + MAX_LINE_CHARS));
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (!(end === input.length && text === '' && start === input.length)) out.push({ n, text });
    start = end + 1;
  }
  return out;
}

/**
 * A short, single-line excerpt of target text for evidence: its text form (shared/text/target-text.ts: a backslash
 * doubled, every control, format or invalid byte as `\xNN`, tab kept), length bounded. Call it once, on the raw
 * target string: the excerpt is a text form.
 */
export function excerpt(text: string, max = MAX_EXCERPT_CHARS): string {
  return boundForm(textForm(text, 'line'), max);
}

/**
 * Target text set into a sentence (`actual`, `reason`): its text form, so the whole sentence shows what the target
 * holds (names, already in the text form, go in as they are).
 */
export const targetText = (s: string): string => textForm(s, 'line');

/** Joins parts into a bounded sentence for `expected` / `actual` (text forms are never cut inside an escape). */
export function bounded(text: string, max = 1000): string {
  return boundForm(guardForm(text), max);
}

/** Strict non-negative decimal integer, else null (no exponent, no sign, no hex). */
export function parseUint(s: string | undefined): number | null {
  if (s === undefined || !/^\d{1,15}$/.test(s)) return null;
  return Number(s);
}

/** Decimal integer with optional sign, else null. */
export function parseInt10(s: string | undefined): number | null {
  if (s === undefined) return null;
  const t = s.trim();
  if (!/^[+-]?\d{1,15}$/.test(t)) return null;
  return Number(t);
}

/** Removes one pair of surrounding double (or single) quotes. */
export function unquote(s: string): string {
  if (s.length >= 2 && ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))))
    return s.slice(1, -1);
  return s;
}

/**
 * Cuts a `#` comment that starts a word (preceded by blank or at start), outside double quotes.
 * `keep` can veto a cut at a given index (e.g. sudoers `#1000` user ids).
 */
export function stripTrailingComment(line: string, keep?: (line: string, index: number) => boolean): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (c === '#' && !quoted && (i === 0 || /\s/.test(line[i - 1] ?? '')) && !(keep && keep(line, i)))
      return line.slice(0, i).trimEnd();
  }
  return line;
}
