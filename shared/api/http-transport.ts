/**
 * The browser-mode transport: `POST /api/<method>` with a JSON body for calls, one WebSocket on `/events` for
 * events. Every call carries the launch token (`Authorization: Bearer`), the socket offers it as a subprotocol; the
 * bridge never takes a cookie alone for either. fetch and the WebSocket constructor are injected so this file runs in
 * the browser and in Node alike.
 */
import type { ApiTransport } from './client-core.js';
import { isEventName, type EventName, type MethodName } from './names.js';
import type { Reply } from './reply.js';

/** The subprotocol the bridge selects for the events socket. */
export const EVENTS_PROTOCOL = 'foureyes.events';
/** Subprotocol prefix that carries the launch token on the events socket. */
export const BEARER_PROTOCOL_PREFIX = 'foureyes.bearer.';

/** What a browser offers as the events socket's subprotocols (the token rides in the second). */
export function eventsSocketProtocols(token: string | undefined): string[] {
  return token === undefined ? [] : [EVENTS_PROTOCOL, `${BEARER_PROTOCOL_PREFIX}${token}`];
}

export interface FetchLike {
  (
    url: string,
    init: { method: 'POST'; headers: Record<string, string>; body: string; credentials?: 'same-origin' },
  ): Promise<{ status: number; text(): Promise<string> }>;
}

/** What the transport needs from an events socket: text frames in, a close notice, and a way to close it. */
export interface SocketHandlers {
  message(data: unknown): void;
  close(): void;
}
export interface SocketLike {
  close(): void;
}

export interface HttpTransportOptions {
  /** Origin of the bridge (`http://127.0.0.1:40123`); '' in a page served by the bridge itself. */
  baseUrl: string;
  fetch: FetchLike;
  /**
   * Opens the events socket at the given ws:// URL and wires it to the handlers; in a browser:
   * `(url, h) => { const ws = new WebSocket(url); ws.onmessage = (e) => h.message(e.data); ws.onclose = h.close; return ws; }`
   */
  openSocket: (url: string, handlers: SocketHandlers, token: string | undefined) => SocketLike;
  /** Extra headers on every call (Origin for non-browser clients). */
  headers?: Record<string, string>;
  /**
   * The launch token: sent as `Authorization: Bearer` on every call; `openSocket` gets it to offer as the events
   * socket's subprotocol (a browser cannot set headers on a WebSocket).
   */
  token?: string;
  /** Delay before reopening a closed events socket, in ms (default 1000). */
  reconnectMs?: number;
}

export interface HttpTransport extends ApiTransport {
  /** Stop listening: closes the events socket and drops every subscription. */
  close(): void;
}

const refusal = (status: number): string =>
  status === 401
    ? 'not signed in to the local bridge: open the URL Foureyes printed at start-up (it carries the launch token)'
    : status === 403
      ? 'the local bridge refused the request (foreign origin or host)'
      : `the local bridge answered HTTP ${status}`;

export function createHttpTransport(opts: HttpTransportOptions): HttpTransport {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let socket: SocketLike | null = null;
  let reconnect: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const wsUrl = (): string => {
    const base = opts.baseUrl || (globalThis as { location?: { origin: string } }).location?.origin || '';
    return `${base.replace(/^http/, 'ws')}/events`;
  };

  const hasListeners = (): boolean => [...listeners.values()].some((s) => s.size > 0);

  const open = (): void => {
    if (socket || closed) return;
    let s: SocketLike | null = null;
    const onMessage = (data: unknown): void => {
      let msg: unknown;
      try {
        msg = JSON.parse(String(data));
      } catch {
        return;
      }
      if (typeof msg !== 'object' || msg === null) return;
      const { event, payload } = msg as { event?: unknown; payload?: unknown };
      if (!isEventName(event)) return;
      for (const cb of listeners.get(event) ?? []) cb(payload);
    };
    const onClose = (): void => {
      if (s && socket === s) socket = null;
      if (!closed && hasListeners() && !reconnect) {
        reconnect = setTimeout(() => {
          reconnect = null;
          if (hasListeners()) open();
        }, opts.reconnectMs ?? 1000);
      }
    };
    s = opts.openSocket(wsUrl(), { message: onMessage, close: onClose }, opts.token);
    socket = s;
  };

  return {
    async call(method: MethodName, input: unknown): Promise<Reply<unknown>> {
      let res: { status: number; text(): Promise<string> };
      try {
        res = await opts.fetch(`${opts.baseUrl}/api/${method}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...opts.headers,
            ...(opts.token !== undefined ? { authorization: `Bearer ${opts.token}` } : {}),
          },
          body: JSON.stringify(input ?? {}),
          credentials: 'same-origin',
        });
      } catch (e) {
        return {
          ok: false,
          error: { code: 'internal', message: `the local bridge is not reachable (${String(e)})` },
        };
      }
      if (res.status !== 200) return { ok: false, error: { code: 'internal', message: refusal(res.status) } };
      try {
        return JSON.parse(await res.text()) as Reply<unknown>;
      } catch {
        return {
          ok: false,
          error: { code: 'internal', message: 'the local bridge sent a reply that is not JSON' },
        };
      }
    },
    on(event, cb) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
      open();
      return () => {
        set.delete(cb);
      };
    },
    close() {
      closed = true;
      listeners.clear();
      if (reconnect) clearTimeout(reconnect);
      socket?.close();
      socket = null;
    },
  };
}
