import { createHash } from 'node:crypto';

/**
 * An SSH public key blob is the wire form: string(key type) followed by type-specific fields. Fingerprints are
 * what OpenSSH prints (`ssh-keygen -lf`): "SHA256:" + base64 of the SHA-256 of the blob, without padding.
 */
export function fingerprintSha256(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside a blob (e.g. "ssh-ed25519"), or undefined when the blob is malformed. */
export function keyTypeOfBlob(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const len = blob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > blob.length) return undefined;
  const type = blob.subarray(4, 4 + len).toString('latin1');
  return /^[\x21-\x7e]+$/.test(type) ? type : undefined;
}

/** True when `s` is a well-formed SHA-256 fingerprint as OpenSSH prints it. */
export function isSha256Fingerprint(s: string): boolean {
  return /^SHA256:[A-Za-z0-9+/]{43}$/.test(s);
}

/**
 * Host key algorithms (as negotiated) that produce keys of `keyType`. RSA keys are offered under the SHA-2
 * signature names; certificates are not used.
 */
export function algorithmsForKeyType(keyType: string): string[] {
  if (keyType === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return [keyType];
}
