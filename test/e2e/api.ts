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

/** Starts a real scan and waits until it ended (at most 150 s); returns scan.get of it. */
export async function scanAndWait(b: Backend, engagementId: string, hostIds: string[]): Promise<MethodOutput<'scan.get'>> {
  const { scanId } = await call(b, 'scan.start', { engagementId, hostIds });
  const deadline = Date.now() + 150_000;
  for (;;) {
    const got = await call(b, 'scan.get', { scanId });
    if (got.scan.state !== 'running') return got;
    if (Date.now() > deadline) throw new Error(`scan ${scanId} still running after 150 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A new engagement named `name` with this machine as its one host (over SSH to 127.0.0.1), scanned. */
export async function scannedLocalEngagement(b: Backend, name: string) {
  const engagementId = (await call(b, 'engagement.create', { name })).id;
  const local = (await call(b, 'engagement.list', {})).engagements.find((e) => e.name === 'This machine')!;
  const user = (await call(b, 'host.list', { engagementId: local.id })).hosts[0]!.user;
  const host = await call(b, 'host.add', {
    engagementId,
    host: { name: 'localhost', address: '127.0.0.1', user, privilege: 'none', tags: ['local'] },
  });
  return { engagementId, host, done: await scanAndWait(b, engagementId, [host.id]) };
}

/**
 * Alice (consultant) and Bob (reviewer), added once per backend (the first by nobody, the next by someone signed
 * in), with Alice signed in. For a spec with a backend of its own: a workspace that has other people is refused.
 */
export async function alicePlusBob(b: Backend, pass: { alice: string; bob: string }): Promise<{ alice: string; bob: string }> {
  const find = async (name: string) => (await call(b, 'person.list', {})).people.find((p) => p.name === name)?.id;
  let alice = await find('Alice');
  if (!alice) {
    const none = (await call(b, 'person.list', {})).people.length === 0;
    if (!none) throw new Error('this spec adds Alice and Bob to a workspace without people');
    alice = (await call(b, 'person.add', { name: 'Alice', role: 'consultant', email: 'a@example.org', passphrase: pass.alice })).id;
  }
  await call(b, 'session.signIn', { personId: alice, passphrase: pass.alice });
  const bob =
    (await find('Bob')) ??
    (await call(b, 'person.add', { name: 'Bob', role: 'reviewer', email: 'b@example.org', passphrase: pass.bob })).id;
  return { alice, bob };
}
