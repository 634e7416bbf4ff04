/**
 * Machine-readable exports of stored data: SARIF 2.1.0, JUnit XML and OHDF of a scan, the JSON of a whole
 * engagement and its findings as a CSV for Jira's importer (jira/). Reads the workspace once (data.ts), then a pure builder per format; the text returned is what is
 * written, byte for byte. Loaded only by `foureyes export` and `foureyes assess --format`.
 */
import type { Catalogue } from '../catalogue/catalogue.js';
import type { Workspace } from '../store/db.js';
import { readEngagementExport, readScanExport, type ExportTool, type ReadOptions } from './data.js';
import { toEngagementJson } from './engagement-json.js';
import { toJiraCsv, type JiraCsvOptions } from './jira/csv.js';
import type { ExportFormat } from './formats.js';
import { toJunit } from './junit.js';
import { toOhdf } from './ohdf.js';
import { toSarif } from './sarif.js';

export type { ExportTool };

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/** A scan in `format` (sarif, junit, ohdf), or for `json` the whole engagement the scan belongs to. */
export function exportScan(ws: Workspace, format: ExportFormat, scanId: string, catalogue: Catalogue, o: ReadOptions): string {
  if (format === 'json') return exportEngagement(ws, ws.scans.require(scanId).engagementId, catalogue, o);
  const d = readScanExport(ws, scanId, catalogue, o);
  if (format === 'sarif') return json(toSarif(d));
  if (format === 'ohdf') return json(toOhdf(d));
  return toJunit(d);
}

/** The engagement JSON (foureyes-engagement/1). */
export function exportEngagement(ws: Workspace, engagementId: string, catalogue: Catalogue, o: ReadOptions): string {
  return json(toEngagementJson(readEngagementExport(ws, engagementId, catalogue, o)));
}

/** The findings of an engagement as a CSV for Jira's importer, and how many rows it has. */
export function exportJiraCsv(
  ws: Workspace,
  engagementId: string,
  catalogue: Catalogue,
  o: ReadOptions & JiraCsvOptions,
): { text: string; issues: number } {
  const r = toJiraCsv(readEngagementExport(ws, engagementId, catalogue, o), o);
  return { text: r.csv, issues: r.issues.length };
}
