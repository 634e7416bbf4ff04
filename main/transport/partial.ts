/**
 * What a run had received when it failed (deadline, cancel, connection lost), carried beside its error so the
 * facts that arrived before the fault are kept: the transport attaches the script's stdout so far, the collector
 * parses it into a partial snapshot, the runner stores that snapshot with the failed host run.
 */
import type { FactSnapshot } from '../../shared/facts/snapshot.js';

const outputs = new WeakMap<object, Buffer>();
const snapshots = new WeakMap<object, FactSnapshot>();

/** `e`, remembered with the stdout the script had printed (nothing is attached when there was none). */
export function withPartialOutput<E>(e: E, stdout: Buffer | undefined): E {
  if (typeof e === 'object' && e !== null && stdout && stdout.length > 0) outputs.set(e, stdout);
  return e;
}

export function partialOutput(e: unknown): Buffer | undefined {
  return typeof e === 'object' && e !== null ? outputs.get(e) : undefined;
}

export function withPartialSnapshot<E>(e: E, snapshot: FactSnapshot): E {
  if (typeof e === 'object' && e !== null) snapshots.set(e, snapshot);
  return e;
}

export function partialSnapshot(e: unknown): FactSnapshot | undefined {
  return typeof e === 'object' && e !== null ? snapshots.get(e) : undefined;
}
