/**
 * Events main pushes to the UI. Long jobs (scans) return an id at once; every event carries that id so the UI can
 * route it. Events are notifications: the UI re-reads the state (scan.get) when it needs the whole picture, so a
 * missed event costs freshness, never correctness.
 */
import { z } from 'zod';
import type { EventName } from './names.js';
import { ErrorInfoSchema, IdSchema, VerdictCountsSchema } from './schemas/common.js';
import { HostRunStateSchema, ScanStateSchema } from './schemas/scans.js';

export { EVENT_NAMES, isEventName, type EventName } from './names.js';

export const EVENTS = {
  /** One host run of a scan changed state (queued -> connecting -> collecting -> evaluating -> done/failed/cancelled). */
  'scan.progress': z.object({
    scanId: IdSchema,
    hostRunId: IdSchema,
    hostId: IdSchema,
    /** Host name, for display. */
    host: z.string(),
    state: HostRunStateSchema,
    /** Short human note ("sudo refused: assessing unprivileged", "12/92 checks"). */
    detail: z.string().max(500).optional(),
    /** Set when state is failed. */
    error: ErrorInfoSchema.optional(),
    /**
     * While connecting or collecting: seconds the target has sent nothing (repeated as the wait goes on; a later
     * event without it means the wait is over).
     */
    waitingSeconds: z.number().int().min(0).optional(),
  }),
  /** A scan ended (all host runs finished, or it was cancelled or could not run). */
  'scan.finished': z.object({
    scanId: IdSchema,
    state: ScanStateSchema,
    counts: VerdictCountsSchema,
  }),
} as const satisfies Record<EventName, z.ZodType>;

export type EventPayload<E extends EventName> = z.output<(typeof EVENTS)[E]>;

/** One event as it travels over a transport (the WebSocket frame in browser mode). */
export interface EventEnvelope<E extends EventName = EventName> {
  event: E;
  payload: EventPayload<E>;
}
