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
 *   stat <id>       + data: `stat -c '%f %a %u %g %s\n%U\n%G'` of the path (lstat: a link is reported as a link)
 *   sha <id> <hex>                SHA-256 of a readable regular file
 *   content <id>    + data: the first maxBytes+1 bytes (one more than kept, so truncation is known)
 *   denied <id>                   entry exists but is not readable, or a directory above it is not searchable
 *   absent <id>                   file fact's path does not exist
 *   pdenied <id> <n>              fileset pattern n could not be listed (directory not searchable/readable)
 *   more <id>                     fileset stopped at maxFiles
 *   missing <id>                  none of a command's `requires` was found
 *   stdout <id> / stderr <id> + data: first maxBytes+1 bytes of each
 *   timeout <id>                  the command hit the per-command time limit
 *   rc <id> <n>                   the command's exit status
 *   done                          end marker (run level)
 */

import type { FactDef } from '../../shared/facts/registry.js';

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
