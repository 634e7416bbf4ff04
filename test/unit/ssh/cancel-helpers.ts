import { createHook } from 'node:async_hooks';
import { afterEach, expect } from 'vitest';
import type { SecretProvider } from '../../../main/transport/types.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import type { AuthMethod, SshEndpoint, SshTarget } from '../../../shared/model/target.js';

/** An endpoint on 127.0.0.1, its host key pinned when a fingerprint is given. */
export function endpoint(name: string, port: number, auth: AuthMethod, fingerprint?: string): SshEndpoint {
  return {
    name,
    address: '127.0.0.1',
    port,
    user: 'auditor',
    auth,
    hostKey: { knownHostsFiles: [], acceptNew: false, ...(fingerprint ? { pinnedFingerprint: fingerprint } : {}) },
  };
}

export function target(ep: SshEndpoint, jumps: SshEndpoint[] = []): SshTarget {
  return { ...ep, jumps, privilege: 'none' };
}

/**
 * A secret provider whose answers never come (a person who never types), except for the purposes answered in
 * `answers`; records what was asked.
 */
export class NeverAnswers implements SecretProvider {
  readonly asked: string[] = [];
  private waiters: (() => void)[] = [];
  constructor(private readonly answers: Partial<Record<'password' | 'passphrase' | 'sudo', string>> = {}) {}
  get(purpose: 'password' | 'passphrase' | 'sudo', host: string): Promise<string | undefined> {
    this.asked.push(`${purpose}@${host}`);
    for (const w of this.waiters.splice(0)) w();
    const answer = this.answers[purpose];
    return answer !== undefined ? Promise.resolve(answer) : new Promise(() => undefined);
  }
  async askedFor(purpose: string): Promise<void> {
    while (!this.asked.some((a) => a.startsWith(`${purpose}@`))) await new Promise<void>((r) => this.waiters.push(r));
  }
}

/**
 * Registers an afterEach that stops, newest first, every server passed to the returned function during the test;
 * that function returns its argument unchanged.
 */
export function stopAfterEach(): <T extends { stop(): Promise<void> }>(x: T) => T {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0).reverse()) await s();
  });
  return (x) => {
    stops.push(() => x.stop());
    return x;
  };
}

/** The rejection of `p`, which must be a FoureyesError. */
export async function rejection(p: Promise<unknown>): Promise<FoureyesError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FoureyesError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

const WATCHED = new Set(['Timeout', 'TCPWRAP', 'PIPEWRAP']);

export interface HandleTracker {
  /** Waits (bounded) until every socket, pipe and timer made since tracking began is closed; fails naming any left. */
  expectNoneLeft(): Promise<void>;
}

/**
 * Tracks the sockets, pipes and timers this process makes from now on (async hooks: each is created, then
 * destroyed when closed, cleared or fired). What earlier tests left closing does not count.
 */
export function trackHandles(): HandleTracker {
  const live = new Map<number, string>();
  const hook = createHook({
    init(id, type) {
      if (!WATCHED.has(type)) return;
      const where = (new Error().stack ?? '').split('\n').filter((l) => !l.includes('cancel-helpers') && (l.includes('/test/') || l.includes('/main/') || l.includes('node_modules'))).slice(0, 3).join(' < ');
      live.set(id, `${type} ${where.replace(/\s+/g, ' ')}`);
    },
    destroy(id) {
      live.delete(id);
    },
  }).enable();
  return {
    async expectNoneLeft() {
      const until = Date.now() + 3000;
      hook.disable();
      try {
        // Re-enabled only for destroy bookkeeping: nothing new is recorded while we wait.
        const watch = createHook({ destroy: (id) => void live.delete(id) }).enable();
        try {
          while (live.size > 0 && Date.now() < until) await new Promise((r) => setImmediate(r));
        } finally {
          watch.disable();
        }
      } finally {
        expect([...live.values()]).toEqual([]);
      }
    },
  };
}
