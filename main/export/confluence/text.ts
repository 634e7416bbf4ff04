/**
 * The one sanitiser for Confluence pages: what any text (from a target, a person or the workspace) becomes before
 * it reaches the page builder. Every character XML 1.0 forbids (C0 controls but tab and newline, lone surrogates,
 * U+FFFE, U+FFFF), carriage return, the other invisible controls and every bidi override or isolate become their
 * visible escape (`\x00`, `\xe2\x80\xae`, `\ufffe`; common.ts xmlText, through guardForm); text already in the text
 * form is unchanged, so it reads back as it was stored. The page writer (storage.ts) escapes `&`, `<`, `>` and quotes;
 * `]]>` inside a CDATA section is split into two sections here (`cdataSections`). The SVG chart is written by
 * xmlbuilder2, which keeps an `&` that looks like an entity as it is: its text goes through `builderText`.
 */
import { xmlText } from '../common.js';

/** The visible form of `s`: what a reader of the page sees, character for character. */
export function visible(s: string): string {
  return xmlText(s).replace(/\r/g, '\\x0d');
}

/** `visible(s)` for a text node or attribute value given to xmlbuilder2 (chart.ts; it then writes each `&amp;` once). */
export function builderText(s: string): string {
  return visible(s).replace(/&/g, '&amp;');
}

/**
 * The CDATA sections that hold `visible(s)`: split after `]]` wherever `]]>` occurs, so no section holds the
 * end marker; concatenated they read back as `visible(s)`.
 */
export function cdataSections(s: string): string[] {
  const v = visible(s);
  const out: string[] = [];
  let from = 0;
  for (let i = v.indexOf(']]>'); i !== -1; i = v.indexOf(']]>', i + 1)) {
    out.push(v.slice(from, i + 2));
    from = i + 2;
  }
  out.push(v.slice(from));
  return out;
}

/** `s` cut into pieces of at most `max` UTF-16 units, never between the halves of a surrogate pair. */
export function chunks(s: string, max: number): string[] {
  if (s.length <= max) return [s];
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    let end = Math.min(i + max, s.length);
    const c = s.charCodeAt(end - 1);
    if (end < s.length && c >= 0xd800 && c <= 0xdbff) end -= 1;
    out.push(s.slice(i, end));
    i = end;
  }
  return out;
}
