/**
 * Scans of the open engagement: the history, the catalogue (to count a selection), starting and cancelling, and
 * the live view of one scan. The live view is scan.get merged with scan.progress events; events are notifications,
 * so scan.finished (and a slow safety poll while a scan runs) re-read the whole picture with scan.get.
 */
import type { MethodOutput } from '../../../shared/api/contract.js';
import type { EventPayload } from '../../../shared/api/events.js';
import type {
  HostRunView,
  HostRunState,
  ScanCredential,
  ScanStartInput,
  ScanSummary,
} from '../../../shared/api/schemas/scans.js';
import type { SecretPurpose, SecretStatus } from '../../../shared/api/schemas/secrets.js';
import { api } from '../api/client.js';
import { value } from '../api/call.js';
import { isEnded, mergeHostRuns, mergeProgress } from '../screens/scan/liveModel.js';
import type { SliceCreator } from './types.js';

export type CatalogueList = MethodOutput<'catalogue.list'>;

/** One scan with its host runs, as scan.get gives it. */
export interface ScanDetail {
  scan: ScanSummary;
  hostRuns: HostRunView[];
}

/** What only events tell: the last note per host run and when the renderer saw it start and end (ms, local clock). */
export interface RunNote {
  detail?: string;
  /** Last step before an end state (how far a failed or cancelled run got). */
  lastStep?: HostRunState;
  seenStartMs?: number;
  seenEndMs?: number;
  /** The target has sent nothing for `ms` as of `seenMs` (local clock), in step `state`; gone once it speaks. */
  waiting?: { ms: number; seenMs: number; state: HostRunState };
}

export interface ScanSlice {
  scans: ScanSummary[];
  /** Engagement the history belongs to (a late reply for another engagement is dropped). */
  scansOf: string | null;
  catalogue: CatalogueList | null;
  /** The scan shown live on the scan screen. */
  liveScan: ScanDetail | null;
  /** Event notes of liveScan's host runs, by host run id. */
  runNotes: Record<string, RunNote>;
  /** A scan.cancel call is waiting for its reply. */
  cancelling: boolean;
  /** Secrets stored for the open engagement's hosts (secret.status): which ones, never their values. */
  secretStatus: (SecretStatus & { engagementId: string }) | null;
  loadScans(engagementId: string): Promise<void>;
  loadCatalogue(): Promise<void>;
  /** Show one scan live (scan.get now, events afterwards). */
  watchScan(scanId: string): Promise<void>;
  /** Re-read the live scan with scan.get. */
  refreshLiveScan(): Promise<void>;
  loadSecretStatus(engagementId: string): Promise<void>;
  forgetSecret(hostId: string, purpose: SecretPurpose): Promise<void>;
  /**
   * Start a scan; returns its id, or null when it was refused (a notice says why). Secrets in `input.credentials`
   * go into this one call and are not kept anywhere in the store. `remember`: secrets to store first with
   * secret.remember (a refusal is a notice; the scan still gets them).
   */
  startScan(input: ScanStartInput, remember?: readonly ScanCredential[]): Promise<string | null>;
  cancelScan(scanId: string): Promise<void>;
  /** Subscribe to scan events; later calls do nothing (one subscription per window). */
  subscribeScanEvents(): void;
}

let unsubscribe: (() => void) | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | null = null;
/** Delay before re-reading a scan after a host run ended. */
const ENDED_REFRESH_MS = 300;

export const createScanSlice: SliceCreator<ScanSlice> = (set, get) => {
  const onProgress = (p: EventPayload<'scan.progress'>): void => {
    get().resultsScanProgress(p);
    get().dashboardScanProgress(p);
    const live = get().liveScan;
    if (!live || live.scan.id !== p.scanId) return;
    const merged = mergeProgress(live.hostRuns, p);
    if (merged === null) {
      // A host run this view does not know yet: the whole picture is stale.
      void get().refreshLiveScan();
      return;
    }
    const now = Date.now();
    const prev = get().runNotes[p.hostRunId] ?? {};
    const note: RunNote = { ...prev };
    if (p.detail !== undefined) note.detail = p.detail;
    // A wait is told again and again while it lasts; any other event for the run means it is over.
    if (p.waitingSeconds !== undefined && !isEnded(p.state))
      note.waiting = { ms: p.waitingSeconds * 1000, seenMs: now, state: p.state };
    else delete note.waiting;
    if (p.state !== 'queued') note.seenStartMs ??= now;
    if (isEnded(p.state)) note.seenEndMs ??= now;
    else note.lastStep = p.state;
    set({ liveScan: { ...live, hostRuns: merged }, runNotes: { ...get().runNotes, [p.hostRunId]: note } });
    // A run that ended has counts, a score and timings only scan.get tells; runs ending together share one read.
    if (isEnded(p.state) && refreshTimer === null)
      refreshTimer = setTimeout(() => {
        refreshTimer = null;
        void get().refreshLiveScan();
      }, ENDED_REFRESH_MS);
  };

  const onFinished = (p: EventPayload<'scan.finished'>): void => {
    const s = get();
    if (s.liveScan?.scan.id === p.scanId) void s.refreshLiveScan();
    const engagementId = s.route.engagementId;
    if (engagementId && s.scans.some((x) => x.id === p.scanId)) void s.loadScans(engagementId);
    s.resultsScanFinished(p.scanId);
    s.dashboardScanFinished(p.scanId);
  };

  return {
    scans: [],
    scansOf: null,
    catalogue: null,
    liveScan: null,
    runNotes: {},
    cancelling: false,
    secretStatus: null,
    loadSecretStatus: async (engagementId) => {
      try {
        const status = await value(api().secret.status({ engagementId }));
        if (get().route.engagementId === engagementId) set({ secretStatus: { ...status, engagementId } });
      } catch (e) {
        get().notify('error', 'Stored secrets', e);
      }
    },
    forgetSecret: async (hostId, purpose) => {
      try {
        await value(api().secret.forget({ hostId, purpose }));
      } catch (e) {
        get().notify('error', 'Forget secret', e);
      }
      const engagementId = get().route.engagementId;
      if (engagementId) await get().loadSecretStatus(engagementId);
    },
    loadScans: async (engagementId) => {
      try {
        const page = await value(api().scan.list({ engagementId, paging: { offset: 0, limit: 200 } }));
        if (get().route.engagementId === engagementId) set({ scans: page.items, scansOf: engagementId });
      } catch (e) {
        get().notify('error', 'Scans', e);
      }
    },
    loadCatalogue: async () => {
      if (get().catalogue) return;
      try {
        set({ catalogue: await value(api().catalogue.list()) });
      } catch (e) {
        get().notify('error', 'Check catalogue', e);
      }
    },
    watchScan: async (scanId) => {
      if (get().liveScan?.scan.id !== scanId) set({ liveScan: null, runNotes: {} });
      try {
        const d = await value(api().scan.get({ scanId }));
        const { engagementId, scanId: named } = get().route;
        if (engagementId === d.scan.engagementId) set({ liveScan: d });
        // An address naming a scan of another engagement: say so rather than show nothing.
        else if (engagementId !== null && named === scanId)
          get().notify('error', 'Scan', `scan ${scanId} is not a scan of this engagement`);
      } catch (e) {
        get().notify('error', 'Scan', e);
      }
    },
    refreshLiveScan: async () => {
      const id = get().liveScan?.scan.id;
      if (!id) return;
      try {
        const d = await value(api().scan.get({ scanId: id }));
        const live = get().liveScan;
        // Never step a run back: an event may have overtaken this reply.
        if (live?.scan.id === id)
          set({ liveScan: { scan: d.scan, hostRuns: mergeHostRuns(live.hostRuns, d.hostRuns) } });
      } catch (e) {
        get().notify('error', 'Scan', e);
      }
    },
    startScan: async (input, remember = []) => {
      get().subscribeScanEvents();
      for (const c of remember) {
        try {
          await value(api().secret.remember(c));
        } catch (e) {
          get().notify('error', 'Remember secret', e);
        }
      }
      if (remember.length > 0) await get().loadSecretStatus(input.engagementId);
      try {
        const { scanId } = await value(api().scan.start(input));
        // The user may have opened another engagement while the scan was starting: its route must not get this scan.
        if (get().route.engagementId !== input.engagementId) return scanId;
        set({ liveScan: null, runNotes: {} });
        get().navigate({ scanId });
        await get().watchScan(scanId);
        await get().loadScans(input.engagementId);
        return scanId;
      } catch (e) {
        get().notify('error', 'Start scan', e);
        return null;
      }
    },
    cancelScan: async (scanId) => {
      set({ cancelling: true });
      try {
        await value(api().scan.cancel({ scanId }));
        if (get().liveScan?.scan.id === scanId) await get().refreshLiveScan();
      } catch (e) {
        get().notify('error', 'Cancel scan', e);
      } finally {
        set({ cancelling: false });
      }
    },
    subscribeScanEvents: () => {
      if (unsubscribe) return;
      const offProgress = api().on('scan.progress', onProgress);
      const offFinished = api().on('scan.finished', onFinished);
      unsubscribe = () => {
        offProgress();
        offFinished();
      };
    },
  };
};
