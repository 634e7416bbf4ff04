import { Socket } from 'node:net';
import type { GetStreamCallback } from 'ssh2';
import { OpenSSHAgent } from './ssh2.js';

/**
 * ssh-agent client whose requests (list identities, sign) stop when `signal` fires: ssh2 opens a socket to the
 * agent per request and would otherwise keep it until the agent answers, which a stuck agent (or one waiting for a
 * confirmation) may never do. On abort every open agent socket is destroyed, which fails the request in ssh2.
 */
export class AbortableAgent extends OpenSSHAgent {
  constructor(
    private readonly path: string,
    private readonly signal: AbortSignal | undefined,
  ) {
    super(path);
  }

  override getStream(cb: GetStreamCallback): void {
    let called = false;
    const done = (err?: Error, stream?: Socket): void => {
      if (called) return;
      called = true;
      cb(err, stream);
    };
    if (this.signal?.aborted) return done(new Error('agent request cancelled'));
    const sock = new Socket();
    const signal = this.signal;
    const onAbort = (): void => {
      sock.destroy();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const fail = (): void => {
      sock.destroy();
      done(new Error('Failed to connect to agent'));
    };
    sock.once('close', () => signal?.removeEventListener('abort', onAbort));
    sock.on('connect', () => done(undefined, sock));
    sock.on('close', fail).on('end', fail).on('error', fail);
    sock.connect(this.path);
  }
}
