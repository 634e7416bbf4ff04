/**
 * Who is acting on the command line: a person of the workspace named by `--as NAME`, unlocked with their passphrase
 * from a file, the environment, or a prompt on the terminal (in that order; never from an argument, which other
 * users can read in the process list).
 */
import { FoureyesError } from '../../shared/model/errors.js';
import type { Acting } from '../people/acting.js';
import { requirePerson, unlock } from '../people/people.js';
import type { Workspace } from '../store/db.js';
import { secretFrom } from './options.js';
import { promptSecret } from './prompt.js';
import { term } from './term.js';

/** The environment variable a person's passphrase may come from. */
export const PASSPHRASE_ENV = 'FOUREYES_PERSON_PASSPHRASE';

export interface PassphraseSource {
  /** `--passphrase-file FILE` (one trailing newline dropped). */
  file?: string;
  /** Environment variable read when no file is given (default FOUREYES_PERSON_PASSPHRASE). */
  env?: string;
  /** The option that names the file, for the refusal (default --passphrase-file). */
  option?: string;
}

/** The passphrase for `who`; on a terminal it is asked (twice when `confirm`, for a new key). */
export async function passphraseFor(
  who: string,
  src: PassphraseSource,
  opts: { confirm?: boolean } = {},
): Promise<string> {
  const env = src.env ?? PASSPHRASE_ENV;
  const given = secretFrom(src.file, env);
  if (given !== undefined) return given;
  const shown = term(who);
  const first = await promptSecret(`passphrase for ${shown}: `);
  if (first === undefined)
    throw new FoureyesError(
      'bad_input',
      `no passphrase for ${who}: give ${src.option ?? '--passphrase-file'} FILE, set ${env}, or run on a terminal to be asked`,
    );
  if (opts.confirm && (await promptSecret(`passphrase for ${shown} again: `)) !== first)
    throw new FoureyesError('bad_input', `the two passphrases for ${who} differ`);
  return first;
}

/** The acting person for a command run with `--as NAME`: the person must exist before any passphrase is asked. */
export async function actingFromCli(ws: Workspace, name: string, src: PassphraseSource): Promise<Acting> {
  const person = requirePerson(ws, name);
  if (person.origin !== 'local')
    throw new FoureyesError(
      'bad_input',
      `${person.name} is an imported colleague: their signing key is not on this workstation`,
    );
  return unlock(ws, person.name, await passphraseFor(person.name, src));
}
