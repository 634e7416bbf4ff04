/** The findings list's filters: the server's part (severity, status, review state, host, owner) and the free text. */
import type { FindingFilter, FindingListItem } from '../../../../shared/api/schemas/findings.js';
import type { FindingStatus, ReviewState } from '../../../../shared/model/finding.js';
import type { Severity } from '../../../../shared/model/results.js';

export interface FindingFilters {
  severities: Severity[];
  statuses: FindingStatus[];
  reviewStates: ReviewState[];
  /** A target's name, exactly ('' : any). */
  host: string;
  /** The customer's owner, exactly ('' : any). */
  owner: string;
  /** Only findings without an owner. */
  noOwner: boolean;
  /** Free text over title, check, tags, owner and host names of the findings read. */
  text: string;
}

export const NO_FINDING_FILTERS: FindingFilters = {
  severities: [],
  statuses: [],
  reviewStates: [],
  host: '',
  owner: '',
  noOwner: false,
  text: '',
};

/** The server's part of the filters. */
export function serverFilter(f: FindingFilters): FindingFilter {
  const out: FindingFilter = {};
  if (f.severities.length) out.severities = f.severities;
  if (f.statuses.length) out.statuses = f.statuses;
  if (f.reviewStates.length) out.reviewStates = f.reviewStates;
  if (f.host.trim()) out.hostNames = [f.host.trim()];
  if (f.noOwner) out.owners = [null];
  else if (f.owner.trim()) out.owners = [f.owner.trim()];
  return out;
}

/** The free-text filter, over what a list row shows. */
export function matchesText(item: FindingListItem, text: string): boolean {
  const q = text.trim().toLowerCase();
  if (!q) return true;
  return [item.title, item.key, item.customerOwner ?? '', ...item.tags, ...item.hosts.names].some((s) =>
    s.toLowerCase().includes(q),
  );
}
