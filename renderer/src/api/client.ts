/**
 * The one API client of the renderer. In Electron the preload exposes it as `window.foureyes` (IPC); in browser
 * mode it is built here over the bridge (HTTP calls, one WebSocket for events). The page was opened with
 * `?token=...`: the token is the proof every call and the events socket carry (the bridge's session cookie only
 * lets the browser load the page's files, since cookies ignore ports). It is taken from the address bar once,
 * removed from it (history, screenshots), kept in memory and in this origin's sessionStorage so a reload of the tab
 * keeps working; no page of another origin can read either.
 */
import { createApiClient, type ApiClient } from '../../../shared/api/client-core.js';
import { createHttpTransport, eventsSocketProtocols } from '../../../shared/api/http-transport.js';

declare global {
  interface Window {
    foureyes?: ApiClient;
  }
}

const TOKEN_KEY = 'foureyes.token';

/** The launch token: from the address bar (then removed from it), else from this tab's sessionStorage. */
function takeToken(): string | undefined {
  const url = new URL(window.location.href);
  const given = url.searchParams.get('token');
  if (given !== null) {
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    try {
      window.sessionStorage.setItem(TOKEN_KEY, given);
    } catch {
      // Storage off: the token lives in memory only (a reload then asks for the start-up URL again).
    }
    return given;
  }
  try {
    return window.sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function browserClient(): ApiClient {
  const token = takeToken();
  const transport = createHttpTransport({
    baseUrl: '',
    ...(token !== undefined ? { token } : {}),
    fetch: (url, init) => window.fetch(url, { ...init, credentials: 'same-origin' }),
    openSocket: (url, h, t) => {
      const ws = new WebSocket(url, eventsSocketProtocols(t));
      ws.onmessage = (e) => h.message(e.data);
      ws.onclose = () => h.close();
      return ws;
    },
  });
  return createApiClient(transport);
}

let client: ApiClient | undefined;

/** The client for this window (created once). */
export function api(): ApiClient {
  client ??= window.foureyes ?? browserClient();
  return client;
}

/** Replace the client (tests and benchmarks drive the store with their own transport). */
export function setApi(c: ApiClient): void {
  client = c;
}
