/**
 * Browser mode: the API and the renderer's files over HTTP on 127.0.0.1, events over one WebSocket. Same handler
 * table as the Electron IPC transport (a Dispatch), same CSP. See auth.ts for who may connect.
 *
 *   GET  /?token=<token>     the page (index.html), and the session cookie that lets the browser load its files;
 *                            the page takes the token from its URL and removes it. No redirect of any kind.
 *   GET  /<file>             renderer/dist (placeholder page when not built); session cookie or Bearer token
 *   POST /api/<method>       Bearer token; JSON body = input; reply = Reply JSON (HTTP 200 for every API outcome)
 *   GET  /events (upgrade)   WebSocket, token as subprotocol; frames `{ "event": name, "payload": {...} }`
 *
 * Refusals: 403 foreign Host or Origin (or no Origin on a POST or upgrade), 401 no or wrong credentials (a session
 * cookie alone is never enough for the API or the socket), 415 not JSON, 413 body too large, 405 other methods.
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
  hasToken,
  isAllowedHost,
  mayLoadPage,
  newSecrets,
  secretEquals,
  sessionCookie,
  socketHasToken,
  type BridgeSecrets,
} from './auth.js';
import { BodyTooLarge, readBody, send, sendJson, sendText } from './http-util.js';
import { EventSockets } from './event-sockets.js';
import { jsonShape } from './json-depth.js';

/** Largest API request body: a 4 Mi-character inventory import plus JSON escaping. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Deepest nesting of arrays and objects an API body may have (every input of the contract is far shallower). */
export const MAX_JSON_DEPTH = 32;
/** Most values (arrays, objects and the items in them) an API body may hold; the largest input holds about 10,000. */
export const MAX_JSON_VALUES = 100_000;

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
    if (!socketHasToken(req.headers, secrets)) return refuse('401 Unauthorized');
    if (pathOf(req) !== '/events') return refuse('404 Not Found');
    sockets.accept(req, socket, head);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host;
    if (!isAllowedHost(host, port)) return sendText(res, 403, headers, 'host not allowed');
    const origin = checkOrigin(req.headers.origin, host!);
    if (origin === 'foreign') return sendText(res, 403, headers, 'origin not allowed');
    const url = requestUrl(req, host!);
    const method = req.method ?? 'GET';

    const notSignedIn = () =>
      sendText(res, 401, headers, 'Not signed in: open the URL Foureyes printed at start-up (it carries the token).');
    if (url.pathname.startsWith('/api/')) {
      if (method !== 'POST') return sendText(res, 405, headers, 'POST expected', { Allow: 'POST' });
      if (origin === 'missing') return sendText(res, 403, headers, 'Origin header required');
      if (!hasToken(req.headers, secrets)) return notSignedIn();
      return api(req, res, safeDecode(url.pathname.slice('/api/'.length)));
    }
    const token = url.searchParams.get('token');
    // The start-up URL: the page itself, at its one fixed path, with the cookie for its files.
    if ((method === 'GET' || method === 'HEAD') && token !== null) {
      if (!secretEquals(token, secrets.token)) return sendText(res, 401, headers, 'wrong token');
      if (url.pathname !== '/' && url.pathname !== '/index.html')
        return sendText(res, 404, headers, 'the start-up URL is / with its token');
      const page = await readStaticFile(opts.staticDir, '/');
      return send(res, page.status, headers, page.body, {
        'Content-Type': page.contentType,
        'Set-Cookie': sessionCookie(secrets),
      });
    }
    if (!mayLoadPage(req.headers, secrets)) return notSignedIn();
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
    const shape = jsonShape(body, { depth: MAX_JSON_DEPTH, values: MAX_JSON_VALUES });
    if (shape !== 'ok')
      return sendJson(res, headers, {
        ok: false,
        error: {
          code: 'bad_input',
          message:
            shape === 'too_deep'
              ? `${name}: request body nests deeper than ${MAX_JSON_DEPTH} levels`
              : `${name}: request body holds more than ${MAX_JSON_VALUES.toLocaleString('en-US')} values`,
        },
      });
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

/**
 * The request target as a URL of this server. Appended to our own origin rather than resolved against it, so a
 * target such as `//evil.example/x` stays a path of ours instead of naming another host.
 */
function requestUrl(req: IncomingMessage, host: string): URL {
  const target = req.url ?? '/';
  try {
    return new URL(`http://${host}${target.startsWith('/') ? target : `/${target}`}`);
  } catch {
    return new URL(`http://${host}/`);
  }
}

function pathOf(req: IncomingMessage): string {
  return requestUrl(req, 'x').pathname;
}
