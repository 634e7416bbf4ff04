/**
 * Who is acting: every command that changes the workspace carries the person doing it, so the four-eye rule can be
 * checked and the audit trail can say who did what. A person is identified by the id of their profile; the name is
 * what is shown (and recorded beside the id, as it was at the time).
 */
import { z } from 'zod';

export const ActorSchema = z.object({
  /** Id of the person's profile in the workspace (`person.id`). */
  personId: z.string(),
  /** The person's name as shown. */
  name: z.string(),
});
export type Actor = z.infer<typeof ActorSchema>;
