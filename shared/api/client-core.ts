/**
 * The typed client: one function per contract method, grouped by namespace (`api.scan.start(input)`), plus
 * `api.on(event, cb)`. It is transport-agnostic: the Electron preload builds it over ipcRenderer, the browser over
 * HTTP and a WebSocket. It validates nothing itself (main validates at the boundary) and never throws for an API
 * error: every call resolves to a Reply; `unwrap` (reply.ts) turns one into a value or an ApiError.
 */
import type { MethodInput, MethodOutput } from './contract.js';
import type { EventPayload } from './events.js';
import { EVENT_NAMES, METHOD_NAMES, isEventName, type EventName, type MethodName } from './names.js';
import type { Reply } from './reply.js';

/** What a transport must provide. `call` resolves to a Reply even when the transport fails (code internal). */
export interface ApiTransport {
  call(method: MethodName, input: unknown): Promise<Reply<unknown>>;
  /** Subscribe to one event; returns the unsubscribe function. */
  on(event: EventName, cb: (payload: unknown) => void): () => void;
}

type Namespace = MethodName extends `${infer N}.${string}` ? N : never;

/** `{}` inputs may be omitted. */
type Args<M extends MethodName> =
  Record<string, never> extends MethodInput<M> ? [input?: MethodInput<M>] : [input: MethodInput<M>];

export type MethodFn<M extends MethodName> = (...args: Args<M>) => Promise<Reply<MethodOutput<M>>>;

export type ApiClient = {
  [N in Namespace]: { [M in MethodName as M extends `${N}.${infer V}` ? V : never]: MethodFn<M> };
} & {
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void;
};

/** Split `scan.start` into `['scan', 'start']`. Every contract name has exactly one dot (tested). */
export function splitMethodName(method: MethodName): [string, string] {
  const dot = method.indexOf('.');
  return [method.slice(0, dot), method.slice(dot + 1)];
}

export function createApiClient(transport: ApiTransport): ApiClient {
  const client: Record<string, Record<string, unknown>> = {};
  for (const method of METHOD_NAMES) {
    const [ns, verb] = splitMethodName(method);
    const group = (client[ns] ??= {});
    group[verb] = (input?: unknown) => transport.call(method, input ?? {});
  }
  for (const group of Object.values(client)) Object.freeze(group);
  const on = (event: EventName, cb: (payload: unknown) => void): (() => void) => {
    if (!isEventName(event))
      throw new TypeError(`unknown event "${String(event)}" (known: ${EVENT_NAMES.join(', ')})`);
    if (typeof cb !== 'function') throw new TypeError('event callback must be a function');
    return transport.on(event, cb);
  };
  return Object.freeze({ ...client, on }) as unknown as ApiClient;
}

/** The flat list of `namespace.verb` functions a client exposes (tests compare it with the contract). */
export function clientMethodNames(client: object): string[] {
  const names: string[] = [];
  for (const [ns, group] of Object.entries(client)) {
    if (typeof group !== 'object' || group === null) continue;
    for (const [verb, fn] of Object.entries(group)) if (typeof fn === 'function') names.push(`${ns}.${verb}`);
  }
  return names.sort();
}
