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
