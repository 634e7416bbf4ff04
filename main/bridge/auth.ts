/**
 * Who may talk to the bridge. It listens on 127.0.0.1 only, but any local process and any web page the user opens
 * can reach 127.0.0.1, so each request must prove it holds this launch's secret and come from our own origin:
 *
 * - Host header must be 127.0.0.1:<port> or localhost:<port> (defeats DNS rebinding: a foreign name resolving to
 *   127.0.0.1 still carries its own name in Host).
 * - Origin, when present, must be exactly http://<that Host>; API POSTs and the WebSocket upgrade must carry one.
 * - Credentials: `Authorization: Bearer <token>` (scripts, tests), or the session cookie the bridge sets when the
 *   page is first opened with `?token=<token>` (HttpOnly: page code never sees it; SameSite=Strict: other sites'
 *   requests never carry it).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const SESSION_COOKIE = 'foureyes_session';

export interface BridgeSecrets {
  /** Printed in the start-up URL; accepted as Bearer token and as ?token= on a page load. */
  token: string;
  /** Value of the session cookie (distinct from the token, never printed). */
  session: string;
}

/** 32 random bytes, base64url. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function newSecrets(): BridgeSecrets {
  return { token: newSecret(), session: newSecret() };
}

/** Constant-time comparison of two strings of any length. */
export function secretEquals(given: string | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

export type OriginCheck = 'ok' | 'missing' | 'foreign';

export function checkOrigin(origin: string | undefined, host: string): OriginCheck {
  if (origin === undefined) return 'missing';
  return origin === `http://${host}` ? 'ok' : 'foreign';
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(authorization ?? '');
  return m?.[1];
}

/** True when the request carries the launch token as Bearer, or the session cookie. */
export function isAuthenticated(headers: IncomingHttpHeaders, secrets: BridgeSecrets): boolean {
  const bearer = bearerToken(headers.authorization);
  if (bearer !== undefined) return secretEquals(bearer, secrets.token);
  return secretEquals(parseCookies(headers.cookie).get(SESSION_COOKIE), secrets.session);
}

export function sessionCookie(secrets: BridgeSecrets): string {
  return `${SESSION_COOKIE}=${secrets.session}; HttpOnly; SameSite=Strict; Path=/`;
}
