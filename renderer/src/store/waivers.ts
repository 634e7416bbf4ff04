/**
 * Waivers of the open engagement: the list (state, days until expiry, whether each applies now), a request by the
 * signed-in person, and the decisions (approve by a second person, reject, revoke). Refusals (the requester
 * approving, a date in the past) are main's sentences, kept here and shown where the user acted.
 */
import type { MethodInput } from '../../../shared/api/contract.js';
import type { WaiverListItem } from '../../../shared/api/schemas/waivers.js';
import { api } from '../api/client.js';
import { messageOf, value } from '../api/call.js';
import type { SliceCreator } from './types.js';

/** A request the user is about to make, prefilled from a finding. */
export interface WaiverDraft {
  checkId: string;
  hostId: string | null;
}

export interface WaiverSlice {
  waivers: WaiverListItem[];
  waiversToday: string | null;
  waiversLoading: boolean;
  /** main's sentence for the last refused read, request or decision. */
  waiverError: string | null;
  waiverDraft: WaiverDraft | null;
  loadWaivers(engagementId: string): Promise<void>;
  requestWaiver(input: MethodInput<'waiver.request'>): Promise<boolean>;
  decideWaiver(verb: 'approve' | 'reject' | 'revoke', waiverId: string, why?: string): Promise<boolean>;
  /** Opens the waivers screen with a request prefilled (from a finding's host). */
  draftWaiver(engagementId: string, draft: WaiverDraft): void;
}

export const createWaiverSlice: SliceCreator<WaiverSlice> = (set, get) => {
  const reload = async (): Promise<void> => {
    const id = get().route.engagementId;
    if (id) await get().loadWaivers(id);
  };
  return {
    waivers: [],
    waiversToday: null,
    waiversLoading: false,
    waiverError: null,
    waiverDraft: null,
    loadWaivers: async (engagementId) => {
      set({ waiversLoading: true });
      try {
        const { today, items } = await value(api().waiver.list({ engagementId }));
        set({ waivers: items, waiversToday: today });
      } catch (e) {
        set({ waiverError: messageOf(e) });
      } finally {
        set({ waiversLoading: false });
      }
    },
    requestWaiver: async (input) => {
      set({ waiverError: null });
      try {
        await value(api().waiver.request(input));
        set({ waiverDraft: null });
        await reload();
        return true;
      } catch (e) {
        set({ waiverError: messageOf(e) });
        return false;
      }
    },
    decideWaiver: async (verb, waiverId, why) => {
      set({ waiverError: null });
      try {
        if (verb === 'approve') await value(api().waiver.approve({ waiverId }));
        else if (verb === 'reject') await value(api().waiver.reject({ waiverId, comment: why ?? '' }));
        else await value(api().waiver.revoke({ waiverId, reason: why ?? '' }));
        await reload();
        return true;
      } catch (e) {
        set({ waiverError: messageOf(e) });
        return false;
      }
    },
    draftWaiver: (engagementId, draft) => {
      set({ waiverDraft: draft, waiverError: null });
      get().navigate({ screen: 'waivers', engagementId });
    },
  };
};
