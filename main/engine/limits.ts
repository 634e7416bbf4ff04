/** Bounds of a check result (applied by evaluate.ts; templates that list items size themselves by them). */

/** Evidence items kept per result. */
export const MAX_EVIDENCE = 20;

/**
 * Longest evidence path: a name of PATH_MAX (4096) bytes whose every byte is written `\xNN` in its text form
 * (shared/facts/names.ts), so a listed name is never cut.
 */
export const MAX_EVIDENCE_PATH_CHARS = 4 * 4096;
