/**
 * Builds a FactSnapshot from a scenario (shared/checks/scenario.ts): a root scan of a Debian 12 host with only the
 * host.* facts, plus the facts the scenario lists. Used to run each check's scenarios through the evaluator.
 */
import type { Check } from '../../shared/checks/schema.js';
import type { CmdSpec, FileSpec, Scenario } from '../../shared/checks/scenario.js';
import type { CheckResult } from '../../shared/model/results.js';
import { evaluateAll } from '../engine/evaluate.js';
import { FACTS, isFactId, type FactId } from '../../shared/facts/registry.js';
import {
  SNAPSHOT_FORMAT,
  type CommandFact,
  type Fact,
  type FactSnapshot,
  type FileFact,
} from '../../shared/facts/snapshot.js';

export const OS_RELEASE = {
  debian:
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n',
  ubuntu: 'PRETTY_NAME="Ubuntu 22.04.4 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\nID_LIKE=debian\n',
  rhel: 'NAME="Rocky Linux"\nVERSION="9.4 (Blue Onyx)"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.4"\nPRETTY_NAME="Rocky Linux 9.4 (Blue Onyx)"\n',
  alpine: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.0\n',
} as const;

/** A scenario as TypeScript fixtures write it: raw facts allowed for special cases. */
export type ScenarioInput = Omit<Scenario, 'raw'> & { raw?: Record<string, Fact> };

function def(id: string, kind: string) {
  if (!isFactId(id)) throw new Error(`unknown fact id '${id}'`);
  const d = FACTS[id as FactId];
  if (d.kind !== kind) throw new Error(`${id} is not a ${kind} fact`);
  return d;
}

function fileFact(path: string, spec: string | FileSpec | null): FileFact {
  if (spec === null) return { kind: 'file', path, exists: false };
  const s: FileSpec = typeof spec === 'string' ? { content: spec } : spec;
  const type = s.type ?? 'file';
  const mode = typeof s.mode === 'string' ? parseInt(s.mode, 8) : s.mode;
  const f: FileFact = {
    kind: 'file',
    path,
    exists: true,
    stat: {
      type,
      mode: mode ?? (type === 'dir' ? 0o755 : 0o644),
      uid: s.user && s.user !== 'root' ? 1000 : 0,
      gid: s.group && s.group !== 'root' ? 1000 : 0,
      user: s.user ?? 'root',
      group: s.group ?? 'root',
      size: s.content?.length ?? 0,
    },
  };
  if (s.denied) f.problem = 'denied';
  else if (s.content !== undefined) f.content = s.content;
  return f;
}

/** The snapshot a scenario describes. Throws naming the fact when a fact id is unknown or of another kind. */
export function scenarioSnapshot(sc: ScenarioInput): FactSnapshot {
  const facts: Record<string, Fact> = {
    'host.id': {
      kind: 'command',
      exitCode: 0,
      stdout: `${sc.privileged === false ? '1000\nalice' : '0\nroot'}\nhost1\nLinux 6.1.0 x86_64\n`,
      stderr: '',
    },
  };
  const os = sc.os ?? 'debian';
  if (os !== 'none') facts['host.os_release'] = fileFact('/etc/os-release', OS_RELEASE[os]);
  for (const [id, spec] of Object.entries(sc.files ?? {})) {
    const d = def(id, 'file') as { path: string };
    facts[id] = fileFact(d.path, spec ?? null);
  }
  for (const [id, files] of Object.entries(sc.sets ?? {})) {
    const d = def(id, 'fileset') as { patterns: readonly string[] };
    facts[id] = {
      kind: 'fileset',
      patterns: [...d.patterns],
      files: Object.entries(files ?? {}).map(([p, s]) => fileFact(p, s)),
    };
  }
  for (const [id, spec] of Object.entries(sc.cmds ?? {})) {
    def(id, 'command');
    const s: CmdSpec = typeof spec === 'string' ? { stdout: spec } : (spec ?? {});
    const f: CommandFact = {
      kind: 'command',
      exitCode: s.exitCode === undefined ? (s.problem ? null : 0) : s.exitCode,
      stdout: s.stdout ?? '',
      stderr: s.stderr ?? '',
    };
    if (s.problem) f.problem = s.problem;
    facts[id] = f;
  }
  for (const [id, spec] of Object.entries(sc.paths ?? {})) {
    def(id, 'paths');
    facts[id] = { kind: 'paths', paths: spec ?? [] };
  }
  Object.assign(facts, sc.raw ?? {});
  return {
    format: SNAPSHOT_FORMAT,
    collectorVersion: 'test',
    collectedAt: '2025-06-01T12:00:00.000Z',
    source: 'import',
    privileged: sc.privileged ?? true,
    complete: true,
    facts,
    issues: [],
  };
}

/** A scenario's verdict for `check`: its snapshot evaluated, with its answer when the check is an attestation. */
export function evaluateScenario(check: Check, sc: ScenarioInput): CheckResult {
  const answers = sc.answer
    ? new Map([[check.id, { answer: sc.answer.answer, note: sc.answer.note ?? '', by: 'Scenario', at: '2025-06-01T12:00:00.000Z' }]])
    : undefined;
  return evaluateAll(scenarioSnapshot(sc), [check], answers)[0] as CheckResult;
}
