/**
 * Remembered API tokens of publishing targets: opaque ciphertext per service, URL and user. This repository never
 * sees a token in clear: the publish service seals and opens them with the OS keychain (main/secrets/envelope.ts).
 */
import { FoureyesError } from '../../../shared/model/errors.js';
import type { StoreContext } from '../context.js';

export type PublishService = 'confluence' | 'jira';

export interface PublishTokenRecord {
  service: PublishService;
  url: string;
  user: string;
  storedAt: string;
  storedBy: string;
}

interface Row {
  service: PublishService;
  url: string;
  user: string;
  stored_at: string;
  stored_by: string;
}

export class PublishTokensRepo {
  constructor(private readonly ctx: StoreContext) {}

  /** Stores (or replaces) the ciphertext of a target's token. */
  put(service: PublishService, url: string, user: string, ciphertext: Buffer, storedBy: string): void {
    if (!Buffer.isBuffer(ciphertext) || ciphertext.length === 0)
      throw new FoureyesError('internal', 'a remembered token must be non-empty ciphertext');
    this.ctx
      .sql(
        `INSERT INTO publish_token (service, url, user, ciphertext, stored_at, stored_by)
         VALUES (@service, @url, @user, @ciphertext, @stored_at, @stored_by)
         ON CONFLICT (service, url, user) DO UPDATE SET
           ciphertext = excluded.ciphertext, stored_at = excluded.stored_at, stored_by = excluded.stored_by`,
      )
      .run({
        service,
        url,
        user,
        ciphertext,
        stored_at: this.ctx.now(),
        stored_by: storedBy.trim() || 'unknown user',
      });
  }

  blob(service: PublishService, url: string, user: string): Buffer | undefined {
    return this.ctx
      .sql<[string, string, string], { ciphertext: Buffer }>(
        'SELECT ciphertext FROM publish_token WHERE service = ? AND url = ? AND user = ?',
      )
      .get(service, url, user)?.ciphertext;
  }

  /** Removes a target's token; whether one was there. */
  forget(service: PublishService, url: string, user: string): boolean {
    return (
      this.ctx
        .sql<[string, string, string]>('DELETE FROM publish_token WHERE service = ? AND url = ? AND user = ?')
        .run(service, url, user).changes > 0
    );
  }

  list(): PublishTokenRecord[] {
    return this.ctx
      .sql<[], Row>(
        'SELECT service, url, user, stored_at, stored_by FROM publish_token ORDER BY service, url, user',
      )
      .all()
      .map((r) => ({
        service: r.service,
        url: r.url,
        user: r.user,
        storedAt: r.stored_at,
        storedBy: r.stored_by,
      }));
  }
}
