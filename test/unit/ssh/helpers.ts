import type { AuthMethod, HostKeyPolicy, SshEndpoint, SshTarget } from '../../../shared/model/target.js';
import type { SecretProvider } from '../../../main/transport/types.js';
import type { SshdFixture } from './sshd-fixture.js';

/** A SecretProvider that answers from a table and records every question. */
export class RecordingSecrets implements SecretProvider {
  readonly asked: { purpose: string; host: string }[] = [];
  constructor(private readonly answers: Partial<Record<'password' | 'passphrase' | 'sudo', string>> = {}) {}
  async get(purpose: 'password' | 'passphrase' | 'sudo', hostName: string): Promise<string | undefined> {
    this.asked.push({ purpose, host: hostName });
    return this.answers[purpose];
  }
}

export function endpointFor(sshd: SshdFixture, auth: AuthMethod, hostKey: Partial<HostKeyPolicy> = {}, name = 'lo'): SshEndpoint {
  return {
    name,
    address: sshd.host,
    port: sshd.port,
    user: 'root',
    auth,
    hostKey: { knownHostsFiles: [], acceptNew: false, ...hostKey },
  };
}

export function targetFor(sshd: SshdFixture, auth: AuthMethod, hostKey: Partial<HostKeyPolicy> = {}, extra: Partial<SshTarget> = {}): SshTarget {
  return { ...endpointFor(sshd, auth, hostKey), jumps: [], privilege: 'none', ...extra };
}

/** Pinned to the fixture's Ed25519 host key (the one ssh2 negotiates first). */
export function pinned(sshd: SshdFixture): Partial<HostKeyPolicy> {
  return { pinnedFingerprint: sshd.hostKeys['ssh-ed25519']!.fingerprint };
}

/** Log lines sshd writes once a client starts to authenticate (LogLevel DEBUG1). */
export const AUTH_LOG_RE = /userauth-request|Accepted |Failed |Invalid user|Postponed|authentication/i;

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
