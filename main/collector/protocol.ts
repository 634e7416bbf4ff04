/**
 * The collector's wire format, shared by the script generator and the parser.
 *
 * Every line of collector output is either a header or a data line:
 * - header: `<boundary> <tag> [<factId> [<arg>]]`, made only of our own tokens (hex boundary, tags below, fact ids
 *   from the registry, decimal numbers, hex digests);
 * - data: one line of base64 (or of `od -An -tx1` hex in the fallback encoding) carrying bytes from the target,
 *   belonging to the most recent data header. Target bytes never appear raw, so they cannot forge a header.
 *
 * The first header is the preamble: `<boundary> foureyes-collector <version> <b64|hex> <id,id,...>`, naming the
 * requested facts so that a hand-run output can be imported on its own. The last is `<boundary> done`.
 *
 * Tags (after the boundary):
 *   clock <epoch>                 target clock at start (run level)
 *   begin <id> <file|fileset|command> ... end <id> <status>     one frame per fact
 *   entry <id>      + data: path  one file (a file fact has one, a fileset one per match, at most maxFiles)
 *   epath <id> <path>             the same for a plain path (absolute, [A-Za-z0-9._/+,=@%:-], at most 200)
 *   stat <id>       + data: `stat -c '%f %a %u %g %s\n%U\n%G'` of the path (lstat: a link is reported as a link)
 *   pstat <id> <hex> <octal> <uid> <gid> <size> <user> <group>    the same when every word is plain
 *                                 ([A-Za-z0-9._-]): seven words, nothing else
 *   sha <id> <hex>                SHA-256 of a readable regular file, computed on the target only when the file
 *                                 is bigger than its cap (or reports size 0); a file that arrives whole is hashed
 *                                 by the workstation from the bytes that arrived. Never for a fact with a secret
 *                                 rule (shared/facts/secrets.ts)
 *   content <id>    + data: the first maxBytes+1 bytes (one more than kept, so truncation is known), with the
 *                   fact's secret values replaced by REDACTED when it has a rule (shared/facts/secrets.ts)
 *   withheld <id> <key|unchecked>  content not sent: private key material, or the target could not check it
 *   denied <id>                   entry exists but is not readable, or a directory above it is not searchable
 *   absent <id>                   file fact's path does not exist
 *   pdenied <id> <n>              fileset pattern n could not be listed (directory not searchable/readable)
 *   more <id>                     fileset stopped at maxFiles
 *   missing <id>                  none of a command's `requires` was found
 *   stdout <id> / stderr <id> + data: first maxBytes+1 bytes of each (a command writing more gets SIGPIPE)
 *   stderr <id> hex + data: the same, in od's hex whatever the run's encoding (od -N caps and encodes it in one
 *                   process where the target's od has -N)
 *   timeout <id>                  the command hit the per-command time limit
 *   rc <id> <n>                   the command's exit status
 *   done                          end marker (run level)
 *
 * The walk: the paths facts (registry kind `paths`) are not framed one by one. One frame with the reserved id
 * `fs.walk` and kind `walk` carries them all: one `find` over the local file systems, framed as a command
 * (missing / stdout / stderr / timeout / rc). Its stdout is a sequence of records `<fact id><path>NUL`, one per
 * name that fact's test selected: the id is ours, the path starts with `/`, and a path cannot hold a NUL, so a
 * record is exact whatever bytes the name has. The frame's byte cap is the sum of the paths facts' caps.
 */

import type { FactDef, PathsFactDef } from '../../shared/facts/registry.js';

export const COLLECTOR_FORMAT_VERSION = 1;
export const PREAMBLE_TAG = 'foureyes-collector';
export const BOUNDARY_RE = /^[0-9a-f]{32,128}$/;
export const FACT_ID_RE = /^[a-z0-9_.]{1,64}$/;

export type Encoding = 'b64' | 'hex';

/** The facts a collector run can be asked for, by id. Default: the built-in registry (FACTS). */
export type FactRegistry = Readonly<Record<string, FactDef>>;

export function inRegistry(registry: FactRegistry, id: string): boolean {
  return Object.prototype.hasOwnProperty.call(registry, id);
}

/** The reserved frame id of the scan's one file-system walk (not a registry fact; see the walk above). */
export const WALK_ID = 'fs.walk';

/** The walk as the parser and the generator see it: which paths facts it serves and its byte cap. */
export interface WalkDef {
  kind: 'walk';
  /** Paths facts served, in request order. */
  facts: string[];
  maxBytes: number;
}

/**
 * Directories the walk never enters, as CIS audits prune them: kernel trees, per-user runtime directories,
 * container and kubelet storage (the images' files are not the host's) and snaps. File systems that are not
 * local are pruned by type on the target (script-lib.ts, `_prunes`).
 */
export const WALK_PRUNE: readonly string[] = [
  '/proc',
  '/sys',
  '/run/user',
  '/snap',
  '/var/lib/docker',
  '/var/lib/containerd',
  '/var/lib/containers',
  '/run/containerd',
  '/var/lib/kubelet/pods',
  '/var/lib/kubelet/plugins',
];

/** The paths facts among `ids`, with their definitions. */
export function pathsFacts(ids: readonly string[], registry: FactRegistry): [string, PathsFactDef][] {
  const out: [string, PathsFactDef][] = [];
  for (const id of ids) {
    const d = inRegistry(registry, id) ? registry[id] : undefined;
    if (d?.kind === 'paths') out.push([id, d]);
  }
  return out;
}

/** The walk that serves the paths facts among `ids`, or undefined when there are none. */
export function walkDef(ids: readonly string[], registry: FactRegistry): WalkDef | undefined {
  const facts = pathsFacts(ids, registry);
  if (facts.length === 0) return undefined;
  return { kind: 'walk', facts: facts.map(([id]) => id), maxBytes: facts.reduce((n, [, d]) => n + d.maxBytes, 0) };
}
