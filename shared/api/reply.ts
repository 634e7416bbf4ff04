/** The reply of every API call: a value or a typed error, never a thrown stack. */
import type { ErrorCode, ErrorInfo } from '../model/errors.js';

export type Reply<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export function okReply<T>(value: T): Reply<T> {
  return { ok: true, value };
}

export function errorReply(code: ErrorCode, message: string): Reply<never> {
  return { ok: false, error: { code, message } };
}

/** Thrown by `unwrap` so UI code can use try/catch when it prefers; carries the error as it came. */
export class ApiError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
    this.name = 'ApiError';
  }
  get code(): ErrorCode {
    return this.info.code;
  }
}

/** The value of an ok reply; throws ApiError otherwise. */
export function unwrap<T>(reply: Reply<T>): T {
  if (reply.ok) return reply.value;
  throw new ApiError(reply.error);
}
