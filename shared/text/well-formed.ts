/**
 * Text as it can be stored: a lone UTF-16 surrogate (which a person's input or a JSON `\ud800` can carry, but no
 * UTF-8 byte sequence can) replaced by U+FFFD, the replacement SQLite and every UTF-8 writer would make anyway. Done
 * once, where input enters (the API dispatch, the CLI's contract check), so that what is hashed and signed is what
 * the workspace keeps (an approval made over the other form would no longer verify once stored).
 */

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `s` with each lone surrogate replaced by U+FFFD. */
export function wellFormedText(s: string): string {
  return s.replace(LONE, '\uFFFD');
}

/** A copy of JSON-like `v` whose strings (keys too) are well formed; anything else is returned as it is. */
export function wellFormed(v: unknown): unknown {
  if (typeof v === 'string') return wellFormedText(v);
  if (Array.isArray(v)) return v.map(wellFormed);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[wellFormedText(k)] = wellFormed(x);
    return out;
  }
  return v;
}
