/**
 * The one API client of the renderer. In Electron the preload exposes it as `window.foureyes` (IPC); in browser
 * mode it is built here over the bridge (HTTP calls, one WebSocket for events). The page was opened with
 * `?token=...`, which the bridge exchanged for an HttpOnly cookie; the token is removed from the address bar so it
 * does not linger in history or screenshots.
 */
import { createApiClient, type ApiClient } from '../../../shared/api/client-core.js';
import { createHttpTransport } from '../../../shared/api/http-transport.js';

declare global {
  interface Window {
    foureyes?: ApiClient;
  }
}

function dropTokenFromUrl(): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has('token')) return;
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
}

function browserClient(): ApiClient {
  dropTokenFromUrl();
  const transport = createHttpTransport({
    baseUrl: '',
    fetch: (url, init) => window.fetch(url, { ...init, credentials: 'same-origin' }),
    openSocket: (url, h) => {
      const ws = new WebSocket(url);
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
