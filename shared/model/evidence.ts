/** Evidence: where in the snapshot a verdict came from. The one schema; the type is inferred from it. */
import { z } from 'zod';

/** One piece of evidence: where in the snapshot a verdict came from. Excerpts are bounded, untrusted text. */
export const EvidenceSchema = z.object({
  factId: z.string(),
  /** File path on the target, for file facts. */
  path: z.string().optional(),
  /** 1-based line number in the file or command output, when the evidence is one line. */
  line: z.number().int().min(1).optional(),
  excerpt: z.string(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;
