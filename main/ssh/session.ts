import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import type { SshTarget } from '../../shared/model/target.js';
import type { TransportStats } from '../transport/types.js';
import { endpointLabel } from './errors.js';
import type { AcceptedHostKey, HostKeyDecision } from './host-key.js';

/** How each hop's host key was accepted, first hop first, the target last. */
export interface HostKeyRecord {
  name: string;
  address: string;
  port: number;
  keyType: string;
  fingerprint: string;
  acceptedBy: HostKeyDecision['acceptedBy'];
}

/**
 * An authenticated SSH connection to a target, possibly through jump hosts. The chain lives and dies together:
 * when any hop's connection closes, every connection in the chain is ended.
 */
export class SshSession {
  /** Keys accepted on first contact (accept-new), to be stored by the caller. */
  readonly acceptedNewKeys: AcceptedHostKey[];
  readonly hostKeys: HostKeyRecord[];
  /** user@host:port of the target. */
  readonly label: string;
  private execChannels = 0;
  private closing: Promise<void> | undefined;
  private closedFlag = false;
  private readonly closeListeners: (() => void)[] = [];

  /**
   * `chain` is every connection, first hop first; its last element is `client`. `socks` are the sockets they run
   * on, in the same order (destroyed when a peer does not answer our disconnect, or at once by destroy()).
   */
  constructor(
    readonly target: SshTarget,
    readonly client: Client,
    private readonly chain: Client[],
    hostKeys: HostKeyRecord[],
    acceptedNewKeys: AcceptedHostKey[],
    private readonly socks: (Duplex | undefined)[] = [],
  ) {
    this.hostKeys = hostKeys;
    this.acceptedNewKeys = acceptedNewKeys;
    this.label = endpointLabel(target);
    for (const c of chain) c.once('close', () => void this.close());
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Calls `fn` once the chain has closed (by us or by a peer); returns a function that unsubscribes. */
  onClose(fn: () => void): () => void {
    if (this.closedFlag) {
      fn();
      return () => undefined;
    }
    this.closeListeners.push(fn);
    return () => {
      const i = this.closeListeners.indexOf(fn);
      if (i >= 0) this.closeListeners.splice(i, 1);
    };
  }

  /** Exec channels opened on the target connection (exec.ts counts them). */
  noteExecChannel(): void {
    this.execChannels++;
  }

  stats(): TransportStats {
    return { connections: 1, execChannels: this.execChannels };
  }

  /**
   * Ends every connection of the chain, target first, each after the one behind it has gone (so the target's
   * disconnect travels through the still-open hops); resolves when all are closed.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (let i = this.chain.length - 1; i >= 0; i--) {
        const c = this.chain[i]!;
        c.end();
        // A peer that does not answer our disconnect must not keep us waiting. (ssh2's destroy() does nothing
        // after end(): the socket itself is destroyed.)
        const timer = setTimeout(() => endAndDestroy(c, this.socks[i]), 2000);
        await waitClosed(c);
        clearTimeout(timer);
      }
      this.markClosed();
    })();
    return this.closing;
  }

  /**
   * Ends every connection of the chain at once, innermost first: each sends its disconnect and its socket is
   * destroyed without waiting for the peer (cancellation). Resolves when all are closed.
   */
  destroy(): Promise<void> {
    if (this.closedFlag) return Promise.resolve();
    for (let i = this.chain.length - 1; i >= 0; i--) endAndDestroy(this.chain[i]!, this.socks[i]);
    const all = Promise.all(this.chain.map(waitClosed)).then(() => this.markClosed());
    // A close() already under way ends with the same sockets gone.
    return this.closing ? Promise.all([this.closing, all]).then(() => undefined) : all;
  }

  private markClosed(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const fn of this.closeListeners.splice(0)) fn();
  }
}

/**
 * Ends an ssh2 client now: its disconnect message is written, then the socket it runs on is destroyed (ssh2's own
 * destroy() does nothing once end() was called, and a peer that never answers would keep a half-closed socket).
 */
export function endAndDestroy(c: Client, sock: Duplex | undefined): void {
  try {
    c.end();
  } catch {
    // not connected yet
  }
  c.destroy();
  sock?.destroy();
}

/** Per client: resolves when its 'close' event has fired (which ssh2 emits once). */
const closedPromises = new WeakMap<Client, Promise<void>>();

/** Starts watching a client for 'close'; call it as soon as the client is created, before connecting. */
export function trackClose(c: Client): void {
  if (!closedPromises.has(c)) closedPromises.set(c, new Promise((resolve) => c.once('close', () => resolve())));
}

function waitClosed(c: Client): Promise<void> {
  return closedPromises.get(c) ?? Promise.resolve();
}
