import { FACTS, type FactDef } from '../../shared/facts/registry.js';
import type { FactSnapshot } from '../../shared/facts/snapshot.js';
import { FoureyesError, isFoureyesError } from '../../shared/model/errors.js';
import type { ScriptRun, Transport } from '../transport/types.js';
import { partialOutput, withPartialSnapshot } from '../transport/partial.js';
import { parseCollectorOutput } from './parse.js';
import { walkDef, type FactRegistry } from './protocol.js';
import { buildCollectorScript } from './script.js';
import { boundForm, decodeTarget, guardForm, textForm } from '../../shared/text/target-text.js';

export interface CollectOptions {
  /** Whole-run deadline. Default 300 s. */
  deadlineMs?: number;
  /** Stdout cap. Default: the most the requested facts can produce (see outputBudget), at most 256 MiB. */
  maxBytes?: number;
  signal?: AbortSignal;
  /** Per-command limit on the target, seconds (0 = none). */
  commandTimeoutSec?: number;
  /** Fixed boundary (tests); default random per run. */
  boundary?: string;
  /** Where fact ids are looked up. Default FACTS. */
  registry?: FactRegistry;
}

export interface CollectResult {
  snapshot: FactSnapshot;
  run: ScriptRun;
}

const MiB = 1024 * 1024;
const MAX_BUDGET = 256 * MiB;
const DEFAULT_DEADLINE_MS = 300_000;

/**
 * Upper bound of the output the collector can print for these facts: every cap filled, in the bulkier hex
 * fallback encoding (about 3 characters per byte), plus framing.
 */
export function outputBudget(ids: readonly string[], registry: FactRegistry = FACTS): number {
  let bytes = 64 * 1024;
  for (const id of ids) {
    const d = registry[id] as FactDef | undefined;
    if (!d) continue;
    if (d.kind === 'file') bytes += d.maxBytes + 1 + 1024;
    else if (d.kind === 'fileset') bytes += d.maxFiles * (d.maxBytes + 1 + 1024) + 1024;
    else if (d.kind === 'command') bytes += 2 * (d.maxBytes + 1) + 1024;
  }
  const walk = walkDef(ids, registry);
  if (walk) bytes += 2 * (walk.maxBytes + 1) + 1024;
  return Math.min(MAX_BUDGET, Math.ceil(bytes * 3.1));
}

/** Target text for a message: its text form on one line (every byte kept, escapes for the rest), bounded. */
export function excerpt(b: Buffer | string, max = 300): string {
  const s = typeof b === 'string' ? b : decodeTarget(b.subarray(0, max * 4));
  return boundForm(textForm(s.trim(), 'name'), max + 1);
}

/**
 * Collects `factIds` (plus ALWAYS_COLLECTED) through one script run on `transport` and parses the result.
 * Rejects with the transport's error (timeout, cancelled, ssh…) or a `collector` error when the run printed no
 * collector output at all; a partial output gives a snapshot with `complete: false` and issues.
 */
export async function collectFacts(transport: Transport, factIds: readonly string[], opts: CollectOptions = {}): Promise<CollectResult> {
  const registry: FactRegistry = opts.registry ?? FACTS;
  const built = buildCollectorScript(factIds, {
    ...(opts.boundary !== undefined ? { boundary: opts.boundary } : {}),
    ...(opts.commandTimeoutSec !== undefined ? { commandTimeoutSec: opts.commandTimeoutSec } : {}),
    registry,
    sudoReads: transport.sudoReads === true,
  });
  let run: ScriptRun;
  try {
    run = await transport.runScript(built.script, {
      deadlineMs: opts.deadlineMs ?? DEFAULT_DEADLINE_MS,
      maxBytes: opts.maxBytes ?? outputBudget(built.factIds, registry),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (e) {
    // The facts that arrived before the fault (deadline, lost connection) are kept as an incomplete snapshot.
    const partial = partialOutput(e);
    if (!partial) throw e;
    try {
      const snapshot = parseCollectorOutput(partial, { boundary: built.boundary, requested: built.factIds, stdoutTruncated: false, source: transport.kind, registry });
      snapshot.complete = false;
      snapshot.issues.push({ factId: '', message: `run stopped: ${boundForm(guardForm(isFoureyesError(e) ? e.message : String(e)), 301)}` });
      withPartialSnapshot(e, snapshot);
    } catch {
      // not collector output: nothing to keep
    }
    throw e;
  }

  let snapshot: FactSnapshot;
  try {
    snapshot = parseCollectorOutput(run.stdout, {
      boundary: built.boundary,
      requested: built.factIds,
      stdoutTruncated: run.stdoutTruncated,
      source: transport.kind,
      registry,
    });
  } catch (e) {
    if (!isFoureyesError(e) || e.code !== 'collector') throw e;
    const err = excerpt(run.stderr);
    throw new FoureyesError(
      'collector',
      `${e.message}; the ${transport.kind} shell exited with ${run.exitCode ?? 'no status'}${err ? `, stderr: ${err}` : ''}`,
    );
  }

  const issues = snapshot.issues;
  if (run.privilegeNote) issues.push({ factId: '', message: `privilege: ${excerpt(run.privilegeNote)}` });
  if (snapshot.sudo) {
    if (snapshot.sudo.unread.length > 0) issues.push({ factId: '', message: `restricted sudo: not in the sudo rules granted to ${excerpt(snapshot.sudo.user, 64)}: ${snapshot.sudo.unread.join(', ')}` });
  } else if (!snapshot.privileged) {
    const needRoot = built.factIds.filter((id) => {
      const d = registry[id];
      return d !== undefined && 'privileged' in d && d.privileged === true;
    });
    if (needRoot.length > 0) issues.push({ factId: '', message: `not root on the target: facts needing root may be denied (${needRoot.join(', ')})` });
  }
  if (run.privilege !== 'none' && !snapshot.privileged) {
    issues.push({ factId: 'host.id', message: `transport reported privilege "${run.privilege}" but the collector did not run as uid 0` });
  }
  if (run.exitCode !== 0) issues.push({ factId: '', message: `collector shell exited with ${run.exitCode ?? 'no status (killed)'}` });
  if (run.stderr.length > 0) issues.push({ factId: '', message: `collector stderr: ${excerpt(run.stderr)}` });
  return { snapshot, run };
}
