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

  /** `chain` is every connection, first hop first; its last element is `client`. */
  constructor(
    readonly target: SshTarget,
    readonly client: Client,
    private readonly chain: Client[],
    hostKeys: HostKeyRecord[],
    acceptedNewKeys: AcceptedHostKey[],
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
      for (const c of [...this.chain].reverse()) {
        c.end();
        // A peer that does not answer our disconnect must not keep us waiting.
        const timer = setTimeout(() => c.destroy(), 2000);
        await waitClosed(c);
        clearTimeout(timer);
      }
      this.closedFlag = true;
      for (const fn of this.closeListeners.splice(0)) fn();
    })();
    return this.closing;
  }
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
