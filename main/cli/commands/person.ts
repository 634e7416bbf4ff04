/** `foureyes person add|list|export|import`: the people of the workspace and their public profiles. */
import type { Person } from '../../../shared/model/person.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { addPerson, exportProfile, importProfile, listPeople } from '../../people/people.js';
import { PersonInputSchema } from '../../people/profile.js';
import type { Workspace } from '../../store/db.js';
import { parseInput } from '../../store/input.js';
import { actingFromCli, passphraseFor } from '../acting.js';
import { term, termJson } from '../term.js';
import { openExisting, openForWriting } from '../workspace.js';

type Opts = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

async function withWorkspace(
  ws: Workspace,
  fn: (ws: Workspace) => Promise<number> | number,
): Promise<number> {
  try {
    return await fn(ws);
  } finally {
    ws.close();
  }
}

export function personAdd(o: Opts): Promise<number> {
  const name = str(o.name) ?? '';
  return withWorkspace(openForWriting(str(o.workspace)), async (ws) => {
    if (ws.people.byName(name))
      throw new FoureyesError('bad_input', `a person named ${ws.people.byName(name)!.name} already exists`);
    // The profile is checked before a passphrase is asked for.
    const input = parseInput(PersonInputSchema, { name, role: str(o.role), email: str(o.email) }, 'person');
    const passphrase = await passphraseFor(input.name, { file: str(o.passphraseFile) }, { confirm: true });
    const p = addPerson(ws, input, passphrase);
    process.stdout.write(`added ${term(p.name)} (${term(p.role)}), key ${p.fingerprint}\n`);
    return 0;
  });
}

export function personList(o: Opts): Promise<number> {
  return withWorkspace(openExisting(str(o.workspace)), (ws) => {
    const people = listPeople(ws);
    if (o.json) {
      process.stdout.write(`${termJson({ people: people.map(listed) })}\n`);
      return 0;
    }
    if (people.length === 0) {
      process.stdout.write(
        'no people in this workspace yet (foureyes person add --name N --role R --email E)\n',
      );
      return 0;
    }
    for (const p of people)
      process.stdout.write(
        `${term(p.name)}  ${term(p.role)}  ${term(p.email)}  ${p.origin === 'local' ? 'this workstation' : 'imported'}  ${p.fingerprint}\n`,
      );
    return 0;
  });
}

const listed = (p: Person) => ({
  id: p.id,
  name: p.name,
  role: p.role,
  email: p.email,
  origin: p.origin,
  fingerprint: p.fingerprint,
  createdAt: p.createdAt,
});

export function personExport(name: string, o: Opts): Promise<number> {
  const file = str(o.output);
  if (!file) throw new FoureyesError('bad_input', 'person export: give the file to write with -o FILE');
  return withWorkspace(openExisting(str(o.workspace)), (ws) => {
    const p = exportProfile(ws, name, file);
    process.stdout.write(`wrote the public profile of ${term(p.name)} to ${term(file)}\n`);
    return 0;
  });
}

export function personImport(file: string, o: Opts): Promise<number> {
  return withWorkspace(openForWriting(str(o.workspace)), async (ws) => {
    const acting = await actingFromCli(ws, importer(ws, str(o.as)), { file: str(o.passphraseFile) });
    const p = importProfile(ws, file, acting);
    process.stdout.write(
      `imported ${term(p.name)} (${term(p.role)}), key ${p.fingerprint}, recorded by ${term(acting.actor.name)}\n`,
    );
    return 0;
  });
}

/** Who signs an import: `--as NAME`, or the one person of this workstation when there is only one. */
function importer(ws: Workspace, as: string | undefined): string {
  if (as !== undefined) return as;
  const local = listPeople(ws).filter((p) => p.origin === 'local');
  if (local.length === 1) return local[0]!.name;
  throw new FoureyesError(
    'bad_input',
    local.length === 0
      ? 'an import is signed by a person of this workstation, and there is none: add yourself first (foureyes person add)'
      : 'several people work on this workstation: say who imports with --as NAME',
  );
}
