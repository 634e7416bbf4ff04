import { FoureyesError } from '../../shared/model/errors.js';

/** Thrown by methods whose machinery is not part of this build yet. */
export function notAvailable(what: string): never {
  throw new FoureyesError('internal', `${what} is not available in this build yet`);
}
