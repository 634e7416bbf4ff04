/**
 * Errors a user can act on carry a code and a message that names what and where. They cross the API boundary as
 * `{ code, message }`; a stack trace never reaches a user for their own mistake.
 */
export const ERROR_CODES = [
  'bad_input', // a file, argument or field the user gave is wrong (message names which and where)
  'not_found',
  'host_key_unknown', // first contact, no acceptance given
  'host_key_changed', // presented key differs from the known one: hard stop before authentication
  'host_key_revoked',
  'auth_failed',
  'connect_refused',
  'connect_timeout',
  'unreachable', // DNS failure, no route
  'ssh_error',
  'timeout', // per-command deadline
  'cancelled',
  'privilege', // sudo refused or misbehaved
  'collector', // the collector output could not be parsed or was incomplete
  'store', // database problems (e.g. a newer schema)
  'not_permitted', // the acting person may not do this (four-eye rule: an author approving their own finding)
  'not_signed_in', // a change that must be signed by a person, made while nobody is signed in
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class FoureyesError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, string | number | boolean>,
  ) {
    super(message);
    this.name = 'FoureyesError';
  }
}

export function isFoureyesError(e: unknown): e is FoureyesError {
  return e instanceof FoureyesError;
}

/** The serialisable shape used in API replies and stored host_run errors. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  details?: Record<string, string | number | boolean>;
}

export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof FoureyesError) return { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message };
}
