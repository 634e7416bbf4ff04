/**
 * Cancellation helpers for connection set-up: every wait (a socket, a forwarded channel, a secret, an agent) must
 * end as soon as the caller's AbortSignal fires, with a `cancelled` FoureyesError, and leave no listener behind.
 */
import { FoureyesError } from '../../shared/model/errors.js';

/** `<what> cancelled`, as a FoureyesError with code `cancelled`. */
export function cancelledError(what: string): FoureyesError {
  return new FoureyesError('cancelled', `${what} cancelled`);
}

/** Throws `cancelled` when the signal has already fired (checked before anything is opened). */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw cancelledError(what);
}

/**
 * Waits for `p` unless `signal` fires first; then rejects with `cancelled` at once. A value that arrives after the
 * abort is handed to `dispose` (a late socket or channel is destroyed, not leaked). The abort listener is removed
 * either way.
 */
export function untilAborted<T>(p: Promise<T>, signal: AbortSignal | undefined, what: string, dispose?: (late: T) => void): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) {
    p.then((v) => dispose?.(v), () => undefined);
    return Promise.reject(cancelledError(what));
  }
  return new Promise<T>((resolve, reject) => {
    let cancelled = false;
    const onAbort = (): void => {
      cancelled = true;
      reject(cancelledError(what));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        if (cancelled) dispose?.(v);
        else resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** A signal that fires when either fires (undefined when neither is given). */
export function eitherSignal(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (!a || a === b) return b;
  if (!b) return a;
  return AbortSignal.any([a, b]);
}
