/**
 * The local host: the machine Foureyes runs on, scanned through the local transport without SSH. It is an
 * inventory host like any other, marked by the tag `local` and the address 127.0.0.1; this is the one test of
 * it, used by the scanner (which transport) and the UI (no SSH fields for it).
 */
export const LOCAL_TAG = 'local';

/** True when the host stands for the machine Foureyes runs on. */
export function isLocalHost(h: { address: string; tags: readonly string[] }): boolean {
  return h.tags.includes(LOCAL_TAG) && h.address === '127.0.0.1';
}
