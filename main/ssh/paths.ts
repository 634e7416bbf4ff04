import { homedir } from 'node:os';
import { join } from 'node:path';

/** Expands a leading `~` or `~/` to the home directory, as OpenSSH does for file options. */
export function expandHome(p: string, home: string = homedir()): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return join(home, p.slice(2));
  return p;
}
