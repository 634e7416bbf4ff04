/** The backend's API as a non-browser client (Bearer token, own Origin), for set-up a test is not about. */
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api/contract.js';
import type { Reply } from '../../shared/api/reply.js';
import type { Backend } from './backend.js';

/** The reply as it came, refusals included (for tests where the refusal is the point). */
export async function reply<M extends MethodName>(
  backend: Backend,
  method: M,
  input: MethodInput<M>,
): Promise<Reply<MethodOutput<M>>> {
  const res = await fetch(`${backend.origin}/api/${method}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${backend.token}`,
      origin: backend.origin,
      'content-type': 'application/json',
    },
    body: JSON.stringify(input),
  });
  return (await res.json()) as Reply<MethodOutput<M>>;
}

/** The value of an ok reply; a refusal throws, naming the method. */
export async function call<M extends MethodName>(
  backend: Backend,
  method: M,
  input: MethodInput<M>,
): Promise<MethodOutput<M>> {
  const r = await reply(backend, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value;
}
