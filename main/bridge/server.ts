/**
 * Browser mode: the API and the renderer's files over HTTP on 127.0.0.1, events over one WebSocket. Same handler
 * table as the Electron IPC transport (a Dispatch), same CSP. See auth.ts for who may connect.
 *
 *   GET  /?token=<token>     sets the session cookie, then 303 to the same path without the token
 *   GET  /<file>             renderer/dist (placeholder page when not built)
 *   POST /api/<method>       JSON body = input; reply = Reply JSON (HTTP 200 for every API-level outcome)
 *   GET  /events (upgrade)   WebSocket; server -> client frames `{ "event": name, "payload": {...} }`
 *
 * Refusals: 403 foreign Host or Origin (or no Origin on a POST or upgrade), 401 no or wrong credentials,
 * 415 not JSON, 413 body too large, 405 other methods.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { contentSecurityPolicy, securityHeaders } from '../shell/security.js';
import { readStaticFile } from '../api/static-files.js';
import type { Dispatch } from '../api/registry.js';
import type { EventHub } from '../api/event-hub.js';
import type { ApiLogger } from '../api/log.js';
import {
  checkOrigin,
  isAllowedHost,
  isAuthenticated,
  newSecrets,
  secretEquals,
  sessionCookie,
  type BridgeSecrets,
} from './auth.js';
import { BodyTooLarge, readBody, send, sendJson, sendText } from './http-util.js';
import { EventSockets } from './event-sockets.js';

/** Largest API request body: a 4 Mi-character inventory import plus JSON escaping. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface BridgeOptions {
  dispatch: Dispatch;
  events: EventHub;
  /** Built renderer (renderer/dist). */
  staticDir: string;
  /** 0 (default): a free port. */
  port?: number;
  log: ApiLogger;
  /** Fixed secrets (tests); a fresh random pair otherwise. */
  secrets?: BridgeSecrets;
}

export interface Bridge {
  port: number;
  /** http://127.0.0.1:<port> */
  origin: string;
  /** The start-up URL, carrying the token. */
  url: string;
  token: string;
  /** Open /events sockets. */
  eventClientCount(): number;
  close(): Promise<void>;
}

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const secrets = opts.secrets ?? newSecrets();
  let port = 0;
  let headers: Record<string, string> = {};

  const sockets = new EventSockets(opts.events, opts.log);
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      opts.log.error('bridge request failed', { error: e instanceof Error ? e.stack : String(e) });
      if (!res.headersSent) sendText(res, 500, headers, 'internal error');
      else res.destroy();
    });
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const host = req.headers.host;
    if (!isAllowedHost(host, port) || checkOrigin(req.headers.origin, host!) !== 'ok')
      return refuse('403 Forbidden');
    if (!isAuthenticated(req.headers, secrets)) return refuse('401 Unauthorized');
    if (pathOf(req) !== '/events') return refuse('404 Not Found');
    sockets.accept(req, socket, head);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host;
    if (!isAllowedHost(host, port)) return sendText(res, 403, headers, 'host not allowed');
    const origin = checkOrigin(req.headers.origin, host!);
    if (origin === 'foreign') return sendText(res, 403, headers, 'origin not allowed');
    const url = new URL(req.url ?? '/', `http://${host}`);
    const method = req.method ?? 'GET';

    if ((method === 'GET' || method === 'HEAD') && url.searchParams.has('token')) {
      if (!secretEquals(url.searchParams.get('token') ?? '', secrets.token))
        return sendText(res, 401, headers, 'wrong token');
      url.searchParams.delete('token');
      return send(res, 303, headers, '', {
        Location: url.pathname + url.search,
        'Set-Cookie': sessionCookie(secrets),
      });
    }
    if (!isAuthenticated(req.headers, secrets)) {
      return sendText(
        res,
        401,
        headers,
        'Not signed in: open the URL Foureyes printed at start-up (it carries the token).',
      );
    }
    if (url.pathname.startsWith('/api/')) {
      if (method !== 'POST') return sendText(res, 405, headers, 'POST expected', { Allow: 'POST' });
      if (origin === 'missing') return sendText(res, 403, headers, 'Origin header required');
      return api(req, res, safeDecode(url.pathname.slice('/api/'.length)));
    }
    if (url.pathname === '/events')
      return sendText(res, 426, headers, 'WebSocket upgrade expected', { Upgrade: 'websocket' });
    if (method !== 'GET' && method !== 'HEAD')
      return sendText(res, 405, headers, 'method not allowed', { Allow: 'GET, HEAD' });
    const file = await readStaticFile(opts.staticDir, url.pathname);
    return send(res, file.status, headers, file.body, { 'Content-Type': file.contentType });
  }

  async function api(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json')
      return sendText(res, 415, headers, 'Content-Type application/json expected');
    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (e) {
      if (e instanceof BodyTooLarge)
        return sendText(res, 413, headers, 'request body too large', { Connection: 'close' });
      throw e;
    }
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return sendJson(res, headers, {
        ok: false,
        error: { code: 'bad_input', message: `${name}: request body is not JSON` },
      });
    }
    sendJson(res, headers, await opts.dispatch(name, input, { transport: 'http' }));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: opts.port ?? 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  headers = securityHeaders(
    contentSecurityPolicy({
      kind: 'browser',
      wsOrigins: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`],
    }),
  );
  const origin = `http://127.0.0.1:${port}`;

  return {
    port,
    origin,
    url: `${origin}/?token=${secrets.token}`,
    token: secrets.token,
    eventClientCount: () => sockets.size,
    close: async () => {
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://x').pathname;
  } catch {
    return '';
  }
}
