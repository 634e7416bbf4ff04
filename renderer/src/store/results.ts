/** Results of one scan. */
import type { z } from 'zod';
import type { ResultsPageSchema } from '../../../shared/api/schemas/results.js';
import { api } from '../api/client.js';
import { value } from '../api/call.js';
import type { SliceCreator } from './types.js';

export type ResultsPage = z.infer<typeof ResultsPageSchema>;

export interface ResultSlice {
  resultsPage: ResultsPage | null;
  loadResults(scanId: string): Promise<void>;
}

export const createResultSlice: SliceCreator<ResultSlice> = (set, get) => ({
  resultsPage: null,
  loadResults: async (scanId) => {
    try {
      set({ resultsPage: await value(api().results.query({ scanId })) });
    } catch (e) {
      get().notify('error', 'Results', e);
    }
  },
});
