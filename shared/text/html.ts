/**
 * The one way text becomes HTML: every text node and attribute value of a report goes through `htmlText`. First the
 * characters a reader could not see or that could reorder what is shown (C0 and C1 controls, carriage return, bidi
 * overrides and isolates, other format characters, line separators, lone surrogates) become their visible escapes
 * (`\x00`, `\xe2\x80\xae`: guardForm, the one text-form guard, so text already in the text form is unchanged), and
 * the noncharacters (U+FFFE, U+FFFF, U+FDD0..U+FDEF, U+1FFFE, ...) become `\ufffe`, `\u1fffe`; then `&`, `<`,
 * `>`, `"` and `'` become character references, so the text can neither open nor close an element or an attribute,
 * in a text node or in a quoted attribute value.
 * `block` keeps newlines (a `<pre>`); otherwise a newline is shown as `\x0a` too. Tab is kept.
 */
import { guardForm } from './target-text.js';

const REFS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** What a reader sees of `s`, before HTML escaping: `htmlText(s)` parses back to exactly this (no parse error). */
export function htmlVisible(s: string, block = false): string {
  return guardForm(s, block).replace(
    /\p{Noncharacter_Code_Point}/gu,
    (c) => `\\u${c.codePointAt(0)!.toString(16)}`,
  );
}

/** `s` as HTML text or a double-quoted attribute value (see the module comment). */
export function htmlText(s: string, block = false): string {
  return htmlVisible(s, block).replace(/[&<>"']/g, (c) => REFS[c] as string);
}
