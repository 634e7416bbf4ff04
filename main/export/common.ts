/** What the format builders share: evidence as text, the check's words for a result, XML-safe text. */
import type { Check } from '../../shared/checks/schema.js';
import type { Evidence } from '../../shared/model/results.js';
import { guardForm } from '../../shared/text/target-text.js';
import type { ExportFinding, ExportResult } from './data.js';

/** One line per evidence item: `fact path:line: excerpt` (the excerpt as stored, in its text form). */
export function evidenceText(evidence: readonly Evidence[]): string {
  return evidence
    .map((e) => {
      const where = e.path !== undefined ? ` ${e.path}${e.line !== undefined ? `:${e.line}` : ''}` : '';
      return `${e.factId}${where}: ${e.excerpt}`;
    })
    .join('\n');
}

/** The title of a result's check (its id when the catalogue does not know it). */
export const titleOf = (checks: ReadonlyMap<string, Check>, checkId: string): string =>
  checks.get(checkId)?.title ?? checkId;

/** What a result says in words: its reason, what was expected and found, a waiver, the evidence. */
export function resultText(r: ExportResult): string {
  const lines = [r.reason, `Expected: ${r.expected}`, `Found: ${r.actual}`];
  if (r.waiver) lines.push(`Waived (was ${r.verdict}) until ${r.waiver.expiresOn}: ${r.waiver.reason}`);
  const ev = evidenceText(r.evidence);
  if (ev) lines.push('Evidence:', ev);
  return lines.join('\n');
}

/**
 * Text as XML 1.0 may hold it: every character XML forbids (C0 controls but tab, newline and carriage return, lone
 * surrogates, U+FFFE and U+FFFF) made visible as its escape, and with them the other invisible controls and bidi
 * overrides (guardForm, the one text-form guard). Text already in the text form (target text) is unchanged, so it
 * reads back exactly; a backslash stays as it is.
 */
export function xmlText(s: string): string {
  return guardForm(s, true).replace(/[\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** A stored word (`false_positive`, `in_review`) as text (`false positive`). */
export const words = (s: string): string => s.replace(/_/g, ' ');

/**
 * The rows every document gives a finding first, in words: its check, its severity (with the catalogue's when the
 * consultant changed it, and why), its status (with the reason given) and its review state.
 */
export function findingRows(
  x: ExportFinding['finding'],
  checks: ReadonlyMap<string, Check>,
): {
  check: [string, string];
  severity: [string, string];
  status: [string, string];
  review: [string, string];
} {
  return {
    check: ['Check', `${x.key}: ${titleOf(checks, x.key)}`],
    severity: [
      'Severity',
      x.severity === x.catalogueSeverity
        ? x.severity
        : `${x.severity} (catalogue: ${x.catalogueSeverity}; ${x.severityReason ?? ''})`,
    ],
    status: ['Status', x.statusReason ? `${words(x.status)}: ${x.statusReason}` : words(x.status)],
    review: ['Review', words(x.reviewState)],
  };
}
