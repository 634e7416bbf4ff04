import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

/** Expands a leading `~` or `~/` to the home directory, as OpenSSH does for file options. */
export function expandHome(p: string, home: string = homedir()): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return join(home, p.slice(2));
  return p;
}

/** The login name of the user Foureyes runs as, or `fallback` when the OS has none (no passwd entry). */
export function localUserName(fallback: string): string {
  try {
    return userInfo().username;
  } catch {
    return fallback;
  }
}
