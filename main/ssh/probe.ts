/**
 * Host key probe: an SSH connection that goes only as far as the key exchange, to see which host key a server
 * presents. No user name, password, key or agent is ever offered: the auth handler refuses every method and the
 * connection is ended as soon as the key exchange has finished (the server has then proved, by its signature over
 * the exchange, that it holds the key). Through jump hosts, each jump hop is a normal verified and authenticated
 * connection (connectTarget), and the probe runs over the channel the last hop forwards.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { FoureyesError } from '../../shared/model/errors.js';
import type { SshTarget } from '../../shared/model/target.js';
import type { SecretProvider } from '../transport/types.js';
import { cancelledError, throwIfAborted, untilAborted } from './abort.js';
import { connectTarget, forward, tcpSocket } from './connect.js';
import { hostLabel, mapSshError } from './errors.js';
import { fingerprintSha256, keyTypeOfBlob } from './key-blob.js';
import { trackClose, type SshSession } from './session.js';
import { Client as SshClient } from './ssh2.js';

/** Where to probe: the target's address and port, named for messages. */
export interface ProbeEndpoint {
  name: string;
  address: string;
  port: number;
}

export interface ProbeOptions {
  /** The whole probe (jump hops included) must finish within this. Default 10 s. */
  timeoutMs?: number;
  /** Host key algorithms to offer, preferred first (e.g. the types already known for the host). */
  hostKeyAlgorithms?: string[];
  /** Reach the target through this chain (its last endpoint is the hop that forwards to the target). */
  via?: SshTarget;
  /** Secrets for the jump hops only (the target is never authenticated to). Default: none available. */
  secrets?: SecretProvider;
  /** Abort: stops the probe at whatever stage it is (jump hops, forwarding, key exchange), ends every connection
   * at once and rejects with `cancelled`. A signal that has already fired opens nothing. */
  signal?: AbortSignal;
}

/** What the server presented. */
export interface ProbedKey {
  /** Key type named in the blob (`ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`, ...). */
  keyType: string;
  fingerprint: string;
  blob: Buffer;
}

const NO_SECRETS: SecretProvider = { get: () => Promise.resolve(undefined) };

/** The endpoint of the chain that an error from connectTarget is about (by the address in its details). */
function failedHop(via: SshTarget, e: FoureyesError): { name: string; address: string; port: number } {
  const hops = [...via.jumps, via];
  const hit = hops.find((h) => h.address === e.details?.host && h.port === e.details?.port);
  return hit ?? via;
}

/** A jump hop that failed: its own key not accepted yet is the usual case and gets an instruction. */
function jumpError(via: SshTarget, target: ProbeEndpoint, err: unknown): FoureyesError {
  const e = mapSshError(err, hostLabel(via));
  const hop = failedHop(via, e);
  if (e.code === 'host_key_unknown') {
    const presented = typeof e.details?.presented === 'string' ? ` (it presents ${e.details.presented})` : '';
    return new FoureyesError(
      'host_key_unknown',
      `cannot probe ${hostLabel(target)}: the host key of jump host ${hop.name} is not accepted yet${presented}; ` +
        `accept the host key of jump host ${hop.name} first`,
      { ...e.details, jumpHost: hop.name },
    );
  }
  return new FoureyesError(
    e.code,
    `cannot probe ${hostLabel(target)} through jump host ${hop.name}: ${e.message}`,
    e.details,
  );
}

/** Runs the key exchange on `sock` and resolves with the presented key once the server has proved it holds it. */
function keyExchange(
  sock: Duplex,
  target: ProbeEndpoint,
  opts: ProbeOptions,
  onExpire: (fn: () => void) => void,
): Promise<ProbedKey> {
  const who = hostLabel(target);
  const client: Client = new SshClient();
  trackClose(client);
  let presented: Buffer | undefined;
  return new Promise<ProbedKey>((resolve, reject) => {
    let settled = false;
    const finish = (e?: unknown): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      client.destroy();
      sock.destroy();
      if (e !== undefined) return reject(e);
      if (!presented)
        return reject(new FoureyesError('internal', `${who}: key exchange ended without a host key`));
      const keyType = keyTypeOfBlob(presented);
      if (keyType === undefined)
        return reject(new FoureyesError('ssh_error', `${who}: the server presented a malformed host key`));
      resolve({ keyType, fingerprint: fingerprintSha256(presented), blob: presented });
    };
    const onAbort = (): void => finish(new FoureyesError('cancelled', `host key probe of ${who} cancelled`));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    onExpire(() => finish(timeoutError(target, opts)));
    sock.on('error', (e) => finish(mapSshError(e, who)));
    // 'handshake' comes after NEWKEYS, that is after ssh2 checked the server's signature with the presented key.
    client.once('handshake', () => finish());
    client.on('error', (e) => finish(mapSshError(e, who)));
    client.once('close', () =>
      finish(
        new FoureyesError(
          'ssh_error',
          `${who}: connection closed during the key exchange (not an SSH server, or it refused this client)`,
        ),
      ),
    );
    client.connect({
      sock: sock as Socket,
      // Never sent: the auth handler below refuses every method, and the connection ends at 'handshake'.
      username: '',
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        presented = Buffer.from(key);
        verify(true);
      },
      authHandler: (_methods, _partial, next) => (next as unknown as (a: false) => void)(false),
      ...(opts.hostKeyAlgorithms?.length
        ? { algorithms: { serverHostKey: opts.hostKeyAlgorithms as never } }
        : {}),
      readyTimeout: 0,
      keepaliveInterval: 0,
      agentForward: false,
      tryKeyboard: false,
    });
  });
}

function timeoutError(target: ProbeEndpoint, opts: ProbeOptions): FoureyesError {
  const ms = opts.timeoutMs ?? 10_000;
  return new FoureyesError(
    'connect_timeout',
    `host key probe of ${hostLabel(target)}: no SSH key exchange within ${Math.round(ms / 100) / 10} s`,
    {
      host: target.address,
      port: target.port,
    },
  );
}

/**
 * Connects to `target` (directly, or through `opts.via`) only as far as the key exchange and returns the key it
 * presented. Never authenticates to the target. Errors are FoureyesErrors naming the target (and the jump host
 * when a hop failed); a jump host whose own key is not accepted yet fails with `host_key_unknown` saying so.
 */
export async function probeHostKey(target: ProbeEndpoint, opts: ProbeOptions = {}): Promise<ProbedKey> {
  const signal = opts.signal;
  const what = `host key probe of ${hostLabel(target)}`;
  throwIfAborted(signal, what);
  const ms = opts.timeoutMs ?? 10_000;
  let expired = false;
  let onExpire: (() => void) | undefined;
  const timer = setTimeout(() => {
    expired = true;
    onExpire?.();
  }, ms);
  const whenExpired = (fn: () => void): void => {
    onExpire = fn;
    if (expired) fn();
  };
  let session: SshSession | undefined;
  try {
    let sock: Duplex;
    if (opts.via) {
      const via = opts.via;
      const abort = new AbortController();
      const stop = (): void => abort.abort();
      onExpire = stop;
      signal?.addEventListener('abort', stop, { once: true });
      try {
        session = await connectTarget(via, opts.secrets ?? NO_SECRETS, {
          readyTimeoutMs: ms,
          keepaliveIntervalMs: 0,
          signal: abort.signal,
        });
      } catch (e) {
        if (expired) throw timeoutError(target, opts);
        if (signal?.aborted) throw cancelledError(what);
        throw jumpError(via, target, e);
      } finally {
        signal?.removeEventListener('abort', stop);
      }
      throwIfAborted(signal, what);
      const s = session;
      // A jump host that never answers the channel request must not hold the probe past its deadline, nor past
      // an abort; a channel that opens after either is closed.
      const channel = new Promise<Duplex>((resolve, reject) => {
        whenExpired(() => reject(timeoutError(target, opts)));
        forward(s.client, target).then(resolve, (e: unknown) =>
          reject(expired ? timeoutError(target, opts) : jumpError(via, target, e)),
        );
      });
      sock = await untilAborted(channel, signal, what, (late) => late.destroy());
    } else {
      sock = tcpSocket(target);
    }
    return await keyExchange(sock, target, opts, whenExpired);
  } finally {
    clearTimeout(timer);
    // After an abort the jump hops are ended at once, not after their goodbye.
    if (session) await (signal?.aborted ? session.destroy() : session.close());
  }
}
