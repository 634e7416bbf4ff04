/**
 * What a package and an answer share: the author's public profile (a real Ed25519 key whose fingerprint is the one
 * stated), the author's signature over the file, and the author's checkpoint of their own trail.
 */
import type { KeyObject } from 'node:crypto';
import { FoureyesError } from '../../shared/model/errors.js';
import type { Checkpoint } from '../../shared/model/audit.js';
import { checkpointSignedBy } from '../audit/checkpoint.js';
import { fingerprintOf, parsePublicKey, signatureValid } from '../people/keys.js';
import type { ProfileFile } from '../people/profile.js';
import type { Signer } from './format.js';
import { decodeBase64, shown, signedBytes } from './signed-file.js';

export interface CheckedSigner {
  key: KeyObject;
  /** The profile with its key in the form this workspace stores (SPKI PEM as Node writes it). */
  profile: ProfileFile;
}

/** The signer's key, refused when it is no Ed25519 key or not the one the stated fingerprint names. */
export function checkSigner(signer: Signer, field: 'exporter' | 'reviewer', what: string): CheckedSigner {
  const key = parsePublicKey(signer.profile.publicKey, `this ${what} is refused: ${field}.profile.publicKey`);
  if (fingerprintOf(key) !== signer.profile.fingerprint)
    throw new FoureyesError(
      'bad_input',
      `this ${what} is refused: ${field}.profile.fingerprint is not the fingerprint of ${field}.profile.publicKey (the key was changed)`,
      { path: `${field}.profile.fingerprint` },
    );
  return {
    key,
    profile: { ...signer.profile, publicKey: key.export({ type: 'spki', format: 'pem' }) as string },
  };
}

/** Refuses a file whose signature is not the signer's over everything else in it. */
export function checkFileSignature(
  value: Record<string, unknown> & { signature: string },
  signer: CheckedSigner,
  what: string,
): void {
  const sig = decodeBase64(value.signature, 'signature', what);
  if (!signatureValid(signer.key, signedBytes(value), sig))
    throw new FoureyesError(
      'bad_input',
      `this ${what} is refused: its signature does not verify with the key of ${shown(signer.profile.name)} (${signer.profile.fingerprint}): the ${what} was changed after it was signed, or the signature is another one's`,
      { path: 'signature' },
    );
}

/** Refuses a checkpoint that is not the signer's own, signed with their key. */
export function checkSignerCheckpoint(
  cp: Checkpoint,
  personId: string,
  signer: CheckedSigner,
  what: string,
): void {
  if (cp.signer.personId !== personId || cp.signer.name !== signer.profile.name)
    throw new FoureyesError(
      'bad_input',
      `this ${what} is refused: its checkpoint is signed by ${shown(cp.signer.name)}, not by ${shown(signer.profile.name)} who signed the ${what}`,
      { path: 'checkpoint.signer' },
    );
  decodeBase64(cp.signature, 'checkpoint.signature', what);
  if (!checkpointSignedBy(cp, signer.key))
    throw new FoureyesError(
      'bad_input',
      `this ${what} is refused: its checkpoint (${cp.count} events, head ${cp.headHash.slice(0, 12)}…) does not carry the signature of ${shown(signer.profile.name)}`,
      { path: 'checkpoint.signature' },
    );
}
