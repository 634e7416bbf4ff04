/**
 * Which sudo password goes to which host. A sudo password belongs to one host: `--sudo-password-file` (or
 * FOUREYES_SUDO_PASSWORD) serves a single assessed host, or every host only with `--same-sudo-password` (the user
 * says in so many words that one secret is shared); `--sudo-password-for HOST=FILE` names its host. A host with
 * none is asked on the terminal, or gets none. Never one host's password silently sent to another host's sudo.
 */
import { FoureyesError } from '../../shared/model/errors.js';
import type { ScanJob } from '../scan/runner.js';
import { secretFrom } from './options.js';

export interface SudoPasswordOptions {
  sudo: boolean;
  file?: string;
  /** `HOST=FILE` entries. */
  perHost: readonly string[];
  same: boolean;
}

/** Host name -> sudo password. Throws bad_input naming the option when the secrets do not fit the hosts. */
export function sudoPasswords(jobs: readonly ScanJob[], o: SudoPasswordOptions): Map<string, string> {
  const out = new Map<string, string>();
  const one = secretFrom(o.file, 'FOUREYES_SUDO_PASSWORD');
  const ssh = jobs.filter((j) => j.target.kind === 'ssh').map((j) => j.name);
  const from = o.file ? '--sudo-password-file' : 'FOUREYES_SUDO_PASSWORD';
  if (!o.sudo && (one !== undefined || o.perHost.length > 0) && (o.file || o.perHost.length > 0)) {
    throw new FoureyesError('bad_input', 'a sudo password is used only with --sudo');
  }
  if (o.same && one === undefined) throw new FoureyesError('bad_input', '--same-sudo-password needs --sudo-password-file (or FOUREYES_SUDO_PASSWORD)');
  for (const e of o.perHost) {
    const at = e.indexOf('=');
    const host = at > 0 ? e.slice(0, at) : '';
    const file = at > 0 ? e.slice(at + 1) : '';
    if (!host || !file) throw new FoureyesError('bad_input', `--sudo-password-for "${e}": give HOST=FILE`);
    if (!ssh.includes(host)) {
      throw new FoureyesError('bad_input', `--sudo-password-for names "${host}", which is not an SSH host of this run (hosts: ${ssh.join(', ') || 'none'})`);
    }
    if (out.has(host)) throw new FoureyesError('bad_input', `--sudo-password-for names "${host}" twice`);
    out.set(host, secretFrom(file, '') ?? '');
  }
  if (one !== undefined && o.sudo) {
    const rest = ssh.filter((h) => !out.has(h));
    if (rest.length > 1 && !o.same) {
      throw new FoureyesError(
        'bad_input',
        `${from} is one host's sudo password and ${rest.length} hosts would get it (${rest.slice(0, 5).join(', ')}${rest.length > 5 ? ', …' : ''}): ` +
          'give each its own with --sudo-password-for HOST=FILE, or add --same-sudo-password if they really share it',
      );
    }
    for (const h of rest) out.set(h, one);
  }
  return out;
}
