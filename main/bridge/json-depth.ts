/**
 * The shape of a JSON text, found in one linear pass over its bytes before anything parses it: how deep arrays and
 * objects nest and how many values it holds. An API input is a few levels deep with at most some thousands of
 * values (the largest, scan.start, about 10,000); a body of millions of `[`, or of millions of small values, must be
 * refused at once, not handed to JSON.parse (over a second for 6 MB of them) and the schema validators.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const isOpen = (b: number): boolean => b === 0x5b || b === 0x7b; // [ {
const isClose = (b: number): boolean => b === 0x5d || b === 0x7d; // ] }

export type JsonShape = 'ok' | 'too_deep' | 'too_many_values';

/**
 * 'too_deep' when `body` (JSON text) opens more than `depth` arrays or objects inside each other anywhere;
 * 'too_many_values' when it holds more than about `values` values (counted as containers plus separating commas).
 */
export function jsonShape(body: Uint8Array, limits: { depth: number; values: number }): JsonShape {
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!;
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (isOpen(b)) {
      if (++depth > limits.depth) return 'too_deep';
      if (++values > limits.values) return 'too_many_values';
    } else if (isClose(b)) depth--;
    else if (b === COMMA && ++values > limits.values) return 'too_many_values';
  }
  return 'ok';
}

/** True when `body` (JSON text) opens more than `max` arrays or objects inside each other anywhere. */
export function nestsDeeperThan(body: Uint8Array, max: number): boolean {
  return jsonShape(body, { depth: max, values: Number.POSITIVE_INFINITY }) === 'too_deep';
}
