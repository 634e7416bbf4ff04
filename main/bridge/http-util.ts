/** Small HTTP helpers for the bridge: bounded body reading and replies that always carry the security headers. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLarge extends Error {}

/** Read the whole body, refusing more than `limit` bytes (the connection is not kept reading past it). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
  extra: Record<string, string> = {},
): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { ...headers, 'Content-Length': String(buf.length), ...extra });
  res.end(res.req.method === 'HEAD' ? undefined : buf);
}

export function sendText(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  text: string,
  extra?: Record<string, string>,
): void {
  send(res, status, headers, `${text}\n`, { 'Content-Type': 'text/plain; charset=utf-8', ...extra });
}

export function sendJson(res: ServerResponse, headers: Record<string, string>, value: unknown): void {
  send(res, 200, headers, JSON.stringify(value), { 'Content-Type': 'application/json; charset=utf-8' });
}
