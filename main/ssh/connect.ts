import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { FoureyesError } from '../../shared/model/errors.js';
import type { SshEndpoint, SshTarget } from '../../shared/model/target.js';
import type { SecretProvider } from '../transport/types.js';
import { cancelledError, throwIfAborted, untilAborted } from './abort.js';
import { prepareAuth } from './auth.js';
import { endpointLabel, mapSshError, withHopContext } from './errors.js';
import { makeHostVerifier, preferredHostKeyAlgorithms, recordAcceptedKey, type AcceptedHostKey, type HostKeyCheckOptions, type VerifierOutcome } from './host-key.js';
import { watchGreeting, type ServerGreeting } from './greeting.js';
import { SshSession, endAndDestroy, trackClose, type HostKeyRecord } from './session.js';
import { Client as SshClient } from './ssh2.js';

export interface ConnectOptions {
  /** Per hop: TCP connect, key exchange and authentication must finish within this (time spent waiting for a
   * secret from the SecretProvider is not counted). Default 20 s. */
  readyTimeoutMs?: number;
  /** Keepalive probe interval; 0 disables. Default 15 s. */
  keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the connection is dropped. Default 4. */
  keepaliveCountMax?: number;
  /** accept-new appends newly accepted keys here (for every hop whose policy allows accept-new). */
  knownHostsRecordFile?: string;
  /** Record accepted hosts hashed (`|1|…`). */
  hashKnownHosts?: boolean;
  /** Abort: every wait of the set-up (socket, forwarding, key exchange, secrets, agent, authentication) ends at
   * once, every connection opened so far is ended and its socket destroyed, and the promise rejects with a
   * `cancelled` FoureyesError. A signal that has already fired opens nothing. */
  signal?: AbortSignal;
  now?: () => Date;
  /** Filled with the target's identification line and pre-login banner as they arrive (also when the
   * connection then fails); jump hosts' greetings are not recorded. */
  greeting?: ServerGreeting;
  /** Called once the first hop's TCP connection is being opened: what needed no network (key, known_hosts) is done. */
  onDial?: () => void;
}

/** Position of a hop in a chain, for messages: "jump host 1 of 2" or "target". */
function hopContext(i: number, total: number): string {
  return i < total - 1 ? `jump host ${i + 1} of ${total - 1}` : 'target';
}

/** A timer that can be paused while a person types a secret. */
class PausableTimer {
  private handle: NodeJS.Timeout | undefined;
  private left: number;
  private started = 0;
  constructor(
    ms: number,
    private readonly fire: () => void,
  ) {
    this.left = ms;
    this.resume();
  }
  pause(): void {
    if (!this.handle) return;
    clearTimeout(this.handle);
    this.handle = undefined;
    this.left -= Date.now() - this.started;
  }
  resume(): void {
    if (this.handle || this.left === Infinity) return;
    this.started = Date.now();
    this.handle = setTimeout(this.fire, Math.max(0, this.left));
  }
  clear(): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
    this.left = Infinity;
  }
}

interface HopResult {
  client: Client;
  /** The socket the client runs on (TCP, or the channel the previous hop forwards). */
  sock: Duplex;
  record: HostKeyRecord;
  accepted?: AcceptedHostKey;
}

/** The socket could not be opened (a jump host refused to forward): already a complete message. */
class SocketError extends Error {
  constructor(readonly error: FoureyesError) {
    super(error.message);
  }
}

/**
 * One SSH connection. Everything that needs no network comes first (key file, known_hosts); then `openSock`
 * gives a TCP socket (first hop) or a channel forwarded by the previous hop; it must give up when its signal fires
 * (the caller's abort, or this hop's connect timeout).
 */
async function connectHop(ep: SshEndpoint, openSock: (giveUp: AbortSignal) => Promise<Duplex>, secrets: SecretProvider, opts: ConnectOptions, greeting?: ServerGreeting): Promise<HopResult> {
  const who = endpointLabel(ep);
  const what = `${who}: connection`;
  const signal = opts.signal;
  throwIfAborted(signal, what);
  const subject = { name: ep.name, address: ep.address, port: ep.port };
  const outcome: VerifierOutcome = {};
  const client = new SshClient();
  trackClose(client);
  let sock: Duplex | undefined;
  let timedOut = false;
  const readyMs = opts.readyTimeoutMs ?? 20_000;
  // ssh2's destroy() does nothing once end() was called: the socket is destroyed here, always.
  const stop = (): void => endAndDestroy(client, sock);
  // Fires when this hop gives up: the caller's abort or the connect timeout (a jump host that takes long to
  // reach the next hop, or never does, must not hold us past either).
  const giveUp = new AbortController();
  const onOuterAbort = (): void => giveUp.abort();
  signal?.addEventListener('abort', onOuterAbort, { once: true });
  const timer = new PausableTimer(readyMs, () => {
    timedOut = true;
    stop();
    giveUp.abort();
  });
  let unwatch: (() => void) | undefined;
  const timeoutError = (): FoureyesError => new FoureyesError('connect_timeout', `${who}: no SSH connection within ${readyMs} ms`);
  const checkOpts: HostKeyCheckOptions = {
    ...(opts.knownHostsRecordFile ? { recordFile: opts.knownHostsRecordFile } : {}),
    hashRecorded: opts.hashKnownHosts === true,
    ...(opts.now ? { now: opts.now } : {}),
  };
  try {
    const auth = await prepareAuth(ep, secrets, timer, signal);
    const serverHostKey = await preferredHostKeyAlgorithms(ep.hostKey, subject);
    // Nothing is opened after an abort or the timeout, however late in the preparation either came.
    throwIfAborted(signal, what);
    if (timedOut) throw timeoutError();
    const verifier = makeHostVerifier(ep.hostKey, subject, checkOpts, outcome);
    try {
      sock = await openSock(giveUp.signal);
    } catch (e) {
      if (signal?.aborted) throw cancelledError(what);
      if (timedOut) throw timeoutError();
      if (e instanceof FoureyesError && e.code === 'cancelled') throw e;
      throw new SocketError(e instanceof FoureyesError ? e : mapSshError(e, who));
    }
    const s = sock;
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const done = (e?: unknown): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (e === undefined) return resolve();
        // Our own reasons first: a refused host key, a missing secret, then the timeout, then what ssh2 said.
        if (outcome.error) return reject(outcome.error);
        const af = auth.failure();
        if (af) return reject(af);
        if (timedOut) return reject(timeoutError());
        reject(mapSshError(e, who));
      };
      const onAbort = (): void => {
        outcome.error ??= cancelledError(what);
        stop();
        done(new Error('cancelled'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      s.once('error', (e) => done(e));
      client.once('ready', () => done());
      client.on('error', (e) => done(e));
      client.once('close', () => done(new Error('Connection closed before authentication finished')));
      client.connect({
        sock: s as Socket,
        username: ep.user,
        // ssh2 accepts every host key when no verifier is set: it is always set.
        hostVerifier: verifier,
        authHandler: auth.handler,
        algorithms: { serverHostKey: serverHostKey as never },
        readyTimeout: 0,
        keepaliveInterval: opts.keepaliveIntervalMs ?? 15_000,
        keepaliveCountMax: opts.keepaliveCountMax ?? 4,
        agentForward: false,
      });
      if (greeting) unwatch = watchGreeting(client, s, greeting);
    });
    const d = outcome.decision;
    if (!d) throw new FoureyesError('internal', `${who}: connected without a host key decision`);
    // An accept-new key is recorded only now that this hop is established (key exchange and authentication
    // done), and never once the caller has cancelled (the write itself checks the signal again).
    throwIfAborted(signal, what);
    await recordAcceptedKey(d, checkOpts, signal);
  } catch (e) {
    stop();
    throw e;
  } finally {
    unwatch?.();
    timer.clear();
    signal?.removeEventListener('abort', onOuterAbort);
  }
  const d = outcome.decision!;
  return {
    client,
    sock: sock!,
    record: { ...subject, keyType: d.keyType, fingerprint: d.fingerprint, acceptedBy: d.acceptedBy },
    ...(d.acceptedNewKey ? { accepted: d.acceptedNewKey } : {}),
  };
}

/** A TCP connection to `ep` (the first hop, or a probe without jump hosts). */
export function tcpSocket(ep: { address: string; port: number }): Duplex {
  const sock = netConnect({ host: ep.address, port: ep.port });
  // Without this every small exec round trip waits for Nagle (about 40 ms each).
  sock.once('connect', () => sock.setNoDelay(true));
  return sock;
}

/** A channel that `via` forwards to `ep`'s address and port. */
export function forward(via: Client, ep: { address: string; port: number }): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, ep.address, ep.port, (err, stream) => (err ? reject(err) : resolve(stream)));
  });
}

/** Ends every hop's connection and destroys its socket, innermost first. */
function teardown(hops: readonly HopResult[]): void {
  for (const h of [...hops].reverse()) endAndDestroy(h.client, h.sock);
}

/**
 * Connects to `target`, through its jump hosts in order (each hop's forwarded channel is the next hop's socket;
 * each hop's host key checked under its own policy), and authenticates at every hop. Never forwards the agent.
 * Errors are FoureyesErrors that name the hop that failed. Secrets are asked for only after that hop's host key
 * was accepted.
 */
export async function connectTarget(target: SshTarget, secrets: SecretProvider, opts: ConnectOptions = {}): Promise<SshSession> {
  const hops: SshEndpoint[] = [...target.jumps, target];
  const done: HopResult[] = [];
  const signal = opts.signal;
  try {
    for (let i = 0; i < hops.length; i++) {
      const ep = hops[i]!;
      const ctx = hopContext(i, hops.length);
      const what = `${endpointLabel(ep)}: connection`;
      throwIfAborted(signal, what);
      const via = done[i - 1]?.client;
      const openSock = via
        ? async (giveUp: AbortSignal): Promise<Duplex> => {
            const prev = hops[i - 1]!;
            const channel = forward(via, ep).catch((e: unknown) => {
              throw withHopContext(mapSshError(e, endpointLabel(ep)), `${hopContext(i - 1, hops.length)} (${endpointLabel(prev)}) could not forward to ${ep.address}:${ep.port}`);
            });
            // The jump host may take long to reach the next hop (or never answer): an abort does not wait, and a
            // channel that opens after it is closed again.
            return untilAborted(channel, giveUp, what, (late) => late.destroy());
          }
        : async (): Promise<Duplex> => {
            const sock = tcpSocket(ep);
            opts.onDial?.();
            return sock;
          };
      try {
        done.push(await connectHop(ep, openSock, secrets, opts, i === hops.length - 1 ? opts.greeting : undefined));
      } catch (e) {
        if (e instanceof SocketError) throw e.error;
        const fe = mapSshError(e, endpointLabel(ep));
        throw hops.length > 1 ? withHopContext(fe, ctx) : fe;
      }
    }
    // An abort between the last hop's ready and here still ends the chain.
    throwIfAborted(signal, `${endpointLabel(target)}: connection`);
  } catch (e) {
    teardown(done);
    throw e;
  }
  const accepted = done.flatMap((h) => (h.accepted ? [h.accepted] : []));
  return new SshSession(
    target,
    done[done.length - 1]!.client,
    done.map((h) => h.client),
    done.map((h) => h.record),
    accepted,
    done.map((h) => h.sock),
  );
}
