/**
 * One finding in the editor: its detail (content hash, host parts with the evidence of the last scan, attachments,
 * authors, approvals), its history, and the changes made to it. An edit carries the revision the editor read; a
 * finding changed meanwhile is refused by main, and the editor says so and reads it again. Refusals are kept here
 * and shown beside the editor, in the backend's words.
 */
import type { MethodOutput } from '../../../shared/api/contract.js';
import type { FindingEdit } from '../../../shared/model/finding.js';
import type { FindingChange } from '../../../shared/model/finding.js';
import { API_ATTACHMENT_MAX_BYTES } from '../../../shared/api/schemas/findings.js';
import { api } from '../api/client.js';
import { dataHref } from '../components/download.js';
import { messageOf, value } from '../api/call.js';
import type { SliceCreator } from './types.js';

export type FindingDetail = MethodOutput<'finding.get'>;

/** The history entries read for one finding (the contract's page maximum). */
const HISTORY_PAGE = 1000;

export interface FindingSlice {
  openFindingId: string | null;
  findingDetail: FindingDetail | null;
  findingHistory: FindingChange[];
  findingHistoryTotal: number;
  /** The backend's sentence for the last refused change (save, submit). */
  findingError: string | null;
  /** Set when a save was refused because the finding changed meanwhile; the editor shows what was read again. */
  findingConflict: string | null;
  /** The backend's sentence for the last refused upload or removal of an attachment. */
  attachmentError: string | null;
  findingBusy: boolean;
  openFinding(findingId: string): Promise<void>;
  closeFinding(): void;
  reloadFinding(): Promise<void>;
  saveFinding(changes: FindingEdit, reason: string | undefined): Promise<boolean>;
  submitFinding(): Promise<boolean>;
  attachFile(file: File): Promise<boolean>;
  detachAttachment(attachmentId: string): Promise<void>;
  /**
   * The attachment as a download: a data: URL typed application/octet-stream, so the browser saves the bytes and
   * never renders them.
   */
  attachmentDownload(attachmentId: string): Promise<{ href: string; name: string } | null>;
}

const CONFLICT = /changed meanwhile/;

/** base64 of bytes, in slices (String.fromCharCode takes a bounded number of arguments). */
function base64Of(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export const createFindingSlice: SliceCreator<FindingSlice> = (set, get) => {
  const still = (id: string): boolean => get().openFindingId === id;
  const read = async (id: string): Promise<void> => {
    const [detail, history] = await Promise.all([
      value(api().finding.get({ findingId: id })),
      value(api().finding.history({ findingId: id, paging: { offset: 0, limit: HISTORY_PAGE } })),
    ]);
    if (still(id)) set({ findingDetail: detail, findingHistory: history.items, findingHistoryTotal: history.total });
  };
  /** After a change: the detail again, and the list behind the editor. */
  const after = async (id: string): Promise<void> => {
    await read(id);
    const eng = get().findingsOf;
    if (eng) await get().loadFindings(eng);
  };
  return {
    openFindingId: null,
    findingDetail: null,
    findingHistory: [],
    findingHistoryTotal: 0,
    findingError: null,
    findingConflict: null,
    attachmentError: null,
    findingBusy: false,
    openFinding: async (findingId) => {
      set({
        openFindingId: findingId,
        findingDetail: null,
        findingHistory: [],
        findingError: null,
        findingConflict: null,
        attachmentError: null,
      });
      try {
        await read(findingId);
      } catch (e) {
        if (still(findingId)) set({ findingError: messageOf(e) });
      }
    },
    closeFinding: () => set({ openFindingId: null, findingDetail: null, findingHistory: [] }),
    reloadFinding: async () => {
      const id = get().openFindingId;
      if (!id) return;
      try {
        await read(id);
      } catch (e) {
        if (still(id)) set({ findingError: messageOf(e) });
      }
    },
    saveFinding: async (changes, reason) => {
      const d = get().findingDetail;
      if (!d) return false;
      const id = d.finding.id;
      set({ findingBusy: true, findingError: null, findingConflict: null });
      try {
        await value(
          api().finding.edit({
            findingId: id,
            changes,
            expectedRevision: d.finding.revision,
            ...(reason?.trim() ? { reason: reason.trim() } : {}),
          }),
        );
        await after(id);
        return true;
      } catch (e) {
        const message = messageOf(e);
        if (CONFLICT.test(message)) {
          set({ findingConflict: message });
          await after(id).catch(() => undefined);
        } else set({ findingError: message });
        return false;
      } finally {
        set({ findingBusy: false });
      }
    },
    submitFinding: async () => {
      const d = get().findingDetail;
      if (!d) return false;
      set({ findingBusy: true, findingError: null });
      try {
        await value(api().finding.submit({ findingId: d.finding.id }));
        await after(d.finding.id);
        return true;
      } catch (e) {
        set({ findingError: messageOf(e) });
        return false;
      } finally {
        set({ findingBusy: false });
      }
    },
    attachFile: async (file) => {
      const d = get().findingDetail;
      if (!d) return false;
      set({ attachmentError: null });
      // Larger files cannot go through the API; main would refuse them too, with the same figure.
      if (file.size > API_ATTACHMENT_MAX_BYTES) {
        set({
          attachmentError: `${file.name} is ${file.size.toLocaleString('en-US')} bytes: at most ${API_ATTACHMENT_MAX_BYTES.toLocaleString('en-US')} bytes can be attached here.`,
        });
        return false;
      }
      set({ findingBusy: true });
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        await value(
          api().finding.attach({
            findingId: d.finding.id,
            name: file.name,
            contentBase64: base64Of(bytes),
            expectedRevision: d.finding.revision,
          }),
        );
        await after(d.finding.id);
        return true;
      } catch (e) {
        const message = messageOf(e);
        set({ attachmentError: message.includes(file.name) ? message : `${file.name}: ${message}` });
        return false;
      } finally {
        set({ findingBusy: false });
      }
    },
    detachAttachment: async (attachmentId) => {
      const d = get().findingDetail;
      if (!d) return;
      set({ findingBusy: true, attachmentError: null });
      try {
        await value(api().finding.detach({ attachmentId, expectedRevision: d.finding.revision }));
        await after(d.finding.id);
      } catch (e) {
        set({ attachmentError: messageOf(e) });
      } finally {
        set({ findingBusy: false });
      }
    },
    attachmentDownload: async (attachmentId) => {
      try {
        const { attachment, contentBase64 } = await value(api().finding.attachment({ attachmentId }));
        return { href: dataHref(contentBase64), name: attachment.name };
      } catch (e) {
        set({ attachmentError: messageOf(e) });
        return null;
      }
    },
  };
};
