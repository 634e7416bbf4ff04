/**
 * Signed approvals, for findings (main/findings/) and waivers (main/waivers/) alike: what is approved is the SHA-256
 * of a content's RFC 8785 canonical JSON (main/audit/canonical.ts); the approver's Ed25519 key (through
 * `Acting.sign`) signs a message that names its type, the object and that hash, so a signature made for anything
 * else (an audit event, another object, another kind of approval) never verifies.
 */
import { createHash, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../audit/canonical.js';
import type { Acting } from '../people/acting.js';

export { canonicalJson };

export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Hex SHA-256 of `value`'s canonical JSON. */
export const contentHashOf = (value: unknown): string => sha256Hex(canonicalJson(value));

/** The bytes an approver signs: the canonical JSON of `{ type, ...fields }`. */
export function approvalMessage(type: string, fields: Readonly<Record<string, string | number>>): Buffer {
  return Buffer.from(canonicalJson({ ...fields, type }), 'utf8');
}

/** The acting person's signature of `message`, in base64 as stored. */
export const signApproval = (acting: Acting, message: Uint8Array): string => acting.sign(message).toString('base64');

/** True when `signatureB64` is `key`'s Ed25519 signature of `message`. */
export function signatureValid(key: KeyObject, message: Uint8Array, signatureB64: string): boolean {
  try {
    return verify(null, message, key, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}
