/**
 * Hand-over: one export of the open engagement at a time (export.build), kept as the last one built so the screen
 * can show what it holds (file, size, SHA-256, what a final export left out) and offer it again as a download. A
 * refusal (nobody signed in, a final export while a finding is not approved) is main's sentence, shown as it is.
 */
import type { MethodInput, MethodOutput } from '../../../shared/api/contract.js';
import { api } from '../api/client.js';
import { messageOf, value } from '../api/call.js';
import type { SliceCreator } from './types.js';

export type BuiltExport = MethodOutput<'export.build'>;

export interface HandoverSlice {
  /** The format being built, or null. */
  exportBusy: string | null;
  /** The last export built, of `exportOf`. */
  lastExport: BuiltExport | null;
  exportOf: string | null;
  exportError: string | null;
  buildExport(input: MethodInput<'export.build'>): Promise<BuiltExport | null>;
  clearExport(): void;
}

export const createHandoverSlice: SliceCreator<HandoverSlice> = (set) => ({
  exportBusy: null,
  lastExport: null,
  exportOf: null,
  exportError: null,
  buildExport: async (input) => {
    set({ exportBusy: input.format, exportError: null });
    try {
      const built = await value(api().export.build(input));
      set({ lastExport: built, exportOf: input.engagementId });
      return built;
    } catch (e) {
      set({ exportError: messageOf(e) });
      return null;
    } finally {
      set({ exportBusy: null });
    }
  },
  clearExport: () => set({ lastExport: null, exportOf: null, exportError: null }),
});
