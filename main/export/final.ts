/**
 * The rule of a final export (Confluence bundle, HTML and PDF report): refused while a finding of the engagement is
 * not approved, naming them; approved findings whose approvals do not verify are left out (and named by the caller).
 */
import { FoureyesError } from '../../shared/model/errors.js';
import type { EngagementExportData } from './data.js';

/** Throws `not_permitted` naming every finding that is not approved. */
export function refuseUnapproved(data: EngagementExportData): void {
  const open = data.findings.filter((f) => f.finding.reviewState !== 'approved');
  if (open.length === 0) return;
  throw new FoureyesError(
    'not_permitted',
    `--final: ${open.length} finding${open.length === 1 ? ' is' : 's are'} not approved: ${open
      .map(
        (f) =>
          `${f.finding.id.slice(0, 8)} "${f.finding.title.slice(0, 100)}" (${f.finding.reviewState.replace('_', ' ')})`,
      )
      .join(', ')}`,
    { findings: open.map((f) => f.finding.id).join(',') },
  );
}

/** The approved findings a final export leaves out because their approvals do not verify, with why. */
export function leftOutOfFinal(
  data: EngagementExportData,
): { findingId: string; title: string; reason: string }[] {
  return data.findings
    .filter((f) => !f.final.included)
    .map((f) => ({ findingId: f.finding.id, title: f.finding.title, reason: f.final.reason ?? '' }));
}
