/** A check's digest: SHA-256 of its canonical JSON. The same check always gives the same digest. */
import { createHash } from 'node:crypto';
import type { Check } from '../../shared/checks/schema.js';

/** JSON with object keys sorted at every level: the same check always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Scenarios are test data beside the check, not part of what it decides: they do not change its digest. */
export function checkDigest(check: Check): string {
  const { scenarios: _scenarios, ...decides } = check;
  return createHash('sha256').update(canonicalJson(decides)).digest('hex');
}
