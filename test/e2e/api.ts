/** The backend's API as a non-browser client (Bearer token, own Origin), for set-up a test is not about. */
import type { Backend } from './backend.js';

export async function call<T>(backend: Backend, method: string, input: unknown): Promise<T> {
  const res = await fetch(`${backend.origin}/api/${method}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${backend.token}`,
      origin: backend.origin,
      'content-type': 'application/json',
    },
    body: JSON.stringify(input),
  });
  const reply = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!reply.ok) throw new Error(`${method}: ${reply.error?.message ?? `HTTP ${res.status}`}`);
  return reply.value as T;
}
