/** The comparison operators of the rule language (see COMPARE_OPS in shared/checks/rules.ts). */
import type { CompareOp, CompareValue, Scalar } from '../../shared/checks/rules.js';
import { globToRegExp } from './parsers/glob.js';

export interface CompareOptions {
  /** Parses the actual value as a number (e.g. sshd time values); default: strict decimal. */
  toNumber?: (s: string) => number | null;
}

export interface CompareResult {
  ok: boolean;
  /** For list operators: the offending (none_of) or missing (contains_all) items. */
  items?: string[];
}

function defaultNumber(s: string): number | null {
  const t = s.trim();
  return /^[+-]?\d{1,15}(\.\d{1,9})?$/.test(t) ? Number(t) : null;
}

function asList(v: CompareValue): string[] {
  return (Array.isArray(v) ? v : [v]).map((x) => String(x));
}

/** Splits an actual value into list items (comma and/or blank separated). */
export function splitList(s: string): string[] {
  return s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter((x) => x !== '')
    .slice(0, 1000);
}

function safeRegex(pattern: string, flags: string): RegExp | null {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return null;
  }
}

/** Compares an actual value (undefined = not set) with the rule's value. */
export function compare(
  actual: string | undefined,
  op: CompareOp,
  value: CompareValue,
  opts: CompareOptions = {},
): CompareResult {
  const toNumber = opts.toNumber ?? defaultNumber;
  const a = actual ?? '';
  switch (op) {
    case 'eq':
    case 'neq': {
      const want = asList(value)[0] ?? '';
      const an = toNumber(a);
      const wn = defaultNumber(want);
      const equal = an !== null && wn !== null ? an === wn : a.trim().toLowerCase() === want.toLowerCase();
      return { ok: actual !== undefined && (op === 'eq' ? equal : !equal) };
    }
    case 'in':
    case 'not_in': {
      const list = asList(value).map((x) => x.toLowerCase());
      const an = toNumber(a);
      const hit = list.some((w) => {
        const wn = defaultNumber(w);
        return an !== null && wn !== null ? an === wn : a.trim().toLowerCase() === w;
      });
      return { ok: actual !== undefined && (op === 'in' ? hit : !hit) };
    }
    case 'lte':
    case 'gte': {
      const an = toNumber(a);
      const wn = defaultNumber(asList(value)[0] ?? '');
      if (an === null || wn === null) return { ok: false };
      return { ok: op === 'lte' ? an <= wn : an >= wn };
    }
    case 'matches': {
      const re = safeRegex(asList(value)[0] ?? '', 'i');
      return { ok: actual !== undefined && re !== null && re.test(a.slice(0, 8192)) };
    }
    case 'contains_all': {
      const have = new Set(splitList(a).map((x) => x.toLowerCase()));
      const missing = asList(value).filter((w) => !have.has(w.toLowerCase()));
      return { ok: missing.length === 0, items: missing };
    }
    case 'none_of': {
      const res = asList(value).map((w) => globToRegExp(w.toLowerCase(), true));
      const bad = splitList(a).filter((item) => res.some((re) => re.test(item.toLowerCase())));
      return { ok: bad.length === 0, items: bad };
    }
  }
}

function show(v: CompareValue): string {
  return asList(v).join(', ');
}

/** Human words for an expectation: `PermitRootLogin no`, `MaxAuthTries <= 4`, `Ciphers without 3des-cbc, ...`. */
export function describeExpectation(label: string, op: CompareOp, value: CompareValue): string {
  switch (op) {
    case 'eq':
      return `${label} ${show(value)}`;
    case 'neq':
      return `${label} not ${show(value)}`;
    case 'in':
      return `${label} one of ${show(value)}`;
    case 'not_in':
      return `${label} none of ${show(value)}`;
    case 'lte':
      return `${label} <= ${show(value)}`;
    case 'gte':
      return `${label} >= ${show(value)}`;
    case 'matches':
      return `${label} matching /${show(value)}/`;
    case 'contains_all':
      return `${label} including ${show(value)}`;
    case 'none_of':
      return `${label} without ${show(value)}`;
  }
}

export type { Scalar };
