/**
 * The rule every final export follows: refused while a finding of the engagement is not approved or has an approval
 * that does not verify (main/findings/report.ts), naming up to ten of them. The Confluence bundle applies the same
 * rule inside confluenceBundle (its refusal lists the findings not approved and leaves out those that do not verify).
 */
import { FoureyesError } from '../../shared/model/errors.js';
import { finalReport } from '../findings/report.js';
import type { PublicKeyOf } from '../people/acting.js';
import { publicKeyOf } from '../people/public-keys.js';
import type { Workspace } from '../store/db.js';

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
