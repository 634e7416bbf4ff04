/** How Foureyes reaches a host. Auth methods are a discriminated union; secrets are never part of a target. */

export type AuthMethod =
  | { type: 'key'; keyPath: string }
  | { type: 'agent'; socket?: string }
  | { type: 'password' };

/**
 * Host key policy. A host seen for the first time is refused unless one of these accepts its key:
 * a known_hosts file, a pinned SHA-256 fingerprint, or an explicit accept-new choice (which is recorded).
 */
export interface HostKeyPolicy {
  knownHostsFiles: string[];
  /** Pinned fingerprint, "SHA256:<base64 without padding>". */
  pinnedFingerprint?: string;
  /** Accept a key never seen before (and record it); a changed key is still refused. */
  acceptNew: boolean;
}

export interface SshEndpoint {
  /** Display name (inventory name or address). */
  name: string;
  address: string;
  port: number;
  user: string;
  auth: AuthMethod;
  hostKey: HostKeyPolicy;
}

export interface SshTarget extends SshEndpoint {
  /** Jump hosts in order, first hop first (ProxyJump a,b means a then b). Each hop is verified. */
  jumps: SshEndpoint[];
  /** How to gain root: none (assess unprivileged if not root), sudo without password, or sudo with a password. */
  privilege: 'auto' | 'none' | 'sudo';
}

export type ScanTarget = { kind: 'ssh'; target: SshTarget } | { kind: 'local'; name: string };
