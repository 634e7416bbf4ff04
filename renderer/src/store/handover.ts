/**
 * Hand-over: one export of the open engagement at a time (export.build), kept as the last one built so the screen
 * can show what it holds (file, size, SHA-256, what a final export left out) and offer it again as a download. A
 * refusal (nobody signed in, a final export while a finding is not approved) is main's sentence, shown as it is.
 * The last Confluence bundle built can be published to a Confluence server (publish.confluence) with a token that
 * is sent with that one call and kept nowhere in the renderer.
 */
import type { MethodInput, MethodOutput } from '../../../shared/api/contract.js';
import { api } from '../api/client.js';
import { messageOf, value } from '../api/call.js';
import type { SliceCreator } from './types.js';

export type BuiltExport = MethodOutput<'export.build'>;
export type Published = MethodOutput<'publish.confluence'>;
export type PublishTarget = Omit<MethodInput<'publish.confluence'>, 'bundleBase64'>;
export type PublishedJira = MethodOutput<'publish.jira'>;

export interface HandoverSlice {
  /** The format being built, or null. */
  exportBusy: string | null;
  /** The last export built, of `exportOf`. */
  lastExport: BuiltExport | null;
  exportOf: string | null;
  exportError: string | null;
  buildExport(input: MethodInput<'export.build'>): Promise<BuiltExport | null>;
  clearExport(): void;
  publishing: boolean;
  /** The last publish of the last bundle built (its counts, and why it stopped if it did). */
  published: Published | null;
  publishError: string | null;
  /** Publishes the last Confluence bundle built; the token goes with this call only and is not kept here. */
  publishBundle(target: PublishTarget): Promise<Published | null>;
  /** The last publish of the findings to Jira, of `jiraOf`. */
  jiraPublished: PublishedJira | null;
  jiraOf: string | null;
  jiraError: string | null;
  jiraPublishing: boolean;
  /** Publishes the engagement's findings as Jira issues; the token goes with this call only. */
  publishJira(input: MethodInput<'publish.jira'>): Promise<PublishedJira | null>;
}

export const createHandoverSlice: SliceCreator<HandoverSlice> = (set, get) => ({
  exportBusy: null,
  lastExport: null,
  exportOf: null,
  exportError: null,
  buildExport: async (input) => {
    set({ exportBusy: input.format, exportError: null });
    try {
      const built = await value(api().export.build(input));
      set({ lastExport: built, exportOf: input.engagementId, published: null, publishError: null });
      return built;
    } catch (e) {
      set({ exportError: messageOf(e) });
      return null;
    } finally {
      set({ exportBusy: null });
    }
  },
  clearExport: () =>
    set({ lastExport: null, exportOf: null, exportError: null, published: null, publishError: null }),
  jiraPublished: null,
  jiraOf: null,
  jiraError: null,
  jiraPublishing: false,
  publishJira: async (input) => {
    set({ jiraPublishing: true, jiraError: null, jiraOf: input.engagementId });
    try {
      const p = await value(api().publish.jira(input));
      set({ jiraPublished: p });
      return p;
    } catch (e) {
      set({ jiraError: messageOf(e), jiraPublished: null });
      return null;
    } finally {
      set({ jiraPublishing: false });
    }
  },
  publishing: false,
  published: null,
  publishError: null,
  publishBundle: async (target) => {
    const bundle = get().lastExport;
    if (bundle?.format !== 'confluence') {
      set({ publishError: 'Build the Confluence bundle first: what is published is the bundle built here.' });
      return null;
    }
    set({ publishing: true, publishError: null });
    try {
      const p = await value(api().publish.confluence({ ...target, bundleBase64: bundle.contentBase64 }));
      set({ published: p });
      return p;
    } catch (e) {
      set({ publishError: messageOf(e), published: null });
      return null;
    } finally {
      set({ publishing: false });
    }
  },
});
