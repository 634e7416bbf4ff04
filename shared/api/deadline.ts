/** A scan's per-host deadline: its bound and the sentence for a refused one (no schema: the CLI reads it at start-up). */
import { shownValue } from './schemas/sentences.js';

/** Longest per-host deadline a scan may set (one day). */
export const MAX_DEADLINE_SECONDS = 86_400;

/** The one sentence for a refused deadline (API, scan form, CLI). */
export function deadlineSentence(value?: unknown): string {
  const v = shownValue(value);
  return `Deadline must be a whole number of seconds from 1 to ${MAX_DEADLINE_SECONDS}${v ? ` (got ${v})` : ''}.`;
}
