/**
 * The AAA view of the open engagement (one scan across its hosts, and one host run in detail) and the questions
 * no command can answer (attestations) with the engagement's answers. main builds both; the answer is signed by
 * the signed-in person, and a refusal is main's sentence, kept here and shown where the user acted.
 */
import type { AaaEngagement, AaaHost } from '../../../shared/api/schemas/aaa.js';
import type { AttestationItem } from '../../../shared/api/schemas/attestations.js';
import { api } from '../api/client.js';
import { messageOf, value } from '../api/call.js';
import type { SliceCreator } from './types.js';

export interface AccessSlice {
  access: AaaEngagement | null;
  /** The engagement and scan `access` is for (a late reply for another one is dropped). */
  accessOf: string | null;
  accessHost: AaaHost | null;
  accessLoading: boolean;
  accessError: string | null;
  loadAccess(engagementId: string, scanId?: string): Promise<void>;
  openAccessHost(hostRunId: string | null): Promise<void>;
  questions: AttestationItem[];
  questionsOf: string | null;
  questionError: string | null;
  loadQuestions(engagementId: string): Promise<void>;
  answerQuestion(input: {
    engagementId: string;
    checkId: string;
    answer: 'yes' | 'no' | 'not_applicable';
    note: string;
  }): Promise<boolean>;
}

export const createAccessSlice: SliceCreator<AccessSlice> = (set, get) => ({
  access: null,
  accessOf: null,
  accessHost: null,
  accessLoading: false,
  accessError: null,
  loadAccess: async (engagementId, scanId) => {
    const key = `${engagementId}/${scanId ?? ''}`;
    set({ accessLoading: true, accessError: null, accessOf: key });
    try {
      const view = await value(api().aaa.engagement(scanId ? { engagementId, scanId } : { engagementId }));
      if (get().accessOf !== key) return;
      const keep = get().accessHost;
      set({
        access: view,
        accessHost: keep && view.hosts.some((h) => h.hostRunId === keep.hostRunId) ? keep : null,
      });
    } catch (e) {
      if (get().accessOf === key) set({ accessError: messageOf(e), access: null, accessHost: null });
    } finally {
      if (get().accessOf === key) set({ accessLoading: false });
    }
  },
  openAccessHost: async (hostRunId) => {
    if (hostRunId === null) {
      set({ accessHost: null });
      return;
    }
    try {
      set({ accessHost: await value(api().aaa.host({ hostRunId })), accessError: null });
    } catch (e) {
      set({ accessError: messageOf(e) });
    }
  },
  questions: [],
  questionsOf: null,
  questionError: null,
  loadQuestions: async (engagementId) => {
    try {
      const { items } = await value(api().attestation.list({ engagementId }));
      set({ questions: items, questionsOf: engagementId, questionError: null });
    } catch (e) {
      set({ questionError: messageOf(e) });
    }
  },
  answerQuestion: async (input) => {
    set({ questionError: null });
    try {
      const item = await value(api().attestation.answer(input));
      set((s) => ({ questions: s.questions.map((q) => (q.checkId === item.checkId ? item : q)) }));
      return true;
    } catch (e) {
      set({ questionError: messageOf(e) });
      return false;
    }
  },
});
