/**
 * Where the API layer writes what must not go into a reply (stacks, rejected payloads). No secret reaches a log:
 * a field named like a secret (password, passphrase, secret, private key) is written as `[redacted]`, a PEM private
 * key block anywhere in the text likewise, and the dispatch hands the logger the secret values of the call being
 * logged (`redact`), so a message or stack that happens to quote one is scrubbed too.
 */
import { PEM_PRIVATE, SECRET_NAME } from '../audit/secrets.js';

export interface ApiLogger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export const REDACTED = '[redacted]';

const PEM_BLOCK = new RegExp(
  `${PEM_PRIVATE.source}[\\s\\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)`,
  'gi',
);

/** The values of an input's secret fields (at any depth), to be scrubbed from what is logged or replied. */
export function secretValues(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 32 || value === null || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_NAME.test(k) && typeof v === 'string' && v.length >= 4) out.push(v);
    else secretValues(v, out, depth + 1);
  }
  return out;
}

/** `text` with every secret value and PEM private key block replaced. */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(PEM_BLOCK, REDACTED);
  for (const s of secrets) out = out.split(s).join(REDACTED);
  return out;
}

/** A copy of `value` fit for a log: secret-named fields redacted, secret values and key blocks scrubbed from text. */
export function redact(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (typeof value === 'string') return scrub(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 32) return '[too deep]';
  if (Array.isArray(value)) return value.map((v) => redact(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    out[k] = SECRET_NAME.test(k) ? REDACTED : redact(v, secrets, depth + 1);
  return out;
}

/** One JSON line per entry on stderr. */
export const stderrLogger: ApiLogger = {
  error: (message, fields) => write('error', message, fields),
  warn: (message, fields) => write('warn', message, fields),
};

function write(level: string, message: string, fields?: Record<string, unknown>): void {
  const entry = redact({ time: new Date().toISOString(), level, message, ...fields });
  process.stderr.write(`${JSON.stringify(entry)}\n`);
}
