/**
 * What a person is described by: the fields a person fills in (name, role, email) and the public profile file a
 * colleague's workstation imports. The fields are the API contract's (shared/api/schemas/people.ts), validated once;
 * a refusal names the field (and, for a file, the file).
 */
import { z } from 'zod';
import { PersonInputSchema, PersonNameSchema } from '../../shared/api/schemas/people.js';

export { PersonInputSchema, PersonNameSchema };
export type PersonInput = z.input<typeof PersonInputSchema>;

export const PROFILE_FORMAT = 'foureyes-person/1';

/** The public profile file: everything a colleague needs to check this person's signatures, and nothing secret. */
export const ProfileFileSchema = PersonInputSchema.extend({
  format: z.literal(PROFILE_FORMAT, { error: `Format must be "${PROFILE_FORMAT}".` }),
  publicKey: z
    .string({ error: 'Public key must be text.' })
    .min(1, { error: 'Public key is required.' })
    .max(4096, { error: 'Public key is too long.' }),
  fingerprint: z
    .string({ error: 'Fingerprint must be text.' })
    .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, { error: 'Fingerprint must be SHA256: and 43 base64 characters.' }),
});
export type ProfileFile = z.infer<typeof ProfileFileSchema>;
