/**
 * The rules of a final export. The documents (Confluence bundle, HTML and PDF report) are refused while a finding of
 * the engagement is not approved, naming them, and leave out approved findings whose approvals do not verify
 * (`refuseUnapproved`, `leftOutOfFinal`). The machine-readable formats (SARIF, JUnit, OHDF, JSON, Jira), which have
 * no place to say what was left out, are refused in both cases (`requireFinal`, main/findings/report.ts).
 */
import { FoureyesError } from '../../shared/model/errors.js';
import { finalReport } from '../findings/report.js';
import type { PublicKeyOf } from '../people/acting.js';
import { publicKeyOf } from '../people/public-keys.js';
import type { Workspace } from '../store/db.js';
import type { EngagementExportData } from './data.js';

/** Refuses (naming up to ten) while a finding is not approved or has an approval that does not verify. */
export function requireFinal(ws: Workspace, engagementId: string, keys: PublicKeyOf = publicKeyOf(ws), what = '--final'): void {
  const r = finalReport(ws, engagementId, keys);
  const open = ws.findings.list(engagementId).filter((f) => f.reviewState !== 'approved');
  const named = [
    ...open.map((f) => `${f.title} (${f.reviewState.replace('_', ' ')})`),
    ...r.excluded.map((f) => `${f.title} (${f.reason})`),
  ];
  if (named.length === 0) return;
  const name = ws.engagements.require(engagementId).name;
  const more = named.length > 10 ? `; and ${named.length - 10} more` : '';
  throw new FoureyesError(
    'bad_input',
    `${what}: ${named.length} finding${named.length === 1 ? '' : 's'} of ${JSON.stringify(name)} ${named.length === 1 ? 'is' : 'are'} not approved: ${named.slice(0, 10).join('; ')}${more}`,
  );
}

/** Letters and digits of a name kept for a file name, anything else one `-` (at most 60 characters). */
export const fileSlug = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 60);

/** Throws `not_permitted` naming every finding that is not approved. */
export function refuseUnapproved(data: EngagementExportData, what = '--final'): void {
  const open = data.findings.filter((f) => f.finding.reviewState !== 'approved');
  if (open.length === 0) return;
  throw new FoureyesError(
    'not_permitted',
    `${what}: ${open.length} finding${open.length === 1 ? ' is' : 's are'} not approved: ${open
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
