import { readFile } from 'node:fs/promises';
import type { AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware, ParsedKey } from 'ssh2';
import { FoureyesError } from '../../shared/model/errors.js';
import type { SshEndpoint } from '../../shared/model/target.js';
import type { SecretProvider } from '../transport/types.js';
import { cancelledError, throwIfAborted, untilAborted } from './abort.js';
import { AbortableAgent } from './agent.js';
import { endpointLabel } from './errors.js';
import { expandHome } from './paths.js';
import { parseKey } from './ssh2.js';

/** Private key files larger than this are not keys. */
const MAX_KEY_BYTES = 1024 * 1024;

/** What prepareAuth found out before connecting. */
type Prepared =
  | { type: 'key'; path: string; data: Buffer; parsed?: ParsedKey }
  | { type: 'agent'; socket: string }
  | { type: 'password' };

/** Hooks so the connect timeout does not run while a secret is being asked for (a person may be typing). */
export interface AuthTimerControl {
  pause(): void;
  resume(): void;
}

export interface AuthPlan {
  /** ssh2 `authHandler`: called only after the host key was accepted. */
  handler: AuthHandlerMiddleware;
  /** The reason authentication could not even be tried (no secret, wrong passphrase), when there is one. */
  failure(): FoureyesError | undefined;
}

/**
 * Checks what can be checked before any network traffic (the key file is readable and is a private key, an agent
 * socket is known) and returns the ssh2 auth handler. Secrets (passphrase, password) are asked for only inside
 * the handler, that is after the server's host key was verified.
 *
 * `signal`: once it fires, a pending secret or agent request is abandoned, the handler offers nothing more (the
 * caller ends the connection) and failure() is `cancelled`.
 */
export async function prepareAuth(endpoint: SshEndpoint, secrets: SecretProvider, timer: AuthTimerControl, signal?: AbortSignal): Promise<AuthPlan> {
  const who = endpointLabel(endpoint);
  const what = `${who}: authentication`;
  const prepared = await prepare(endpoint, who);
  throwIfAborted(signal, what);
  let failure: FoureyesError | undefined;
  let attempts = 0;
  let password: string | undefined;
  let triedKeyboard = false;

  const ask = async (purpose: 'password' | 'passphrase'): Promise<string | undefined> => {
    timer.pause();
    try {
      // A person may never answer: an abort must not wait for them.
      return await untilAborted(secrets.get(purpose, endpoint.name), signal, what);
    } finally {
      timer.resume();
    }
  };
  const fail = (next: (a: AnyAuthMethod | false) => void, e: FoureyesError): void => {
    failure ??= e;
    next(false);
  };

  const run = async (methodsLeft: AuthenticationType[] | null, next: (a: AnyAuthMethod | false) => void): Promise<void> => {
    const username = endpoint.user;
    attempts++;
    if (prepared.type === 'agent') {
      // ssh2 tries every key the agent holds in this one attempt.
      return attempts === 1 ? next({ type: 'agent', username, agent: new AbortableAgent(prepared.socket, signal) }) : next(false);
    }
    if (prepared.type === 'key') {
      if (attempts > 1) return next(false);
      let key = prepared.parsed;
      if (!key) {
        const passphrase = await ask('passphrase');
        if (passphrase === undefined) {
          return fail(next, new FoureyesError('auth_failed', `${who}: private key ${prepared.path} is encrypted and no passphrase is available`));
        }
        const r = parseKey(prepared.data, passphrase);
        if (r instanceof Error) {
          return fail(next, new FoureyesError('auth_failed', `${who}: cannot decrypt private key ${prepared.path}: wrong passphrase (${r.message})`));
        }
        key = Array.isArray(r) ? r[0] : r;
      }
      return next({ type: 'publickey', username, key: key as ParsedKey });
    }
    // Password: the password method, or keyboard-interactive when the server offers only that.
    const left = methodsLeft ?? [];
    const usePassword = attempts === 1;
    const useKeyboard = !usePassword && !triedKeyboard && !left.includes('password') && left.includes('keyboard-interactive');
    if (!usePassword && !useKeyboard) return next(false);
    if (password === undefined) {
      password = await ask('password');
      if (password === undefined) return fail(next, new FoureyesError('auth_failed', `${who}: password authentication chosen but no password is available`));
    }
    const pw = password;
    if (usePassword) return next({ type: 'password', username, password: pw });
    triedKeyboard = true;
    return next({
      type: 'keyboard-interactive',
      username,
      // Answer a password prompt with the password, anything else with nothing: never guess other secrets.
      prompt: (_name, _instr, _lang, prompts, finish) => finish(prompts.map((p) => (/password/i.test(p.prompt) ? pw : ''))),
    });
  };

  const handler: AuthHandlerMiddleware = (methodsLeft, _partial, next) => {
    const n = next as unknown as (a: AnyAuthMethod | false) => void;
    const guarded = (a: AnyAuthMethod | false): void => {
      // After an abort the connection is being torn down: offer nothing more on it.
      if (signal?.aborted) {
        failure ??= cancelledError(what);
        return;
      }
      n(a);
    };
    if (signal?.aborted) return guarded(false);
    run(methodsLeft, guarded).catch((e: unknown) => {
      if (e instanceof FoureyesError && e.code === 'cancelled') return guarded(false);
      fail(guarded, new FoureyesError('internal', `${who}: authentication setup failed: ${(e as Error).message}`));
    });
  };
  return { handler, failure: () => failure };
}

async function prepare(endpoint: SshEndpoint, who: string): Promise<Prepared> {
  const auth = endpoint.auth;
  if (auth.type === 'password') return { type: 'password' };
  if (auth.type === 'agent') {
    const socket = auth.socket ?? process.env.SSH_AUTH_SOCK;
    if (!socket) throw new FoureyesError('bad_input', `${who}: ssh-agent authentication chosen but no agent socket is given and SSH_AUTH_SOCK is not set`);
    return { type: 'agent', socket: expandHome(socket) };
  }
  const path = expandHome(auth.keyPath);
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new FoureyesError('bad_input', `${who}: cannot read private key file ${path} (${code})`);
  }
  if (data.length > MAX_KEY_BYTES) throw new FoureyesError('bad_input', `${who}: ${path} is too large to be a private key`);
  const r = parseKey(data);
  if (r instanceof Error) {
    if (/passphrase/i.test(r.message)) return { type: 'key', path, data };
    throw new FoureyesError('bad_input', `${who}: ${path} is not a private key that can be used (${r.message})`);
  }
  const parsed = Array.isArray(r) ? r[0] : r;
  if (!parsed || !parsed.isPrivateKey()) throw new FoureyesError('bad_input', `${who}: ${path} holds a public key, not a private key`);
  return { type: 'key', path, data, parsed };
}
