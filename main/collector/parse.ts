import { SNAPSHOT_FORMAT, type CommandFact, type Fact, type FactSnapshot } from '../../shared/facts/snapshot.js';
import { FACTS } from '../../shared/facts/registry.js';
import { readFrames } from './frames.js';
import { pathsFacts, WALK_ID, type FactRegistry } from './protocol.js';
import { applySudoReads } from './sudo-facts.js';
import { frameToFact, walkToFacts } from './to-fact.js';

export interface ParseOptions {
  /** This run's boundary. Omit for a hand-run output file: the preamble's boundary is taken. */
  boundary?: string;
  /** Facts that were asked for. Default: the list in the output's preamble. */
  requested?: readonly string[];
  /** Where fact ids are looked up. Default FACTS. */
  registry?: FactRegistry;
  /** The transport cut stdout at its byte cap. */
  stdoutTruncated?: boolean;
  source: FactSnapshot['source'];
  /** Default: now. */
  collectedAt?: string;
  /** Use the target's clock from the output (when it sent a plausible one) instead of `collectedAt`. */
  preferTargetClock?: boolean;
}

// 2000-01-01 .. 2200-01-01: a target clock outside is not believed.
const CLOCK_MIN = 946_684_800;
const CLOCK_MAX = 7_258_118_400;

/** uid 0 according to the `host.id` fact (its first output line is `id -u`). */
export function isPrivileged(facts: Record<string, Fact>): boolean {
  const f = facts['host.id'] as CommandFact | undefined;
  if (!f || f.kind !== 'command' || f.exitCode === null || f.problem === 'error') return false;
  return f.stdout.split('\n', 1)[0]?.trim() === '0';
}

/**
 * Parses raw collector output into a FactSnapshot. Any bytes are accepted: damage shows up as facts with problem
 * 'error', issues and `complete: false`. Throws only a `collector` FoureyesError when the input is not collector
 * output at all (no preamble, or none with the given boundary). Linear time, memory bounded by the fact caps.
 */
export function parseCollectorOutput(output: Buffer, opts: ParseOptions): FactSnapshot {
  const raw = readFrames(output, opts.boundary, opts.registry);
  const issues = [...raw.issues];
  const requested = opts.requested ? [...opts.requested] : raw.requested;
  let complete = raw.done && !raw.endsMidLine;

  // host.id first: the other facts' `denied` reading depends on whether we were root.
  const hostFrame = raw.frames.get('host.id');
  const facts: Record<string, Fact> = {};
  if (hostFrame) facts['host.id'] = frameToFact(hostFrame, false);
  const privileged = isPrivileged(facts);

  for (const [id, frame] of raw.frames) {
    if (opts.requested && !requested.includes(id)) {
      issues.push({ factId: id, message: 'fact in the output was not requested for this run (ignored)' });
      continue;
    }
    const fact = id === 'host.id' ? (facts[id] as Fact) : frameToFact(frame, privileged);
    facts[id] = fact;
    if (!frame.closed || frame.corrupt) {
      complete = false;
      issues.push({ factId: id, message: fact.detail ?? 'damaged frame' });
    }
  }
  // The paths facts all come from the one walk frame.
  if (raw.walk) {
    for (const [id, fact] of Object.entries(walkToFacts(raw.walk, pathsFacts(raw.requested, opts.registry ?? FACTS)))) {
      if (!opts.requested || requested.includes(id)) facts[id] = fact;
    }
    if (!raw.walk.closed || raw.walk.corrupt) {
      complete = false;
      issues.push({ factId: WALK_ID, message: raw.walk.corrupt ? `damaged frame: ${raw.walk.corrupt}` : 'frame did not close (output cut off?)' });
    }
  }
  if (!raw.done) issues.push({ factId: '', message: 'the collector end marker is missing: output incomplete' });
  if (opts.stdoutTruncated) {
    complete = false;
    issues.push({ factId: '', message: 'collector output exceeded the byte cap and was cut' });
  }
  for (const id of requested) {
    if (!raw.frames.has(id) && facts[id] === undefined) {
      complete = false;
      issues.push({ factId: id, message: 'requested fact never arrived' });
    }
  }
  if (opts.requested && (raw.requested.length !== requested.length || requested.some((id) => !raw.requested.includes(id)))) {
    issues.push({ factId: '', message: 'the preamble names a different fact list than the one requested' });
  }
  if (raw.encoding === 'hex') issues.push({ factId: '', message: 'target has no base64: hex fallback encoding used' });

  const sudo = privileged ? undefined : applySudoReads(raw, facts);

  let collectedAt = opts.collectedAt ?? new Date().toISOString();
  if (opts.preferTargetClock && raw.clock !== undefined && raw.clock >= CLOCK_MIN && raw.clock <= CLOCK_MAX) {
    collectedAt = new Date(raw.clock * 1000).toISOString();
  }
  return {
    format: SNAPSHOT_FORMAT,
    collectorVersion: String(raw.version),
    collectedAt,
    source: opts.source,
    privileged,
    complete,
    facts,
    issues,
    ...(sudo ? { sudo } : {}),
  };
}
