/** PublicKeyOf over the person table: the key of anyone the workspace knows, own or imported. */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Workspace } from '../store/db.js';
import type { PublicKeyOf } from './acting.js';

/** Keys are parsed once per stored text; a stored text that is not an Ed25519 public key gives undefined. */
export function publicKeyOf(ws: Workspace): PublicKeyOf {
  const parsed = new Map<string, KeyObject | undefined>();
  return (personId) => {
    const text = ws.people.publicKeyText(personId);
    if (text === undefined) return undefined;
    if (!parsed.has(text)) {
      let key: KeyObject | undefined;
      try {
        key = createPublicKey({ key: text, format: 'pem' });
        if (key.asymmetricKeyType !== 'ed25519') key = undefined;
      } catch {
        key = undefined;
      }
      parsed.set(text, key);
    }
    return parsed.get(text);
  };
}
