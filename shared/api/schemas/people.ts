/**
 * People and the signed-in person as they cross the API. A person is the domain's `PersonSchema`
 * (shared/model/person.ts) as it is: public fields only (the encrypted private key never leaves main). A passphrase
 * travels only in the inputs of `person.add` and `session.signIn`; every refusal of one names the field, never its
 * value, and no reply carries it back.
 */
import { z } from 'zod';
import { PersonSchema } from '../../model/person.js';
import { IdSchema, textInput } from './common.js';

export { PersonSchema };

/**
 * A passphrase: any text of 1..1024 characters (the key's own rule, 8 characters at least for a new key, is checked
 * where the key is made). The errors are fixed sentences: nothing of the value is ever echoed.
 */
export const PassphraseSchema = z
  .string({ error: 'Passphrase must be text.' })
  .min(1, { error: 'Passphrase is required.' })
  .max(1024, { error: 'Passphrase must be at most 1024 characters.' });

/** Text shown to others: control and format characters (escape sequences, bidi overrides) are refused. */
const plain = (max: number, label: string) =>
  textInput(max, label).refine((s) => !/[\p{Cc}\p{Cf}]/u.test(s), {
    error: `${label} must not hold control or format characters.`,
  });

export const PersonNameSchema = plain(100, 'Name');

/** What a person fills in about themselves (also the fields of a profile file). */
export const PersonInputSchema = z.strictObject({
  name: PersonNameSchema,
  role: plain(100, 'Role'),
  email: plain(200, 'Email').refine((s) => /^[^\s@]+@[^\s@]+$/.test(s), {
    error: 'Email must be an address like name@example.org.',
  }),
});

/** A new person of this workstation: their profile and the passphrase that encrypts their new signing key. */
export const PersonAddInputSchema = PersonInputSchema.extend({ passphrase: PassphraseSchema });

/** A public profile file's text (as `person.export` gives it and `foureyes person export` writes it). */
export const PersonImportInputSchema = z.strictObject({
  profile: z
    .string({ error: 'Profile must be text.' })
    .min(1, { error: 'Profile is required.' })
    .max(64 * 1024, { error: 'Profile must be at most 64 KiB (a person profile is far smaller).' }),
});

/** What `person.export` gives: the profile file's text and a file name to save it under. */
export const PersonExportSchema = z.object({
  person: PersonSchema,
  fileName: z.string(),
  content: z.string(),
});

/**
 * Sign in with the passphrase, or without one when this computer's keychain holds the person's key (see
 * `SessionSchema.sealed`). `remember`: with the passphrase, also seal the key by the keychain for later sign-ins.
 */
export const SignInInputSchema = z.strictObject({
  personId: IdSchema,
  passphrase: PassphraseSchema.optional(),
  remember: z.boolean().optional(),
});

/**
 * Who is signed in on this running workstation (null: nobody); whether this computer's keychain can seal keys
 * (Electron safeStorage where the operating system really encrypts; never in browser mode or the CLI), and whose
 * keys it holds.
 */
export const SessionSchema = z.object({
  person: PersonSchema.nullable(),
  keychain: z.boolean(),
  sealed: z.array(IdSchema),
});
export type Session = z.infer<typeof SessionSchema>;
