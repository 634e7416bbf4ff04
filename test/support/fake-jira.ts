/**
 * A Jira server for the publish tests: a real HTTP server on 127.0.0.1 (a port of the system's choosing) with the
 * REST v2 endpoints Foureyes uses, issues kept in memory, every request recorded (method, path and query, headers,
 * body). As Jira does, it answers 401 without the expected Authorization header, and 400 with its error JSON
 * (`errorMessages`, `errors` by field) to an issue it would refuse: no such project, no issue type, an empty
 * summary, a summary over 255 characters or with a line break, a description over 32767 characters, an unknown
 * priority, a label with white space. `failWhen` makes it answer an error for chosen requests; `dropAfter(n)`
 * destroys the connection of every request after the n-th; `dropAnswerWhen` carries a request out and then
 * destroys the connection instead of answering (an issue created whose key the client never hears of).
 *   POST /rest/api/2/search  {jql, startAt, maxResults, fields}     GET /rest/api/2/search?jql&startAt&maxResults
 *   POST /rest/api/2/issue   {fields}                               PUT /rest/api/2/issue/{key} {fields, update}
 *   with `cloudSearch`: /rest/api/2/search answers 410, POST /rest/api/2/search/jql {jql, nextPageToken} pages
 * The JQL understood is what Foureyes sends: `project = "KEY" AND labels in ("a", …)` or `labels = "a"`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeIssue {
  id: string;
  key: string;
  fields: {
    project: string;
    issuetype: string;
    summary: string;
    description: string;
    priority: string;
    labels: string[];
    components: string[];
    duedate: string | null;
  };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface FakeJira {
  url: string;
  issues: FakeIssue[];
  requests: RecordedRequest[];
  /** Answer `status` with Jira's error JSON to the requests `when` picks (null: none). */
  failWhen(
    when: ((r: RecordedRequest) => boolean) | null,
    status?: number,
    errors?: Record<string, string>,
  ): void;
  dropAfter(n: number | null): void;
  dropAnswerWhen(when: ((r: RecordedRequest) => boolean) | null): void;
  /** The issues carrying `label`. */
  withLabel(label: string): FakeIssue[];
  close(): Promise<void>;
}

const PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];

export interface FakeJiraOptions {
  /** The Authorization header every request must carry. */
  authorization: string;
  projects?: string[];
  /** The most issues one search page holds (Jira's cap; small to make the client page). */
  pageSize?: number;
  /** As a Cloud site after the old search was removed: /rest/api/2/search answers 410, /search/jql pages by token. */
  cloudSearch?: boolean;
}

type Json = Record<string, unknown>;

export async function fakeJira(o: FakeJiraOptions): Promise<FakeJira> {
  const projects = new Set(o.projects ?? ['SEC']);
  const pageSize = o.pageSize ?? 50;
  const issues: FakeIssue[] = [];
  const requests: RecordedRequest[] = [];
  let fail: { when: (r: RecordedRequest) => boolean; status: number; errors: Record<string, string> } | null =
    null;
  let dropFrom: number | null = null;
  let dropAnswer: ((r: RecordedRequest) => boolean) | null = null;
  let next = 1;

  const send = (res: ServerResponse, status: number, body?: unknown) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };
  const refuse = (res: ServerResponse, errors: Record<string, string>, errorMessages: string[] = []) =>
    send(res, 400, { errorMessages, errors });

  function view(i: FakeIssue, fields: readonly string[] | null) {
    const all: Json = {
      summary: i.fields.summary,
      description: i.fields.description,
      priority: { name: i.fields.priority, id: String(PRIORITIES.indexOf(i.fields.priority) + 1) },
      labels: [...i.fields.labels].sort(),
      components: i.fields.components.map((name, n) => ({ id: String(n + 1), name })),
      duedate: i.fields.duedate,
      issuetype: { name: i.fields.issuetype },
      project: { key: i.fields.project },
    };
    const picked =
      fields === null ? all : Object.fromEntries(Object.entries(all).filter(([k]) => fields.includes(k)));
    return { id: i.id, key: i.key, self: `/rest/api/2/issue/${i.id}`, fields: picked };
  }

  function search(
    res: ServerResponse,
    jql: string,
    startAt: number,
    maxResults: number,
    fields: string[] | null,
    byToken = false,
  ) {
    const project = /project\s*=\s*"?([A-Z][A-Z0-9_]*)"?/.exec(jql)?.[1];
    const inList = /labels\s+in\s*\(([^)]*)\)/.exec(jql)?.[1];
    const eq = /labels\s*=\s*"([^"]*)"/.exec(jql)?.[1];
    const labels =
      inList !== undefined
        ? [...inList.matchAll(/"([^"]*)"/g)].map((m) => m[1]!)
        : eq !== undefined
          ? [eq]
          : null;
    if (labels === null) return refuse(res, {}, [`The JQL query is not understood: ${jql}`]);
    if (project !== undefined && !projects.has(project))
      return refuse(res, {}, [`The value '${project}' does not exist for the field 'project'.`]);
    const hits = issues.filter(
      (i) =>
        (project === undefined || i.fields.project === project) &&
        i.fields.labels.some((l) => labels.includes(l)),
    );
    const n = Math.min(maxResults, pageSize);
    const page = hits.slice(startAt, startAt + n).map((i) => view(i, fields));
    if (byToken) {
      const last = startAt + n >= hits.length;
      return send(res, 200, {
        issues: page,
        isLast: last,
        ...(last ? {} : { nextPageToken: Buffer.from(String(startAt + n)).toString('base64') }),
      });
    }
    send(res, 200, { startAt, maxResults: n, total: hits.length, issues: page });
  }

  function problems(f: Json, creating: boolean): Record<string, string> {
    const errors: Record<string, string> = {};
    if (creating) {
      const p = (f.project as { key?: string } | undefined)?.key;
      if (!p || !projects.has(p)) errors.project = 'valid project is required';
      if (!(f.issuetype as { name?: string } | undefined)?.name) errors.issuetype = 'issue type is required';
    }
    if (creating || 'summary' in f) {
      const s = f.summary;
      if (typeof s !== 'string' || s.trim() === '')
        errors.summary = 'You must specify a summary of the issue.';
      else if (s.length > 255) errors.summary = 'Summary must be less than 255 characters.';
      else if (/[\r\n]/.test(s))
        errors.summary = 'The summary is invalid because it contains newline characters.';
    }
    if (typeof f.description === 'string' && f.description.length > 32767)
      errors.description = 'The entered text is too long. It exceeds the allowed limit of 32,767 characters.';
    const pr = (f.priority as { name?: string } | undefined)?.name;
    if (f.priority !== undefined && (pr === undefined || !PRIORITIES.includes(pr)))
      errors.priority = `Priority name '${pr}' is not valid`;
    for (const l of (f.labels as string[] | undefined) ?? [])
      if (/\s/.test(l) || l.length > 255) errors.labels = 'The label must not contain spaces.';
    return errors;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, r: RecordedRequest) {
    if (req.headers.authorization !== o.authorization)
      return send(res, 401, {
        errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
        errors: {},
      });
    if (fail?.when(r)) return send(res, fail.status, { errorMessages: [], errors: fail.errors });
    const u = new URL(r.url, 'http://127.0.0.1');
    const body = (r.body ? JSON.parse(r.body) : {}) as Json;
    if (o.cloudSearch && u.pathname === '/rest/api/2/search')
      return send(res, 410, {
        errorMessages: [
          'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.',
        ],
        errors: {},
      });
    if (o.cloudSearch && u.pathname === '/rest/api/2/search/jql' && req.method === 'POST') {
      const at =
        typeof body.nextPageToken === 'string'
          ? Number(Buffer.from(body.nextPageToken, 'base64').toString())
          : 0;
      return search(
        res,
        String(body.jql ?? ''),
        at,
        Number(body.maxResults ?? 50),
        (body.fields as string[]) ?? null,
        true,
      );
    }
    if (u.pathname === '/rest/api/2/search' && req.method === 'POST')
      return search(
        res,
        String(body.jql ?? ''),
        Number(body.startAt ?? 0),
        Number(body.maxResults ?? 50),
        (body.fields as string[]) ?? null,
      );
    if (u.pathname === '/rest/api/2/search' && req.method === 'GET')
      return search(
        res,
        u.searchParams.get('jql') ?? '',
        Number(u.searchParams.get('startAt') ?? 0),
        Number(u.searchParams.get('maxResults') ?? 50),
        u.searchParams.get('fields')?.split(',') ?? null,
      );
    if (u.pathname === '/rest/api/2/issue' && req.method === 'POST') {
      const f = (body.fields ?? {}) as Json;
      const errors = problems(f, true);
      if (Object.keys(errors).length > 0) return refuse(res, errors);
      const project = (f.project as { key: string }).key;
      const id = String(10000 + next);
      const issue: FakeIssue = {
        id,
        key: `${project}-${next++}`,
        fields: {
          project,
          issuetype: (f.issuetype as { name: string }).name,
          summary: f.summary as string,
          description: (f.description as string | undefined) ?? '',
          priority: (f.priority as { name?: string } | undefined)?.name ?? 'Medium',
          labels: [...new Set((f.labels as string[] | undefined) ?? [])],
          components: ((f.components as { name: string }[] | undefined) ?? []).map((c) => c.name),
          duedate: (f.duedate as string | undefined) ?? null,
        },
      };
      issues.push(issue);
      if (dropAnswer?.(r)) return req.socket.destroy();
      return send(res, 201, { id, key: issue.key, self: `/rest/api/2/issue/${id}` });
    }
    const m = /^\/rest\/api\/2\/issue\/([^/]+)$/.exec(u.pathname);
    if (m && req.method === 'PUT') {
      const issue = issues.find((i) => i.key === decodeURIComponent(m[1]!));
      if (!issue)
        return send(res, 404, {
          errorMessages: ['Issue does not exist or you do not have permission to see it.'],
          errors: {},
        });
      const f = (body.fields ?? {}) as Json;
      const errors = problems(f, false);
      if (Object.keys(errors).length > 0) return refuse(res, errors);
      if (typeof f.summary === 'string') issue.fields.summary = f.summary;
      if (typeof f.description === 'string') issue.fields.description = f.description;
      if (f.priority) issue.fields.priority = (f.priority as { name: string }).name;
      if ('duedate' in f) issue.fields.duedate = (f.duedate as string | null) ?? null;
      if (Array.isArray(f.labels)) issue.fields.labels = f.labels as string[];
      const up = (body.update ?? {}) as Record<string, Json[]>;
      for (const op of up.labels ?? []) {
        if (typeof op.add === 'string' && !issue.fields.labels.includes(op.add))
          issue.fields.labels.push(op.add);
        if (typeof op.remove === 'string')
          issue.fields.labels = issue.fields.labels.filter((l) => l !== op.remove);
      }
      for (const op of up.components ?? []) {
        const name = (op.add as { name?: string } | undefined)?.name;
        if (name && !issue.fields.components.includes(name)) issue.fields.components.push(name);
      }
      if (dropAnswer?.(r)) return req.socket.destroy();
      return send(res, 204);
    }
    return send(res, 404, { errorMessages: [`no endpoint ${req.method} ${u.pathname}`], errors: {} });
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(r);
      if (dropFrom !== null && requests.length > dropFrom) {
        req.socket.destroy();
        return;
      }
      handle(req, res, r).catch((e: unknown) => send(res, 500, { errorMessages: [String(e)], errors: {} }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    issues,
    requests,
    failWhen(when, status = 400, errors = { summary: 'refused' }) {
      fail = when ? { when, status, errors } : null;
    },
    dropAfter(n) {
      dropFrom = n === null ? null : requests.length + n;
    },
    dropAnswerWhen(when) {
      dropAnswer = when;
    },
    withLabel: (label) => issues.filter((i) => i.fields.labels.includes(label)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
