/**
 * Calling the API from store actions: a reply becomes a value, or an error the UI shows (code and message exactly
 * as main wrote them; messages name what and where).
 */
import type { Reply } from '../../../shared/api/reply.js';
import type { ErrorInfo } from '../../../shared/model/errors.js';

export class UiError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
    this.name = 'UiError';
  }
}

/** The value of an ok reply; throws UiError otherwise. */
export async function value<T>(reply: Promise<Reply<T>>): Promise<T> {
  const r = await reply;
  if (r.ok) return r.value;
  throw new UiError(r.error);
}

/** The message to show for anything caught in an action. */
export function messageOf(err: unknown): string {
  if (err instanceof UiError) return err.info.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
