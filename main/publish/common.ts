/**
 * What publishing to a server over REST (Confluence, Jira) shares: the base URL checked (http or https, no user or
 * password in it), the API token from a file that only its owner can read, an environment variable or a prompt
 * without echo, and a small JSON client over Node's fetch: one Authorization header (Bearer for a personal access
 * token, Basic user:token for Atlassian Cloud), a timeout on every request, redirects refused (a token is never sent
 * on to another address), bounded replies, and errors that name the object and the operation with the server's own
 * message made safe for a terminal (shared/text/controls.ts). The token is never part of a message, a file or a log:
 * every error text is scrubbed of it before it leaves the client.
 */
import { statSync, readFileSync } from 'node:fs';
import { FoureyesError, type ErrorCode } from '../../shared/model/errors.js';
import { visibleControls } from '../../shared/text/controls.js';

/** How the client authenticates: a personal access token (Bearer), or Cloud's e-mail address and API token (Basic). */
export type RestAuth = { kind: 'bearer'; token: string } | { kind: 'basic'; user: string; token: string };

/** The environment variables an API token may come from, per server. */
export const TOKEN_ENV = { confluence: 'FOUREYES_CONFLUENCE_TOKEN', jira: 'FOUREYES_JIRA_TOKEN' } as const;

/** The default time a single request may take, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** The most a reply may hold; a server sending more is refused. */
export const MAX_REPLY_BYTES = 32 * 1024 * 1024;
const MAX_MESSAGE = 400;

/**
 * The server's base URL (`--url`): absolute, http or https, with no user name, password, query or fragment. A path is
 * kept (a context path such as /confluence, or /wiki on Cloud), without its trailing slash.
 */
export function checkBaseUrl(raw: string, option = '--url'): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new FoureyesError('bad_input', `${option}: ${JSON.stringify(safeText(raw, 200))} is not a URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new FoureyesError(
      'bad_input',
      `${option}: only http and https URLs are accepted, not ${safeText(u.protocol, 40)}`,
    );
  if (u.username !== '' || u.password !== '')
    throw new FoureyesError(
      'bad_input',
      `${option}: the URL must not carry a user name or password; give the token with --token-file or the environment`,
    );
  if (u.search !== '' || u.hash !== '')
    throw new FoureyesError(
      'bad_input',
      `${option}: give the server's base URL, without a query or fragment`,
    );
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/** The Authorization header value for `auth`. */
export function authHeader(auth: RestAuth): string {
  return auth.kind === 'bearer'
    ? `Bearer ${auth.token}`
    : `Basic ${Buffer.from(`${auth.user}:${auth.token}`, 'utf8').toString('base64')}`;
}

/** Untrusted text on one line, control characters made visible, at most `max` characters. */
export function safeText(s: string, max = MAX_MESSAGE): string {
  const one = visibleControls(s, false);
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

export interface TokenSource {
  /** `--token-file`: a file only its owner may read or write (one trailing newline dropped). */
  file?: string | undefined;
  /** The environment variable that may hold the token, e.g. FOUREYES_CONFLUENCE_TOKEN. */
  envName: string;
  env?: NodeJS.ProcessEnv;
  /** Asks on the terminal without echo; undefined when there is no terminal. */
  ask?: ((question: string) => Promise<string | undefined>) | undefined;
  /** What the token is for, in the prompt: "Confluence API token for https://wiki.example". */
  label: string;
}

/** The API token: from `file`, else the environment variable, else asked. Never from the command line. */
export async function readToken(s: TokenSource): Promise<string> {
  if (s.file !== undefined) {
    let mode: number;
    try {
      mode = statSync(s.file).mode;
    } catch (e) {
      throw new FoureyesError(
        'bad_input',
        `--token-file: cannot read ${s.file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    if (process.platform !== 'win32' && (mode & 0o077) !== 0)
      throw new FoureyesError(
        'bad_input',
        `--token-file: ${s.file} can be read or written by others than its owner (mode ${(mode & 0o777)
          .toString(8)
          .padStart(4, '0')}); run chmod 600 on it`,
      );
    let text: string;
    try {
      text = readFileSync(s.file, 'utf8');
    } catch (e) {
      throw new FoureyesError(
        'bad_input',
        `--token-file: cannot read ${s.file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    return checkToken(text.replace(/\r?\n$/, ''), `--token-file ${s.file}`);
  }
  const fromEnv = (s.env ?? process.env)[s.envName];
  if (fromEnv !== undefined && fromEnv !== '') return checkToken(fromEnv, s.envName);
  const asked = s.ask ? await s.ask(`${s.label}: `) : undefined;
  if (asked === undefined)
    throw new FoureyesError(
      'bad_input',
      `no API token: give --token-file FILE, set ${s.envName}, or run on a terminal to be asked`,
    );
  return checkToken(asked, 'the token typed');
}

/** A token as HTTP can carry it: printable ASCII, no space (what an API token is); refused otherwise, naming where. */
export function checkToken(t: string, where: string): string {
  const token = t.trim();
  if (token === '') throw new FoureyesError('bad_input', `${where}: the token is empty`);
  if (!/^[\x21-\x7e]+$/.test(token))
    throw new FoureyesError(
      'bad_input',
      `${where}: the token holds a space, a control character or a character outside ASCII`,
    );
  return token;
}

/** A failed request: `status` is the HTTP status, or null when no reply came (network, timeout). */
export class RestError extends FoureyesError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly status: number | null,
    readonly serverMessage: string | null,
  ) {
    super(code, message, status !== null ? { status } : undefined);
    this.name = 'RestError';
  }
}

export interface RestRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path under the base URL, starting with a slash (e.g. /rest/api/content). */
  path: string;
  query?: Record<string, string | number>;
  /** A JSON body. */
  json?: unknown;
  /** A multipart body (then no Content-Type is set here: fetch writes it with its boundary). */
  form?: FormData;
  headers?: Record<string, string>;
  /** The object, for messages: `page "Finding 3: SSH root login"`. */
  what: string;
  /** The operation, for messages: "create", "look up", "upload attachment". */
  op: string;
}

export interface RestClientOptions {
  baseUrl: string;
  auth: RestAuth;
  timeoutMs?: number;
  /** Cancels every request under way. */
  signal?: AbortSignal;
  userAgent?: string;
}

export interface RestClient {
  readonly baseUrl: string;
  /** The parsed JSON reply (null for an empty one). A status other than 2xx throws a RestError. */
  request<T = unknown>(r: RestRequest): Promise<T>;
  /** The reply's bytes as they came (a download); errors as for `request`. */
  requestBytes(r: RestRequest): Promise<Buffer>;
  /** Whether the server has answered a request with 2xx: it took the token. */
  readonly accepted: boolean;
}

const codeOf = (status: number): ErrorCode =>
  status === 401 || status === 403
    ? 'auth_failed'
    : status === 404
      ? 'not_found'
      : status < 500
        ? 'bad_input'
        : 'internal';

/** The message a Confluence or Jira error reply carries, or the start of its text. */
export function serverMessage(body: string): string {
  try {
    const j = JSON.parse(body) as Record<string, unknown>;
    const parts: string[] = [];
    if (typeof j.message === 'string') parts.push(j.message);
    const data = j.data as { errors?: { message?: { translation?: unknown; key?: unknown } }[] } | undefined;
    for (const e of data?.errors ?? []) {
      const t = e.message?.translation ?? e.message?.key;
      if (typeof t === 'string') parts.push(t);
    }
    if (Array.isArray(j.errorMessages))
      for (const m of j.errorMessages) if (typeof m === 'string') parts.push(m);
    if (j.errors && typeof j.errors === 'object' && !Array.isArray(j.errors))
      for (const [k, v] of Object.entries(j.errors as Record<string, unknown>))
        if (typeof v === 'string') parts.push(`${k}: ${v}`);
    if (parts.length === 0 && typeof j.reason === 'string') parts.push(j.reason);
    if (parts.length > 0) return parts.join('; ');
  } catch {
    // not JSON: the text itself
  }
  return body.replace(/\s+/g, ' ').trim() || '(no message)';
}

async function readBounded(res: Response, what: string, op: string): Promise<Buffer> {
  const tooLarge = () =>
    new RestError(
      'bad_input',
      `${what}: ${op}: the server's reply is larger than ${MAX_REPLY_BYTES} bytes`,
      res.status,
      null,
    );
  if (Number(res.headers.get('content-length') ?? '0') > MAX_REPLY_BYTES) throw tooLarge();
  if (!res.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > MAX_REPLY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A client for the server at `baseUrl` (checked with checkBaseUrl). */
export function restClient(o: RestClientOptions): RestClient {
  const base = checkBaseUrl(o.baseUrl);
  // Basic authentication is user:token: a user holding `:` would be read as another user and password.
  if (o.auth.kind === 'basic' && (o.auth.user.includes(':') || /\p{Cc}/u.test(o.auth.user)))
    throw new FoureyesError(
      'bad_input',
      'the user (account e-mail) cannot hold a colon or a control character',
    );
  const origin = new URL(base).origin;
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const header = authHeader(o.auth);
  const secrets = [o.auth.token, header, header.replace(/^\S+ /, '')];
  // Whatever text leaves the client (a server's message, a network error) is scrubbed of the token first.
  const scrub = (s: string): string =>
    secrets.reduce((acc, x) => (x ? acc.split(x).join('[token]') : acc), s);
  const safe = (s: string): string => safeText(scrub(s));

  async function send(r: RestRequest): Promise<{ status: number; bytes: Buffer; where: string }> {
    if (!r.path.startsWith('/'))
      throw new RestError(
        'internal',
        `${r.what}: ${r.op}: the path ${safe(r.path)} is not under the base URL`,
        null,
        null,
      );
    const url = new URL(`${base}${r.path}`);
    // A path from a reply (a download link) stays on the server the token is for.
    if (url.origin !== origin)
      throw new RestError('bad_input', `${r.what}: ${r.op}: ${safe(r.path)} is not on ${base}`, null, null);
    for (const [k, v] of Object.entries(r.query ?? {})) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: header,
      'User-Agent': o.userAgent ?? 'Foureyes',
      ...r.headers,
    };
    let body: string | FormData | undefined;
    if (r.form !== undefined) body = r.form;
    else if (r.json !== undefined) {
      body = JSON.stringify(r.json);
      headers['Content-Type'] = 'application/json';
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
    const where = `${r.method} ${safe(url.pathname)}`;
    const failed = (e: unknown, during: string): RestError => {
      if (e instanceof RestError) return e;
      if (o.signal?.aborted) return new RestError('cancelled', `${r.what}: ${r.op}: cancelled`, null, null);
      if (timeout.aborted)
        return new RestError(
          'timeout',
          `${r.what}: ${r.op}: no reply from ${base} within ${timeoutMs / 1000} s (${where})`,
          null,
          null,
        );
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (e as Error).message;
      return new RestError(
        cause?.code === 'ECONNREFUSED' ? 'connect_refused' : 'unreachable',
        `${r.what}: ${r.op}: ${during} ${base} (${safe(String(why))}; ${where})`,
        null,
        null,
      );
    };
    let res: Response;
    try {
      res = await fetch(url, { method: r.method, headers, body, signal, redirect: 'manual' });
    } catch (e) {
      throw failed(e, 'cannot reach');
    }
    let bytes: Buffer;
    try {
      bytes = await readBounded(res, r.what, r.op);
    } catch (e) {
      throw failed(e, 'the connection broke during the reply of');
    }
    if (res.status >= 300 && res.status < 400)
      throw new RestError(
        'bad_input',
        `${r.what}: ${r.op}: the server redirects ${where} to ${safe(res.headers.get('location') ?? '?')}; give that base URL with --url`,
        res.status,
        null,
      );
    if (res.status < 200 || res.status >= 300) {
      const msg = safe(serverMessage(bytes.toString('utf8')));
      throw new RestError(
        codeOf(res.status),
        `${r.what}: ${r.op}: server said ${res.status}: ${msg}`,
        res.status,
        msg,
      );
    }
    accepted = true;
    return { status: res.status, bytes, where };
  }

  let accepted = false;
  return {
    baseUrl: base,
    get accepted() {
      return accepted;
    },
    async request<T>(r: RestRequest): Promise<T> {
      const { status, bytes, where } = await send(r);
      const text = bytes.toString('utf8');
      if (text.trim() === '') return null as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new RestError(
          'bad_input',
          `${r.what}: ${r.op}: the server's reply is not JSON (${where})`,
          status,
          null,
        );
      }
    },
    async requestBytes(r: RestRequest): Promise<Buffer> {
      return (await send(r)).bytes;
    },
  };
}

/**
 * What a publish threw, as a FoureyesError: a server reply of a shape the code did not expect (a TypeError reading
 * it) is named as such, never an internal error or a stack trace.
 */
export function replyError(e: unknown, service: string): FoureyesError {
  return e instanceof FoureyesError
    ? e
    : new FoureyesError(
        'bad_input',
        `the server's reply is not what ${service} sends (${e instanceof Error ? safeText(e.message, 200) : 'unreadable'})`,
      );
}
