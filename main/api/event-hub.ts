/**
 * Fan-out of events from the services to every connected UI (Electron windows, bridge WebSockets). Payloads are
 * validated against the event map before they leave main; an invalid one is dropped and logged, so the UI never
 * receives a shape it does not know.
 */
import { EVENTS, type EventEnvelope, type EventPayload } from '../../shared/api/events.js';
import { isEventName, type EventName } from '../../shared/api/names.js';
import type { ApiLogger } from './log.js';

export type EmitEvent = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
export type EventListener = (envelope: EventEnvelope) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly log: ApiLogger) {}

  /** Bound, so services can take it as a plain function. */
  readonly emit: EmitEvent = (event, payload) => {
    if (!isEventName(event)) {
      this.log.error('event dropped: unknown event name', { event: String(event) });
      return;
    }
    const parsed = EVENTS[event].safeParse(payload);
    if (!parsed.success) {
      this.log.error('event dropped: payload does not match the event map', {
        event,
        issues: parsed.error.issues,
      });
      return;
    }
    const envelope = { event, payload: parsed.data } as EventEnvelope;
    for (const listener of this.listeners) {
      try {
        listener(envelope);
      } catch (e) {
        this.log.error('event listener failed', { event, error: e instanceof Error ? e.stack : String(e) });
      }
    }
  };

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
