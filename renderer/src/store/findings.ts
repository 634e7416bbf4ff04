/**
 * The findings list of the open engagement: filters (severity, status, review state, host, owner on the server; a
 * free text over what was read), counts, the selection and bulk actions. A bulk action is applied one finding at a
 * time, each with the revision it was listed at, and reports each finding's outcome in its own words.
 */
import type { FindingListItem } from '../../../shared/api/schemas/findings.js';
import type { FindingStatus } from '../../../shared/model/finding.js';
import { NO_FINDING_FILTERS, serverFilter, type FindingFilters } from '../screens/findings/filterModel.js';
import { api } from '../api/client.js';
import { messageOf, value } from '../api/call.js';
import type { SliceCreator } from './types.js';

/** Findings read per list (the contract's page maximum). */
export const FINDING_PAGE = 1000;

export { NO_FINDING_FILTERS, matchesText, type FindingFilters } from '../screens/findings/filterModel.js';

export type BulkAction =
  | { kind: 'submit' }
  | { kind: 'status'; status: FindingStatus; reason?: string }
  | { kind: 'owner'; owner: string | null }
  | { kind: 'tags'; tags: string[] };

export interface BulkOutcome {
  findingId: string;
  title: string;
  ok: boolean;
  /** What happened to this finding (the backend's sentence when it was refused). */
  message: string;
}

export interface FindingsSlice {
  findingsOf: string | null;
  findings: FindingListItem[];
  findingsTotal: number;
  approvalsRequired: number;
  findingsLoading: boolean;
  findingFilters: FindingFilters;
  findingSelection: string[];
  bulkBusy: boolean;
  bulkOutcomes: BulkOutcome[] | null;
  loadFindings(engagementId: string): Promise<void>;
  setFindingFilters(engagementId: string, change: Partial<FindingFilters>): Promise<void>;
  setFindingSelection(ids: string[]): void;
  runBulk(engagementId: string, action: BulkAction): Promise<void>;
  clearBulk(): void;
}

let loadSeq = 0;

function describe(action: BulkAction): string {
  switch (action.kind) {
    case 'submit':
      return 'submitted for review';
    case 'status':
      return `status set to ${action.status.replace('_', ' ')}`;
    case 'owner':
      return action.owner === null ? 'owner removed' : `owner set to ${action.owner}`;
    case 'tags':
      return action.tags.length ? `tags set to ${action.tags.join(', ')}` : 'tags removed';
  }
}

export const createFindingsSlice: SliceCreator<FindingsSlice> = (set, get) => ({
  findingsOf: null,
  findings: [],
  findingsTotal: 0,
  approvalsRequired: 1,
  findingsLoading: false,
  findingFilters: NO_FINDING_FILTERS,
  findingSelection: [],
  bulkBusy: false,
  bulkOutcomes: null,
  loadFindings: async (engagementId) => {
    const seq = ++loadSeq;
    if (get().findingsOf !== engagementId)
      set({ findingsOf: engagementId, findings: [], findingsTotal: 0, findingSelection: [], bulkOutcomes: null });
    set({ findingsLoading: true });
    try {
      const page = await value(
        api().finding.list({
          engagementId,
          filters: serverFilter(get().findingFilters),
          sort: { by: 'severity', dir: 'desc' },
          paging: { offset: 0, limit: FINDING_PAGE },
        }),
      );
      if (seq !== loadSeq) return;
      const ids = new Set(page.items.map((f) => f.id));
      set({
        findings: page.items,
        findingsTotal: page.total,
        approvalsRequired: page.approvalsRequired,
        findingSelection: get().findingSelection.filter((id) => ids.has(id)),
      });
    } catch (e) {
      if (seq === loadSeq) get().notify('error', 'Findings', e);
    } finally {
      if (seq === loadSeq) set({ findingsLoading: false });
    }
  },
  setFindingFilters: async (engagementId, change) => {
    const before = get().findingFilters;
    const next = { ...before, ...change };
    set({ findingFilters: next });
    // The free text filters what was read; the others ask the server again.
    const onlyText = Object.keys(change).every((k) => k === 'text');
    if (!onlyText) await get().loadFindings(engagementId);
  },
  setFindingSelection: (ids) => set({ findingSelection: ids }),
  clearBulk: () => set({ bulkOutcomes: null }),
  runBulk: async (engagementId, action) => {
    const chosen = get().findings.filter((f) => get().findingSelection.includes(f.id));
    if (chosen.length === 0) return;
    set({ bulkBusy: true, bulkOutcomes: [] });
    const outcomes: BulkOutcome[] = [];
    for (const f of chosen) {
      try {
        if (action.kind === 'submit') await value(api().finding.submit({ findingId: f.id }));
        else {
          const changes =
            action.kind === 'status'
              ? { status: action.status }
              : action.kind === 'owner'
                ? { customerOwner: action.owner }
                : { tags: action.tags };
          const reason = action.kind === 'status' ? action.reason : undefined;
          await value(
            api().finding.edit({
              findingId: f.id,
              changes,
              expectedRevision: f.revision,
              ...(reason ? { reason } : {}),
            }),
          );
        }
        outcomes.push({ findingId: f.id, title: f.title, ok: true, message: describe(action) });
      } catch (e) {
        outcomes.push({ findingId: f.id, title: f.title, ok: false, message: messageOf(e) });
      }
      set({ bulkOutcomes: [...outcomes] });
    }
    set({ bulkBusy: false });
    await get().loadFindings(engagementId);
  },
});
