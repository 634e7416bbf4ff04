/**
 * Review: the signed-in person's queue (findings in review they may approve) and the approval dialog of one finding,
 * which reads it first (content hash, revision, hosts) so the reviewer sees exactly what their key signs. A refusal
 * (an author or the submitter, the four-eye rule; a finding changed since it was read) is main's sentence, shown in
 * the dialog.
 */
import type { FindingListItem } from '../../../shared/api/schemas/findings.js';
import { api } from '../api/client.js';
import { messageOf, value } from '../api/call.js';
import type { FindingDetail } from './finding.js';
import type { SliceCreator } from './types.js';

export interface ReviewDialog {
  findingId: string;
  detail: FindingDetail | null;
  busy: boolean;
  error: string | null;
  /** What the last decision did, in words. */
  done: string | null;
}

export interface ReviewSlice {
  queue: FindingListItem[];
  queueTotal: number;
  queueLoading: boolean;
  /** Why the queue could not be read (nobody signed in...). */
  queueError: string | null;
  review: ReviewDialog | null;
  loadQueue(): Promise<void>;
  openReview(findingId: string): Promise<void>;
  closeReview(): void;
  approve(): Promise<boolean>;
  reject(comment: string): Promise<boolean>;
}

export const createReviewSlice: SliceCreator<ReviewSlice> = (set, get) => {
  const patch = (findingId: string, p: Partial<ReviewDialog>): void => {
    const r = get().review;
    if (r && r.findingId === findingId) set({ review: { ...r, ...p } });
  };
  /** After a decision: the queue, the list and the editor read again. */
  const refresh = async (findingId: string): Promise<void> => {
    const detail = await value(api().finding.get({ findingId }));
    patch(findingId, { detail });
    await get().loadQueue();
    const eng = get().findingsOf;
    if (eng) await get().loadFindings(eng);
    if (get().openFindingId === findingId) await get().reloadFinding();
  };
  return {
    queue: [],
    queueTotal: 0,
    queueLoading: false,
    queueError: null,
    review: null,
    loadQueue: async () => {
      set({ queueLoading: true });
      try {
        const page = await value(api().finding.reviewQueue({ paging: { offset: 0, limit: 1000 } }));
        set({ queue: page.items, queueTotal: page.total, queueError: null });
      } catch (e) {
        set({ queue: [], queueTotal: 0, queueError: messageOf(e) });
      } finally {
        set({ queueLoading: false });
      }
    },
    openReview: async (findingId) => {
      set({ review: { findingId, detail: null, busy: false, error: null, done: null } });
      try {
        patch(findingId, { detail: await value(api().finding.get({ findingId })) });
      } catch (e) {
        patch(findingId, { error: messageOf(e) });
      }
    },
    closeReview: () => set({ review: null }),
    approve: async () => {
      const r = get().review;
      if (!r?.detail) return false;
      const { id, revision } = r.detail.finding;
      patch(id, { busy: true, error: null, done: null });
      try {
        const res = await value(api().finding.approve({ findingId: id, expectedRevision: revision }));
        patch(id, {
          done:
            res.finding.reviewState === 'approved'
              ? `Approved revision ${revision} (${res.approvals} of ${res.required} approvals).`
              : `Your approval of revision ${revision} is recorded (${res.approvals} of ${res.required} approvals).`,
        });
        await refresh(id);
        return true;
      } catch (e) {
        patch(id, { error: messageOf(e) });
        return false;
      } finally {
        patch(id, { busy: false });
      }
    },
    reject: async (comment) => {
      const r = get().review;
      if (!r?.detail) return false;
      const id = r.detail.finding.id;
      patch(id, { busy: true, error: null, done: null });
      try {
        await value(api().finding.reject({ findingId: id, comment }));
        patch(id, { done: 'Sent back to draft with your comment.' });
        await refresh(id);
        return true;
      } catch (e) {
        patch(id, { error: messageOf(e) });
        return false;
      } finally {
        patch(id, { busy: false });
      }
    },
  };
};
