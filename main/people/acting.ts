/**
 * The person acting in one command: who it is and their unlocked signing key. Made when a person signs in (UI, person
 * switcher) or from `--as NAME` with its passphrase (CLI); every command that changes the workspace takes one, so the
 * four-eye rule can be checked and every audit event is signed by the person who caused it.
 */
import type { KeyObject } from 'node:crypto';
import type { Actor } from '../../shared/model/actor.js';

export interface Acting {
  readonly actor: Actor;
  /** Ed25519 signature of `data` with the acting person's private key. */
  sign(data: Uint8Array): Buffer;
}

/** The public key of a person known to the workspace (own or imported), or undefined when there is none. */
export type PublicKeyOf = (personId: string) => KeyObject | undefined;
