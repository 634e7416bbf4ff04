/** The backend's API as a non-browser client (Bearer token, own Origin), for set-up a test is not about. */
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api/contract.js';
import type { Backend } from './backend.js';

export async function call<M extends MethodName>(
  backend: Backend,
  method: M,
  input: MethodInput<M>,
): Promise<MethodOutput<M>> {
  const res = await fetch(`${backend.origin}/api/${method}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${backend.token}`,
      origin: backend.origin,
      'content-type': 'application/json',
    },
    body: JSON.stringify(input),
  });
  const reply = (await res.json()) as
    { ok: true; value: MethodOutput<M> } | { ok: false; error: { message: string } };
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.value;
}
