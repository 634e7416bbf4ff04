/**
 * A Confluence server for the publish tests: a real HTTP server on 127.0.0.1 (a port of the system's choosing) with
 * exactly the REST endpoints Foureyes uses, pages and attachments kept in memory, every request recorded (method,
 * path, headers, body). As Confluence does, it answers 401 without the expected Authorization header; refuses a
 * second page of the same title in a space and a second attachment of the same name on a page (400); answers 409 to
 * a PUT whose version is not the current one + 1; and 403 to an attachment upload without X-Atlassian-Token:
 * no-check. `failWhen` makes it answer an error for chosen requests; `dropAfter(n)` destroys the connection of every
 * request after the n-th.
 *   GET  /rest/api/content?spaceKey&title[&type][&expand=version,body.storage,ancestors]
 *   POST /rest/api/content                      PUT /rest/api/content/{id}
 *   GET  /rest/api/content/{id}/child/attachment?filename[&expand=version]
 *   POST /rest/api/content/{id}/child/attachment (multipart "file")
 *   POST /rest/api/content/{id}/child/attachment/{attId}/data (multipart "file")
 *   GET  /download/attachments/{pageId}/{name}
 * Paths are under `contextPath` (as /confluence or /wiki on a real server).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAttachment {
  id: string;
  name: string;
  mediaType: string;
  version: number;
  bytes: Buffer;
}

export interface FakePage {
  id: string;
  space: string;
  title: string;
  /** The parent's id, or null at the top of the space. */
  parent: string | null;
  version: number;
  body: string;
  attachments: FakeAttachment[];
}

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface FakeConfluence {
  /** The base URL to give Foureyes (with the context path). */
  url: string;
  pages: Map<string, FakePage>;
  requests: RecordedRequest[];
  /** Answer `status` with `message` (Confluence's error JSON) to the requests `when` picks. */
  failWhen(when: ((r: RecordedRequest) => boolean) | null, status?: number, message?: string): void;
  /** Destroy the connection, without an answer, of every request after the `n`-th from now (null: never). */
  dropAfter(n: number | null): void;
  /** Carry out the requests `when` picks, then destroy the connection instead of answering. */
  dropAnswerWhen(when: ((r: RecordedRequest) => boolean) | null): void;
  page(space: string, title: string): FakePage | undefined;
  close(): Promise<void>;
}

export interface FakeOptions {
  /** The Authorization header every request must carry, exactly. */
  authorization: string;
  spaces?: string[];
  contextPath?: string;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startFakeConfluence(o: FakeOptions): Promise<FakeConfluence> {
  const ctx = o.contextPath ?? '';
  const spaces = new Set(o.spaces ?? ['SEC']);
  const pages = new Map<string, FakePage>();
  const requests: RecordedRequest[] = [];
  let nextId = 1000;
  let fail: { when: (r: RecordedRequest) => boolean; status: number; message: string } | null = null;
  let dropFrom: number | null = null;
  let dropAnswer: ((r: RecordedRequest) => boolean) | null = null;
  const silent = new WeakSet<ServerResponse>();

  const send = (res: ServerResponse, status: number, body: unknown) => {
    if (silent.has(res)) {
      res.socket?.destroy();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };
  const error = (res: ServerResponse, status: number, message: string) =>
    send(res, status, {
      statusCode: status,
      data: { authorized: status !== 401, valid: false, errors: [] },
      message,
      reason: 'Error',
    });

  const chain = (p: FakePage): FakePage[] => {
    const out: FakePage[] = [];
    for (let at = p.parent; at !== null; at = pages.get(at)?.parent ?? null) out.unshift(pages.get(at)!);
    return out;
  };
  const pageJson = (p: FakePage, expand: string[]) => ({
    id: p.id,
    type: 'page',
    status: 'current',
    title: p.title,
    space: { key: p.space },
    version: { number: p.version },
    ...(expand.includes('ancestors')
      ? { ancestors: chain(p).map((a) => ({ id: a.id, type: 'page', title: a.title })) }
      : {}),
    ...(expand.includes('body.storage')
      ? { body: { storage: { value: p.body, representation: 'storage' } } }
      : {}),
    _links: { webui: `/pages/viewpage.action?pageId=${p.id}` },
  });
  const attachmentJson = (p: FakePage, a: FakeAttachment) => ({
    id: a.id,
    type: 'attachment',
    status: 'current',
    title: a.name,
    version: { number: a.version },
    extensions: { mediaType: a.mediaType, fileSize: a.bytes.length },
    _links: {
      download: `/download/attachments/${p.id}/${encodeURIComponent(a.name)}?version=${a.version}&api=v2`,
    },
  });
  const multipartFile = async (
    r: RecordedRequest,
  ): Promise<{ name: string; type: string; bytes: Buffer } | null> => {
    const ct = r.headers['content-type'];
    if (typeof ct !== 'string' || !ct.startsWith('multipart/form-data')) return null;
    const form = await new Request('http://fake/', {
      method: 'POST',
      headers: { 'content-type': ct },
      body: r.body,
    }).formData();
    const f = form.get('file');
    if (!f || typeof f === 'string') return null;
    return { name: f.name, type: f.type, bytes: Buffer.from(await f.arrayBuffer()) };
  };

  interface Content {
    type?: string;
    title?: string;
    space?: { key?: string };
    ancestors?: { id?: string }[];
    body?: { storage?: { value?: string; representation?: string } };
    version?: { number?: number };
  }
  const checkContent = (c: Content): string | null => {
    if (c.type !== 'page') return 'type must be page';
    if (typeof c.title !== 'string' || c.title.trim() === '') return "A page's title is required";
    if (!c.space?.key || !spaces.has(c.space.key)) return `No space with key : ${c.space?.key ?? ''}`;
    if (c.body?.storage?.representation !== 'storage' || typeof c.body.storage.value !== 'string')
      return 'body.storage with representation storage is required';
    const parent = c.ancestors?.[c.ancestors.length - 1]?.id;
    if (parent !== undefined && !pages.has(String(parent))) return `No parent with id ${parent}`;
    return null;
  };

  async function handle(req: IncomingMessage, res: ServerResponse, r: RecordedRequest) {
    if (req.headers.authorization !== o.authorization)
      return error(res, 401, 'This request requires authentication');
    if (fail?.when(r)) return error(res, fail.status, fail.message);
    const u = new URL(r.url, 'http://fake');
    if (!u.pathname.startsWith(`${ctx}/`)) return error(res, 404, 'Not found');
    const path = u.pathname.slice(ctx.length);
    const expand = (u.searchParams.get('expand') ?? '').split(',');
    let m: RegExpExecArray | null;

    if (path === '/rest/api/content' && r.method === 'GET') {
      const space = u.searchParams.get('spaceKey');
      const title = u.searchParams.get('title');
      const found = [...pages.values()].filter((p) => p.space === space && p.title === title);
      return send(res, 200, {
        results: found.map((p) => pageJson(p, expand)),
        start: 0,
        limit: 25,
        size: found.length,
      });
    }
    if (path === '/rest/api/content' && r.method === 'POST') {
      const c = JSON.parse(r.body.toString('utf8')) as Content;
      const bad = checkContent(c);
      if (bad) return error(res, 400, bad);
      if (
        [...pages.values()].some(
          (p) => p.space === c.space!.key && p.title.toLowerCase() === c.title!.toLowerCase(),
        )
      )
        return error(
          res,
          400,
          'A page with this title already exists: A page already exists with the same TITLE in this space',
        );
      const parent = c.ancestors?.[c.ancestors.length - 1]?.id;
      const p: FakePage = {
        id: String(nextId++),
        space: c.space!.key!,
        title: c.title!,
        parent: parent !== undefined ? String(parent) : null,
        version: 1,
        body: c.body!.storage!.value!,
        attachments: [],
      };
      pages.set(p.id, p);
      return send(res, 200, pageJson(p, ['version', 'ancestors', 'body.storage']));
    }
    if ((m = /^\/rest\/api\/content\/(\d+)$/.exec(path)) && r.method === 'PUT') {
      const p = pages.get(m[1]!);
      if (!p) return error(res, 404, `No content found with id: ${m[1]}`);
      const c = JSON.parse(r.body.toString('utf8')) as Content;
      const bad = checkContent(c);
      if (bad) return error(res, 400, bad);
      if (c.version?.number !== p.version + 1)
        return error(res, 409, `Version must be incremented on update. Current version is: ${p.version}`);
      p.title = c.title!;
      p.body = c.body!.storage!.value!;
      const parent = c.ancestors?.[c.ancestors.length - 1]?.id;
      if (parent !== undefined) p.parent = String(parent);
      p.version += 1;
      return send(res, 200, pageJson(p, ['version', 'ancestors', 'body.storage']));
    }
    if ((m = /^\/rest\/api\/content\/(\d+)\/child\/attachment(?:\/([^/]+)\/data)?$/.exec(path))) {
      const p = pages.get(m[1]!);
      if (!p) return error(res, 404, `No content found with id: ${m[1]}`);
      if (r.method === 'GET' && m[2] === undefined) {
        const name = u.searchParams.get('filename');
        const found = p.attachments.filter((a) => name === null || a.name === name);
        return send(res, 200, { results: found.map((a) => attachmentJson(p, a)), size: found.length });
      }
      if (r.method !== 'POST') return error(res, 405, 'Method not allowed');
      if (req.headers['x-atlassian-token'] !== 'no-check') return error(res, 403, 'XSRF check failed');
      const file = await multipartFile(r);
      if (!file) return error(res, 400, 'No file in the multipart request');
      if (m[2] === undefined) {
        if (p.attachments.some((a) => a.name === file.name))
          return error(res, 400, 'Cannot add a new attachment with same file name as an existing attachment');
        const a: FakeAttachment = {
          id: `att${nextId++}`,
          name: file.name,
          mediaType: file.type,
          version: 1,
          bytes: file.bytes,
        };
        p.attachments.push(a);
        return send(res, 200, { results: [attachmentJson(p, a)], size: 1 });
      }
      const a = p.attachments.find((x) => x.id === m![2]);
      if (!a) return error(res, 404, `No attachment with id ${m[2]}`);
      a.bytes = file.bytes;
      a.mediaType = file.type;
      a.version += 1;
      return send(res, 200, attachmentJson(p, a));
    }
    if ((m = /^\/download\/attachments\/(\d+)\/([^/]+)$/.exec(path)) && r.method === 'GET') {
      const a = pages.get(m[1]!)?.attachments.find((x) => x.name === decodeURIComponent(m![2]!));
      if (!a) return error(res, 404, 'Not found');
      res.writeHead(200, { 'Content-Type': a.mediaType, 'Content-Length': a.bytes.length });
      return res.end(a.bytes);
    }
    return error(res, 404, `No endpoint ${r.method} ${path}`);
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const r: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: { ...req.headers },
        body: await readBody(req),
      };
      requests.push(r);
      if (dropFrom !== null && requests.length > dropFrom) {
        req.socket.destroy();
        return;
      }
      if (dropAnswer?.(r)) silent.add(res);
      try {
        await handle(req, res, r);
      } catch (e) {
        error(res, 500, (e as Error).message);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${ctx}`,
    pages,
    requests,
    failWhen(when, status = 400, message = 'Bad request') {
      fail = when ? { when, status, message } : null;
    },
    dropAfter(n) {
      dropFrom = n === null ? null : requests.length + n;
    },
    dropAnswerWhen(when) {
      dropAnswer = when;
    },
    page: (space, title) => [...pages.values()].find((p) => p.space === space && p.title === title),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
