/**
 * Hosts of the open engagement: the list, read a page at a time (HOST_PAGE hosts a call, more as the user asks for
 * them, with the engagement's total from every reply), add/edit/remove, inventory import (dry run, then for real) and host key
 * checks (probe, accept). Host key checks are kept per host id until closed, so each row can show its own.
 *
 * Failures of the form, the import and the probe are shown where the user acted (beside the form, in the import
 * panel, in the host's key panel), so they are kept in state rather than also raised as notices; everything else
 * (loading, removing, accepting) is a notice.
 */
import type { MethodOutput } from '../../../shared/api/contract.js';
import type {
  Host,
  HostLastPrivilege,
  HostChanges,
  HostInput,
  HostKeyProbe,
  ImportSource,
} from '../../../shared/api/schemas/workspace.js';
import { api } from '../api/client.js';
import { UiError, messageOf, value } from '../api/call.js';
import type { SliceCreator } from './types.js';

export type HostImportResult = MethodOutput<'host.import'>;

/** Hosts read per host.list call (the contract allows up to MAX_HOST_PAGE). */
export const HOST_PAGE = 500;
export type HostKeyAcceptance = MethodOutput<'hostKey.accept'>;

/** The state of one host's key check. */
export type HostKeyCheck =
  | { state: 'probing'; seq: number }
  /** `accepted` is set once the user accepted the presented fingerprint after this probe. */
  | { state: 'probed'; seq: number; probe: HostKeyProbe; accepted: HostKeyAcceptance | null }
  /** The probe failed (unreachable, timeout, jump host not accepted...): code and message as the backend gave them. */
  | { state: 'failed'; seq: number; code: string; message: string };

export interface HostImportState {
  busy: boolean;
  /** The last dry run; "Import" imports exactly this source and content. */
  preview: {
    source: ImportSource;
    content: string;
    fileName: string | null;
    result: HostImportResult;
  } | null;
  /** The last real import. */
  done: HostImportResult | null;
  /** Why the last preview or import was refused as a whole (unsupported source, no header row...). */
  error: string | null;
}

const NO_IMPORT: HostImportState = { busy: false, preview: null, done: null, error: null };

export interface HostSlice {
  /** The hosts read so far: the first ones of the engagement in name order, HOST_PAGE more each loadMoreHosts. */
  hosts: Host[];
  /** Hosts of the engagement in all, and how many have an accepted host key (from the latest reply). */
  hostsTotal: number;
  hostsPinned: number;
  /** Names of jump hosts that are not among the hosts read yet, by id. */
  jumpHostNames: Record<string, string>;
  /** How each host's latest run ran (root, sudo, none), by host id: the privilege as the scan found it. */
  hostPrivileges: Record<string, HostLastPrivilege>;
  /** Engagement the host list belongs to (a late reply for another engagement is dropped). */
  hostsOf: string | null;
  hostsLoading: boolean;
  /** The backend's message for the last refused add or edit (it names the field); shown by the form. */
  hostFormError: string | null;
  hostImport: HostImportState;
  /** Open host key checks by host id. */
  hostKeyChecks: Record<string, HostKeyCheck>;
  /** Reads the engagement's first page of hosts again (or, with `keep`, at least as many hosts as are read now). */
  loadHosts(engagementId: string, opts?: { keep?: boolean }): Promise<void>;
  /** Reads the next page of the engagement's hosts, after the ones read. */
  loadMoreHosts(engagementId: string): Promise<void>;
  /** Adds a host; the stored host, or null when refused (then hostFormError says why). */
  addHost(engagementId: string, host: HostInput): Promise<Host | null>;
  /** Changes some fields of a host; the stored host, or null when refused (then hostFormError says why). */
  updateHost(hostId: string, changes: HostChanges): Promise<Host | null>;
  removeHost(hostId: string): Promise<boolean>;
  clearHostFormError(): void;
  /** Dry run: parse and report, store nothing. `fileName` (the chosen file) names it in the messages. */
  previewImport(
    engagementId: string,
    source: ImportSource,
    content: string,
    fileName?: string | null,
  ): Promise<void>;
  /** Imports what the last preview showed, then reloads the list. */
  runImport(engagementId: string): Promise<void>;
  resetImport(): void;
  /** Connects as far as the key exchange and compares the presented key with the pinned and known ones. */
  probeHostKey(hostId: string): Promise<void>;
  /** Pins a fingerprint for the host (after an out-of-band comparison or a typed confirmation). */
  acceptHostKey(hostId: string, fingerprint: string): Promise<boolean>;
  closeHostKey(hostId: string): void;
}

let probeSeq = 0;
/** Latest host list read asked for: an older reply is not applied. */
let hostsSeq = 0;

type HostPage = MethodOutput<'host.list'>;
const privilegesOf = (pages: readonly HostPage[]): Record<string, HostLastPrivilege> =>
  Object.fromEntries(pages.flatMap((p) => p.lastPrivileges).map((p) => [p.hostId, p]));
const jumpNamesOf = (pages: readonly HostPage[]): Record<string, string> =>
  Object.fromEntries(pages.flatMap((p) => p.jumpHosts).map((j) => [j.id, j.name]));

export const createHostSlice: SliceCreator<HostSlice> = (set, get) => {
  const setCheck = (hostId: string, check: HostKeyCheck | undefined): void => {
    const next = { ...get().hostKeyChecks };
    if (check) next[hostId] = check;
    else delete next[hostId];
    set({ hostKeyChecks: next });
  };
  /** Reload the list and the engagement's counts after a change. */
  const refresh = async (engagementId: string): Promise<void> => {
    await get().loadHosts(engagementId, { keep: true });
    if (get().current?.id === engagementId) await get().loadCurrent(engagementId);
  };
  const engagementOf = (hostId: string): string | null =>
    get().hosts.find((h) => h.id === hostId)?.engagementId ?? get().hostsOf;

  return {
    hosts: [],
    hostsTotal: 0,
    hostsPinned: 0,
    jumpHostNames: {},
    hostPrivileges: {},
    hostsOf: null,
    hostsLoading: false,
    hostFormError: null,
    hostImport: NO_IMPORT,
    hostKeyChecks: {},
    loadHosts: async (engagementId, opts = {}) => {
      const seq = ++hostsSeq;
      // After a change, as many hosts as were read stay read (a page at a time), so the table keeps its place.
      const want =
        opts.keep && get().hostsOf === engagementId ? Math.max(HOST_PAGE, get().hosts.length) : HOST_PAGE;
      set({ hostsLoading: true });
      try {
        const pages: HostPage[] = [];
        for (let offset = 0; offset < want; offset += HOST_PAGE) {
          const page = await value(api().host.list({ engagementId, paging: { offset, limit: HOST_PAGE } }));
          pages.push(page);
          if (offset + HOST_PAGE >= page.total) break;
        }
        if (seq === hostsSeq && get().route.engagementId === engagementId)
          set({
            hosts: pages.flatMap((p) => p.hosts),
            hostsTotal: pages.at(-1)!.total,
            hostsPinned: pages.at(-1)!.pinned,
            jumpHostNames: jumpNamesOf(pages),
            hostsOf: engagementId,
            hostPrivileges: privilegesOf(pages),
          });
      } catch (e) {
        get().notify('error', 'Hosts', e);
      } finally {
        if (seq === hostsSeq) set({ hostsLoading: false });
      }
    },
    loadMoreHosts: async (engagementId) => {
      if (get().hostsOf !== engagementId || get().hostsLoading) return;
      const seq = ++hostsSeq;
      const offset = get().hosts.length;
      set({ hostsLoading: true });
      try {
        const page = await value(api().host.list({ engagementId, paging: { offset, limit: HOST_PAGE } }));
        if (seq === hostsSeq && get().hostsOf === engagementId && get().hosts.length === offset)
          set({
            hosts: [...get().hosts, ...page.hosts],
            hostsTotal: page.total,
            hostsPinned: page.pinned,
            jumpHostNames: { ...get().jumpHostNames, ...jumpNamesOf([page]) },
            hostPrivileges: { ...get().hostPrivileges, ...privilegesOf([page]) },
          });
      } catch (e) {
        get().notify('error', 'Hosts', e);
      } finally {
        if (seq === hostsSeq) set({ hostsLoading: false });
      }
    },
    addHost: async (engagementId, host) => {
      set({ hostFormError: null });
      try {
        const added = await value(api().host.add({ engagementId, host }));
        await refresh(engagementId);
        return added;
      } catch (e) {
        set({ hostFormError: messageOf(e) });
        return null;
      }
    },
    updateHost: async (hostId, changes) => {
      set({ hostFormError: null });
      try {
        const updated = await value(api().host.update({ hostId, changes }));
        await refresh(updated.engagementId);
        return updated;
      } catch (e) {
        set({ hostFormError: messageOf(e) });
        return null;
      }
    },
    removeHost: async (hostId) => {
      const engagementId = engagementOf(hostId);
      try {
        await value(api().host.remove({ hostId }));
        setCheck(hostId, undefined);
        if (engagementId) await refresh(engagementId);
        return true;
      } catch (e) {
        get().notify('error', 'Remove host', e);
        return false;
      }
    },
    clearHostFormError: () => set({ hostFormError: null }),
    previewImport: async (engagementId, source, content, fileName = null) => {
      set({ hostImport: { ...NO_IMPORT, busy: true } });
      // A preview of another engagement's import (the user moved on meanwhile) is not shown in this one's panel.
      const stillOpen = (): boolean => get().route.engagementId === engagementId;
      try {
        const named = fileName?.trim() ? { fileName: fileName.trim().slice(0, 255) } : {};
        const result = await value(
          api().host.import({ engagementId, source, content, dryRun: true, ...named }),
        );
        if (stillOpen())
          set({ hostImport: { ...NO_IMPORT, preview: { source, content, fileName, result } } });
      } catch (e) {
        if (stillOpen()) set({ hostImport: { ...NO_IMPORT, error: messageOf(e) } });
      }
    },
    runImport: async (engagementId) => {
      const preview = get().hostImport.preview;
      if (!preview) return;
      set({ hostImport: { ...get().hostImport, busy: true, error: null } });
      // The outcome belongs to the panel of the engagement imported into, not to the one open when it arrives.
      const stillOpen = (): boolean => get().route.engagementId === engagementId;
      try {
        const { source, content, fileName } = preview;
        const named = fileName?.trim() ? { fileName: fileName.trim().slice(0, 255) } : {};
        const done = await value(
          api().host.import({ engagementId, source, content, dryRun: false, ...named }),
        );
        if (stillOpen()) set({ hostImport: { ...NO_IMPORT, done } });
        await refresh(engagementId);
      } catch (e) {
        if (stillOpen()) set({ hostImport: { ...get().hostImport, busy: false, error: messageOf(e) } });
        else get().notify('error', 'Import hosts', e);
      }
    },
    resetImport: () => set({ hostImport: NO_IMPORT }),
    probeHostKey: async (hostId) => {
      const seq = ++probeSeq;
      setCheck(hostId, { state: 'probing', seq });
      // A reply for a check that was closed or started again meanwhile is dropped.
      const current = (): boolean => get().hostKeyChecks[hostId]?.seq === seq;
      try {
        const probe = await value(api().hostKey.probe({ hostId }));
        if (current()) setCheck(hostId, { state: 'probed', seq, probe, accepted: null });
      } catch (e) {
        const code = e instanceof UiError ? e.info.code : 'internal';
        if (current()) setCheck(hostId, { state: 'failed', seq, code, message: messageOf(e) });
      }
    },
    acceptHostKey: async (hostId, fingerprint) => {
      const engagementId = engagementOf(hostId);
      try {
        const accepted = await value(api().hostKey.accept({ hostId, fingerprint }));
        const check = get().hostKeyChecks[hostId];
        if (check?.state === 'probed') setCheck(hostId, { ...check, accepted });
        if (engagementId) await get().loadHosts(engagementId, { keep: true });
        return true;
      } catch (e) {
        get().notify('error', 'Accept host key', e);
        return false;
      }
    },
    closeHostKey: (hostId) => setCheck(hostId, undefined),
  };
};
