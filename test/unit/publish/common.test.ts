/**
 * The REST client of main/publish/common.ts against a real HTTP server on 127.0.0.1: the Authorization header
 * (Bearer, Basic), JSON both ways, an error naming the object and operation with the server's message made safe
 * for a terminal and scrubbed of the token (even when the server echoes it), a redirect refused without following
 * it, a request that takes too long ended by the timeout, a refused connection; base URLs checked.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  authHeader,
  checkBaseUrl,
  restClient,
  RestError,
  serverMessage,
} from '../../../main/publish/common.js';

const TOKEN = 'CANARY_COMMON_TOKEN_2P7';
let server: Server;
let url: string;
let handler: (req: IncomingMessage, body: string, res: ServerResponse) => void;
const seen: { headers: IncomingMessage['headers']; body: string; url: string }[] = [];

beforeEach(async () => {
  seen.length = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ headers: req.headers, body, url: req.url ?? '' });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ctx`;
});
afterEach(
  () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
);

async function thrown(p: Promise<unknown>): Promise<RestError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RestError);
    return e as RestError;
  }
  throw new Error('no error');
}
const req = { what: 'page "Finding 3: root login"', op: 'create' } as const;

describe('REST client', () => {
  it('sends the token in the Authorization header and JSON both ways', async () => {
    handler = (_q, body, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ echo: JSON.parse(body) as unknown }));
    };
    const c = restClient({ baseUrl: `${url}/`, auth: { kind: 'bearer', token: TOKEN } });
    const r = await c.request<{ echo: unknown }>({
      method: 'POST',
      path: '/rest/x',
      query: { a: 'b c' },
      json: { n: 1 },
      ...req,
    });
    expect(r.echo).toEqual({ n: 1 });
    expect(seen[0]!.url).toBe('/ctx/rest/x?a=b+c');
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    const basic = restClient({
      baseUrl: url,
      auth: { kind: 'basic', user: 'ann@example.org', token: TOKEN },
    });
    await basic.request({ method: 'POST', path: '/rest/x', json: {}, ...req });
    expect(seen[1]!.headers.authorization).toBe(
      `Basic ${Buffer.from(`ann@example.org:${TOKEN}`).toString('base64')}`,
    );
    expect(authHeader({ kind: 'bearer', token: 't' })).toBe('Bearer t');
    // A user with a colon would be read as another user and password: refused before any request.
    expect(() => restClient({ baseUrl: url, auth: { kind: 'basic', user: 'ann:x', token: TOKEN } })).toThrow(
      'the user (account e-mail) cannot hold a colon or a control character',
    );
  });

  it("names the object, the operation and the server's message, made safe and without the token", async () => {
    handler = (q, _b, res) => {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          statusCode: 400,
          message: `bad \u001b]0;pwned\u0007 title; you sent ${q.headers.authorization}`,
        }),
      );
    };
    const c = restClient({ baseUrl: url, auth: { kind: 'bearer', token: TOKEN } });
    const e = await thrown(c.request({ method: 'POST', path: '/rest/x', json: {}, ...req }));
    expect(e.status).toBe(400);
    expect(e.code).toBe('bad_input');
    expect(e.message).toBe(
      'page "Finding 3: root login": create: server said 400: bad \\x1b]0;pwned\\x07 title; you sent Bearer [token]',
    );
    expect(e.message).not.toContain(TOKEN);
  });

  it('refuses a redirect without following it, and answers 401 as auth_failed', async () => {
    handler = (q, _b, res) => {
      if (q.url?.endsWith('/moved')) {
        res.writeHead(302, { Location: 'http://127.0.0.2:1/steal' });
        return res.end();
      }
      res.writeHead(401, { 'Content-Type': 'text/plain' });
      res.end('Unauthorized\n');
    };
    const c = restClient({ baseUrl: url, auth: { kind: 'bearer', token: TOKEN } });
    const moved = await thrown(c.request({ method: 'GET', path: '/moved', ...req }));
    expect(moved.message).toContain('the server redirects GET /ctx/moved to http://127.0.0.2:1/steal');
    expect(seen).toHaveLength(1);
    const denied = await thrown(c.request({ method: 'GET', path: '/x', ...req }));
    expect(denied.code).toBe('auth_failed');
    expect(denied.message).toBe('page "Finding 3: root login": create: server said 401: Unauthorized');
  });

  it('ends a request that takes too long, and names a refused connection', async () => {
    handler = () => undefined; // never answers
    const c = restClient({ baseUrl: url, auth: { kind: 'bearer', token: TOKEN }, timeoutMs: 300 });
    const slow = await thrown(c.request({ method: 'GET', path: '/slow', ...req }));
    expect(slow.code).toBe('timeout');
    expect(slow.message).toMatch(
      /^page "Finding 3: root login": create: no reply from http:\/\/127\.0\.0\.1:\d+\/ctx within 0\.3 s/,
    );
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
    const gone = restClient({ baseUrl: `http://127.0.0.1:${port}`, auth: { kind: 'bearer', token: TOKEN } });
    const refused = await thrown(gone.request({ method: 'GET', path: '/x', ...req }));
    expect(refused.code).toBe('connect_refused');
    expect(refused.message).toContain('cannot reach http://127.0.0.1');
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });

  it('checks base URLs and reads Confluence and Jira error bodies', () => {
    expect(checkBaseUrl('https://wiki.example.org/confluence/')).toBe('https://wiki.example.org/confluence');
    expect(checkBaseUrl('http://127.0.0.1:8090')).toBe('http://127.0.0.1:8090');
    expect(() => checkBaseUrl('ftp://wiki.example.org')).toThrow(/only http and https/);
    expect(() => checkBaseUrl('https://ann:tok@wiki.example.org')).toThrow(
      /must not carry a user name or password/,
    );
    expect(() => checkBaseUrl('https://wiki.example.org/?a=1')).toThrow(/without a query/);
    expect(() => checkBaseUrl('wiki.example.org')).toThrow(/is not a URL/);
    expect(
      serverMessage('{"errorMessages":["Issue type is required"],"errors":{"summary":"too long"}}'),
    ).toBe('Issue type is required; summary: too long');
    expect(
      serverMessage(
        '{"statusCode":400,"data":{"errors":[{"message":{"translation":"Bad parent"}}]},"message":"Invalid"}',
      ),
    ).toBe('Invalid; Bad parent');
    expect(serverMessage('<html>\n  Oops </html>')).toBe('<html> Oops </html>');
  });
});
