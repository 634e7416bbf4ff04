/**
 * Refused input as sentences a consultant reads: "Host name is required.", "Port must be a whole number from 1 to
 * 65535 (got "abc")." Fields a person fills in carry their label in their schema (zod's per-schema `error`);
 * `inputIssueSentence` is the parse-level error map for the rest (ids, lists, choices, unknown fields), which names
 * the field from its path. The issue's path and code stay on the issue for machines (see describeIssues in
 * main/api/registry.ts). No zod wording reaches a message.
 */
import type { z } from 'zod';

type RawIssue = z.core.$ZodRawIssue;

/** Characters of a refused value echoed in a message: the value is untrusted and may be very long. */
const SHOWN_CHARS = 60;

/**
 * A value the user gave, for a message: text JSON-quoted (control characters escaped) and cut to 60 characters;
 * numbers and booleans as written; '' when there is nothing worth echoing (missing, null, lists, objects).
 */
export function shownValue(v: unknown): string {
  if (typeof v === 'string')
    return v.length > SHOWN_CHARS ? `${JSON.stringify(v.slice(0, SHOWN_CHARS))}…` : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/** ` (got "abc")`, or '' when the value is not worth echoing. */
function got(v: unknown): string {
  const s = shownValue(v);
  return s ? ` (got ${s})` : '';
}

const missing = (iss: RawIssue): boolean =>
  iss.input === undefined || iss.input === null || (iss.code === 'too_small' && iss.origin === 'string' && iss.minimum === 1);

/** The one sentence for a port, wherever it is refused (API, host form, inventory files). */
export function portSentence(value?: unknown): string {
  return `Port must be a whole number from 1 to 65535${got(value)}.`;
}

/** Error function for a port schema (every way a port can be wrong gets the same sentence). */
export const portError = (iss: RawIssue): string => portSentence(iss.input);

/**
 * Error function for a labelled text field: required, too long, not text, or (for a format check) `format`,
 * which completes "<label> must …" (e.g. "be a login name: letters, digits and _ . @ -").
 */
export function textError(label: string, format?: string) {
  return (iss: RawIssue): string => {
    if (missing(iss)) return `${label} is required.`;
    if (iss.code === 'invalid_type') return `${label} must be text${got(iss.input)}.`;
    if (iss.code === 'too_big' && iss.origin === 'string')
      return `${label} must be at most ${String(iss.maximum)} characters (this one has ${String(iss.input).length}).`;
    if (format) return `${label} must ${format}${got(iss.input)}.`;
    return `${label} is not valid${got(iss.input)}.`;
  };
}

/** `hostIds[1]` -> "Host ids (item 2)", `paging.limit` -> "Paging limit"; "The input" for the whole input. */
export function labelFromPath(path: readonly PropertyKey[] | undefined): string {
  const words: string[] = [];
  let item: number | undefined;
  for (const key of path ?? []) {
    if (typeof key === 'number') item = key + 1;
    else words.push(String(key).replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase());
  }
  if (words.length === 0) return item === undefined ? 'The input' : `Item ${item}`;
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${item === undefined ? '' : ` (item ${item})`}`;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

const listed = (values: readonly unknown[]): string =>
  values
    .slice(0, 8)
    .map((v) => shownValue(v) || String(v))
    .join(', ') + (values.length > 8 ? ', …' : '');

/** Parse-level error map: a sentence for any issue, naming the field from its path. */
export function inputIssueSentence(iss: RawIssue): string {
  const label = labelFromPath(iss.path);
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return `${label} is required.`;
      return `${label} must be ${EXPECTED[iss.expected] ?? iss.expected}${got(iss.input)}.`;
    case 'too_small':
    case 'too_big': {
      const bound = String(iss.code === 'too_small' ? iss.minimum : iss.maximum);
      const side = iss.code === 'too_small' ? 'least' : 'most';
      if (iss.origin === 'string')
        return missing(iss) ? `${label} is required.` : `${label} must be at ${side} ${bound} characters.`;
      if (iss.origin === 'array' || iss.origin === 'set')
        return `${label} must have at ${side} ${bound} ${bound === '1' ? 'item' : 'items'}.`;
      return `${label} must be at ${side} ${bound}${got(iss.input)}.`;
    }
    case 'invalid_value':
      return `${label} must be one of ${listed(iss.values)}${got(iss.input)}.`;
    case 'invalid_union':
      if ('options' in iss && Array.isArray(iss.options)) return `${label} must be one of ${listed(iss.options)}.`;
      return `${label} is not valid.`;
    case 'unrecognized_keys': {
      const keys = iss.keys.slice(0, 4).map((k) => shownValue(k)).join(', ');
      const more = iss.keys.length > 4 ? ` and ${iss.keys.length - 4} more` : '';
      const where = iss.path && iss.path.length > 0 ? ` in ${label}` : '';
      return `Unknown field${iss.keys.length === 1 ? '' : 's'} ${keys}${more}${where}.`;
    }
    case 'invalid_format':
      return `${label} is not in the expected format${got(iss.input)}.`;
    default:
      return `${label} is not valid${got(iss.input)}.`;
  }
}
