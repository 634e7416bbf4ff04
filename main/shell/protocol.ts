/**
 * The app:// protocol handler: serves the built renderer from its directory, refusing anything that is not
 * app://foureyes/<file inside the directory> (see main/api/static-files.ts), with the CSP and hardening headers on
 * every response. Uses the fetch API's Request/Response only, so Node tests call it directly.
 */
import { readStaticFile } from '../api/static-files.js';
import { APP_HOST, APP_SCHEME, securityHeaders } from './security.js';

export function createAppProtocolHandler(
  rendererDir: string,
  csp: string,
): (request: Request) => Promise<Response> {
  const headers = securityHeaders(csp);
  const plain = (status: number, text: string) =>
    new Response(text, { status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return plain(400, 'bad url');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return plain(404, 'not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const file = await readStaticFile(rendererDir, url.pathname);
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(file.body), {
      status: file.status,
      headers: { ...headers, 'Content-Type': file.contentType },
    });
  };
}
