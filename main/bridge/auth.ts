/**
 * Who may talk to the bridge. It listens on 127.0.0.1 only, but any local process and any web page the user opens
 * can reach 127.0.0.1, so each request must prove it holds this launch's secret and come from our own origin:
 *
 * - Host header must be 127.0.0.1:<port> or localhost:<port> (defeats DNS rebinding: a foreign name resolving to
 *   127.0.0.1 still carries its own name in Host).
 * - Origin, when present, must be exactly http://<that Host>; API POSTs and the WebSocket upgrade must carry one.
 * - API calls and the events socket prove themselves with the launch token only: `Authorization: Bearer <token>` on
 *   a call, the subprotocol `foureyes.bearer.<token>` on the socket (a browser cannot set headers there). The page
 *   reads the token from the start-up URL once, keeps it in memory (and in sessionStorage, per origin, for a
 *   reload) and removes it from the address bar. A page of any other origin, another port of 127.0.0.1 included,
 *   can read neither.
 * - The session cookie, set when the page is opened with `?token=<token>`, lets the browser load the page's files and
 *   nothing else: cookies ignore ports, so any other local web server the browser visits receives it. Its name is
 *   per instance, so two instances do not replace each other's.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { BEARER_PROTOCOL_PREFIX } from '../../shared/api/http-transport.js';

/** Prefix of the session cookie's name; the rest is random per instance. */
export const SESSION_COOKIE_PREFIX = 'foureyes_session_';

export interface BridgeSecrets {
  /** Printed in the start-up URL; the only credential of API calls and the events socket. */
  token: string;
  /** Value of the session cookie (distinct from the token, never printed); lets a browser load the page only. */
  session: string;
  /** Name of the session cookie: SESSION_COOKIE_PREFIX plus random hex, per instance. */
  cookieName: string;
}

/** 32 random bytes, base64url. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function newSecrets(): BridgeSecrets {
  return { token: newSecret(), session: newSecret(), cookieName: `${SESSION_COOKIE_PREFIX}${randomBytes(8).toString('hex')}` };
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

/** API calls: true only when the request carries the launch token as Bearer (a cookie is never enough). */
export function hasToken(headers: IncomingHttpHeaders, secrets: BridgeSecrets): boolean {
  const given = bearerToken(headers.authorization);
  return given !== undefined && secretEquals(given, secrets.token);
}

/** The events socket: the token as Bearer (non-browser clients) or as the `foureyes.bearer.<token>` subprotocol. */
export function socketHasToken(headers: IncomingHttpHeaders, secrets: BridgeSecrets): boolean {
  if (headers.authorization !== undefined) return hasToken(headers, secrets);
  const offered = String(headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.startsWith(BEARER_PROTOCOL_PREFIX));
  return offered.length === 1 && secretEquals(offered[0]!.slice(BEARER_PROTOCOL_PREFIX.length), secrets.token);
}

/** Loading the page's files: the token as Bearer, or this instance's session cookie. */
export function mayLoadPage(headers: IncomingHttpHeaders, secrets: BridgeSecrets): boolean {
  if (headers.authorization !== undefined) return hasToken(headers, secrets);
  return secretEquals(parseCookies(headers.cookie).get(secrets.cookieName), secrets.session);
}

export function sessionCookie(secrets: BridgeSecrets): string {
  return `${secrets.cookieName}=${secrets.session}; HttpOnly; SameSite=Strict; Path=/`;
}
