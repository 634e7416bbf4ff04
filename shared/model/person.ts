/**
 * People of a workspace: who uses the workstation (origin `local`, their encrypted private key kept here) and
 * colleagues whose public key was imported (origin `imported`, for reviews made elsewhere). A person signs with an
 * Ed25519 key; the fingerprint is `SHA256:` and the unpadded base64 of the SHA-256 of the public key (SPKI DER).
 */
export const PERSON_ORIGINS = ['local', 'imported'] as const;
export type PersonOrigin = (typeof PERSON_ORIGINS)[number];

export interface Person {
  id: string;
  name: string;
  role: string;
  email: string;
  /** Ed25519 public key, SPKI PEM. */
  publicKey: string;
  fingerprint: string;
  origin: PersonOrigin;
  createdAt: string;
}
