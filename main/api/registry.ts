/**
 * Dispatch: the one path every call takes, whatever the transport. Unknown method -> not_found; input refused by
 * the contract -> bad_input with one sentence per problem naming the field by its label (details: its path and
 * zod code); FoureyesError -> its code and message; anything else -> 'internal' with a generic message and a reference, the stack going to the log only. Outputs are parsed with the contract's
 * schema, which strips fields it does not name; an output that does not fit is a bug, reported as internal.
 *
 * Who is acting: the session (the person signed in on this running workstation, main/services/session.ts) is read
 * once per call and handed to the handler in the call context, whatever the transport; a method the contract marks
 * `signedIn` is refused with `not_signed_in` while nobody is. The values of the input's secret fields (a
 * passphrase) are scrubbed from every error reply and log entry of the call.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { CONTRACT } from '../../shared/api/contract.js';
import { isMethodName, type MethodName } from '../../shared/api/names.js';
import type { Reply } from '../../shared/api/reply.js';
import { inputIssueSentence } from '../../shared/api/schemas/sentences.js';
import { isFoureyesError, toErrorInfo, type ErrorInfo } from '../../shared/model/errors.js';
import type { CallContext, HandlerTable } from './handlers.js';
import type { Acting } from '../people/acting.js';
import { redact, scrub, secretValues, type ApiLogger } from './log.js';
import { wellFormed } from '../../shared/text/well-formed.js';

export type Dispatch = (method: string, input: unknown, ctx: CallContext) => Promise<Reply<unknown>>;

const MAX_ISSUES = 4;

/** `hostIds[2]`, `host.port`; '(input)' for the whole input. The machine form of where an issue is. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(input)';
}

/**
 * Issues of an input parsed with `inputIssueSentence` as the error map: the message is their sentences (at most
 * MAX_ISSUES, then how many more); `field` is where the first one is (machine path, for the UI to mark the field)
 * and `issue` its zod code.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): {
  message: string;
  field: string;
  issue: string;
} {
  const parts = issues.slice(0, MAX_ISSUES).map((i) => i.message);
  const rest = issues.length - MAX_ISSUES;
  if (rest > 0) parts.push(`${rest} more ${rest === 1 ? 'problem' : 'problems'} not shown.`);
  const first = issues[0];
  const field =
    first?.code === 'unrecognized_keys'
      ? issuePath([...first.path, first.keys[0] ?? ''])
      : issuePath(first?.path ?? []);
  // An unknown key is the caller's text: bounded like every echoed value.
  return { message: parts.join(' '), field: field.slice(0, 200), issue: first?.code ?? 'custom' };
}

/** Where the dispatch learns who is signed in (the composition root's session service). */
export interface ActingSource {
  acting(): Acting | undefined;
}

export function createDispatch(handlers: HandlerTable, log: ApiLogger, session?: ActingSource): Dispatch {
  return async (method, rawInput, ctx) => {
    if (!isMethodName(method)) {
      return {
        ok: false,
        error: { code: 'not_found', message: `unknown API method "${String(method).slice(0, 80)}"` },
      };
    }
    const spec = CONTRACT[method];
    const secrets = secretValues(rawInput);
    const input = spec.input.safeParse(wellFormed(rawInput ?? {}), { error: inputIssueSentence });
    if (!input.success) {
      const { message, field, issue } = describeIssues(input.error.issues);
      return { ok: false, error: { code: 'bad_input', message: scrub(message, secrets), details: { field, issue } } };
    }
    const acting = session?.acting();
    if (spec.signedIn && !acting) return { ok: false, error: notSignedIn(method) };
    let value: unknown;
    try {
      const handler = handlers[method] as (i: unknown, c: CallContext) => unknown;
      value = await handler(input.data, { ...ctx, ...(acting ? { acting } : {}) });
    } catch (e) {
      if (isFoureyesError(e)) {
        const info = toErrorInfo(e);
        return { ok: false, error: { ...info, message: scrub(info.message, secrets) } };
      }
      return internal(log, method, 'handler failed', secrets, {
        error: e instanceof Error ? (e.stack ?? e.message) : String(e),
      });
    }
    const output = spec.output.safeParse(value);
    if (!output.success) {
      return internal(log, method, 'handler output does not match the contract', secrets, {
        issues: output.error.issues,
      });
    }
    return { ok: true, value: output.data };
  };
}

/** The refusal of a method that must be signed by a person while nobody is signed in. */
export function notSignedIn(method: MethodName): ErrorInfo {
  return {
    code: 'not_signed_in',
    message: `${method} is done by a person, and nobody is signed in on this workstation: sign in first`,
  };
}

function internal(
  log: ApiLogger,
  method: MethodName,
  what: string,
  secrets: readonly string[],
  fields: Record<string, unknown>,
): Reply<never> {
  const ref = randomBytes(4).toString('hex');
  log.error(`${method}: ${what}`, redact({ ref, method, ...fields }, secrets) as Record<string, unknown>);
  return {
    ok: false,
    error: { code: 'internal', message: `Internal error in ${method} (ref ${ref}); details are in the log.` },
  };
}
