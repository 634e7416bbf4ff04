/** The findings screen's pure parts: what an edit sends, the server's part of the filters, the free-text filter. */
import { describe, expect, it } from 'vitest';
import type { FindingListItem } from '../../../shared/api/schemas/findings.js';
import { FindingEditSchema, type Finding } from '../../../shared/model/finding.js';
import { changesOf, draftOf } from '../../../renderer/src/screens/findings/editModel.js';
import { NO_FINDING_FILTERS, matchesText, serverFilter } from '../../../renderer/src/screens/findings/filterModel.js';

const finding: Finding = {
  id: 'f1',
  engagementId: 'e1',
  key: 'sshd-permit-root-login',
  title: 'SSH root login is disabled',
  severity: 'high',
  catalogueSeverity: 'high',
  severityReason: null,
  status: 'open',
  statusReason: null,
  recommendation: 'Set PermitRootLogin no',
  notes: '',
  tags: ['ssh'],
  customerOwner: null,
  dueDate: null,
  reviewState: 'draft',
  submittedBy: null,
  revision: 1,
  editedFields: [],
  createdAt: '2026-12-04T10:00:00.000Z',
  createdBy: null,
  updatedAt: '2026-12-04T10:00:00.000Z',
  updatedBy: null,
};

describe('changesOf', () => {
  it('is empty for an untouched form', () => {
    expect(changesOf(finding, draftOf(finding))).toEqual({});
  });

  it('sends only what differs, tags as a list, empty owner and date as none', () => {
    const withOwner = { ...finding, customerOwner: 'Ops', dueDate: '2027-01-31' };
    const d = { ...draftOf(withOwner), notes: '**x**', tags: ' ssh , quick-win ,', owner: '  ', dueDate: '' };
    const c = changesOf(withOwner, d);
    expect(c).toEqual({ notes: '**x**', tags: ['ssh', 'quick-win'], customerOwner: null, dueDate: null });
    expect(FindingEditSchema.safeParse(c).success).toBe(true);
  });

  it('keeps tags that only moved as a change, and the same tags as none', () => {
    expect(changesOf(finding, { ...draftOf(finding), tags: 'ssh' })).toEqual({});
    expect(changesOf({ ...finding, tags: ['a', 'b'] }, { ...draftOf(finding), tags: 'b, a' })).toEqual({ tags: ['b', 'a'] });
  });
});

describe('findings filters', () => {
  it('sends only the filters set; host and owner exactly; "no owner" as null', () => {
    expect(serverFilter(NO_FINDING_FILTERS)).toEqual({});
    expect(
      serverFilter({ ...NO_FINDING_FILTERS, severities: ['high'], host: ' careless ', owner: 'Ops', text: 'ssh' }),
    ).toEqual({ severities: ['high'], hostNames: ['careless'], owners: ['Ops'] });
    expect(serverFilter({ ...NO_FINDING_FILTERS, owner: 'Ops', noOwner: true })).toEqual({ owners: [null] });
  });

  it('matches the free text in title, check, tags, owner and host names, in any case', () => {
    const item: FindingListItem = {
      ...finding,
      customerOwner: 'Network team',
      hosts: { failing: 1, fixed: 0, names: ['careless'] },
      approvals: 0,
      approvalsRequired: 1,
    };
    for (const q of ['', 'ROOT login', 'permit-root', 'SSH', 'network', 'careLESS']) expect(matchesText(item, q), q).toBe(true);
    expect(matchesText(item, 'hardened')).toBe(false);
  });
});
