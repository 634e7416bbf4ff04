/** Engagements: the list, the one open, create and archive. */
import type { MethodOutput } from '../../../shared/api/contract.js';
import type { Engagement, EngagementCreate } from '../../../shared/api/schemas/workspace.js';
import { api } from '../api/client.js';
import { messageOf, value } from '../api/call.js';
import type { SliceCreator } from './types.js';

export type EngagementDetail = MethodOutput<'engagement.get'>;

export interface EngagementSlice {
  engagements: Engagement[];
  showArchived: boolean;
  engagementsLoading: boolean;
  /** The open engagement with its counts; null on the list screen. */
  current: EngagementDetail | null;
  /** Why the route's engagement could not be opened (unknown, removed...): the backend's message. */
  currentError: { engagementId: string; message: string } | null;
  loadEngagements(): Promise<void>;
  setShowArchived(show: boolean): Promise<void>;
  createEngagement(input: EngagementCreate): Promise<Engagement | null>;
  archiveEngagement(id: string): Promise<void>;
  /** Open an engagement: load it and go to its hosts. */
  openEngagement(id: string): Promise<void>;
  loadCurrent(id: string): Promise<void>;
}

let listSeq = 0;

export const createEngagementSlice: SliceCreator<EngagementSlice> = (set, get) => ({
  engagements: [],
  showArchived: false,
  engagementsLoading: false,
  current: null,
  currentError: null,
  loadEngagements: async () => {
    // "Show archived" ticked and unticked quickly: only the last load's reply is the list asked for.
    const seq = ++listSeq;
    set({ engagementsLoading: true });
    try {
      const { engagements } = await value(api().engagement.list({ includeArchived: get().showArchived }));
      if (seq === listSeq) set({ engagements });
    } catch (e) {
      if (seq === listSeq) get().notify('error', 'Engagements', e);
    } finally {
      if (seq === listSeq) set({ engagementsLoading: false });
    }
  },
  setShowArchived: async (show) => {
    set({ showArchived: show });
    await get().loadEngagements();
  },
  createEngagement: async (input) => {
    try {
      const e = await value(api().engagement.create(input));
      await get().loadEngagements();
      return e;
    } catch (err) {
      get().notify('error', 'Create engagement', err);
      return null;
    }
  },
  archiveEngagement: async (id) => {
    try {
      await value(api().engagement.archive({ engagementId: id }));
      if (get().current?.id === id) await get().loadCurrent(id);
      await get().loadEngagements();
    } catch (e) {
      get().notify('error', 'Archive engagement', e);
    }
  },
  openEngagement: async (id) => {
    get().navigate({ screen: 'hosts', engagementId: id });
    await get().loadCurrent(id);
  },
  loadCurrent: async (id) => {
    // A reply for an engagement the user has left (another one opened since) is not applied.
    const stillOpen = (): boolean => get().route.engagementId === id;
    try {
      const current = await value(api().engagement.get({ engagementId: id }));
      if (stillOpen()) set({ current, currentError: null });
    } catch (e) {
      if (!stillOpen()) return;
      set({ current: null, currentError: { engagementId: id, message: messageOf(e) } });
      get().notify('error', 'Open engagement', e);
    }
  },
});
