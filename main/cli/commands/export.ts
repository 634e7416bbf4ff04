/**
 * `foureyes export sarif|junit|ohdf|json|jira-csv --out PATH [--scan ID] [--engagement E]`: a stored scan as SARIF
 * 2.1.0, JUnit XML or OHDF, the whole engagement as JSON, or its findings as a CSV for Jira's importer
 * (main/export/; `--component NAME`, repeatable, sets components on every row). Without --scan: the newest scan of
 * --engagement, or the newest of all; `json` and `jira-csv` export --engagement, or the engagement of that scan. Reads only: a missing workspace
 * is an error and nothing is created. `--out -` writes to stdout. `--final` refuses while a finding of the
 * engagement is not approved or has an approval that does not verify (main/findings/report.ts), naming them.
 */
import { writeFileSync } from 'node:fs';
import { FoureyesError } from '../../../shared/model/errors.js';
import { projectRootFrom, readAppVersion } from '../../api/app-env.js';
import { loadCatalogueQuick } from '../../catalogue/catalogue.js';
import { exportEngagement, exportJiraCsv, exportScan } from '../../export/index.js';
import { requireFinal } from '../../export/final.js';
import { ENGAGEMENT_EXPORT_FORMATS, EXPORT_FORMATS, isEngagementExportFormat, isExportFormat } from '../../export/formats.js';
import type { Workspace } from '../../store/db.js';
import { resolveEngagementId } from '../findings-service.js';
import { term } from '../term.js';
import { openExisting } from '../workspace.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The scan asked for, or the newest (of the engagement when one is given). */
export function pickScan(ws: Workspace, scan: string | undefined, engagementId: string | undefined): string {
  if (scan !== undefined) {
    const s = ws.scans.get(scan);
    if (!s) throw new FoureyesError('not_found', `--scan: no scan ${JSON.stringify(scan.slice(0, 200))} in the workspace ${ws.path}`);
    if (engagementId !== undefined && s.engagementId !== engagementId)
      throw new FoureyesError('bad_input', `--scan ${scan} is a scan of another engagement than --engagement`);
    return s.id;
  }
  const id = engagementId !== undefined ? ws.scans.listScans(engagementId)[0]?.id : ws.scans.latestScanId();
  if (!id)
    throw new FoureyesError(
      'not_found',
      engagementId !== undefined ? `the engagement has no scan yet in the workspace ${ws.path}` : `the workspace ${ws.path} has no scan yet`,
    );
  return id;
}

export function writeOut(out: string, text: string): void {
  if (out === '-') {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(out, text, { mode: 0o600 });
  } catch (e) {
    throw new FoureyesError('bad_input', `--out: cannot write ${out} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export const exportTool = () => ({ name: 'Foureyes' as const, version: readAppVersion(projectRootFrom(import.meta.url)) });

const ALL_FORMATS = [...EXPORT_FORMATS, ...ENGAGEMENT_EXPORT_FORMATS, 'scan', 'confluence', 'html', 'pdf'];

export async function exportCommand(format: string, o: Record<string, unknown>): Promise<number> {
  if (!isExportFormat(format) && !isEngagementExportFormat(format))
    throw new FoureyesError('bad_input', `unknown export format ${JSON.stringify(format.slice(0, 100))}: give ${ALL_FORMATS.join(', ')}`);
  const out = str(o.out);
  if (out === undefined) throw new FoureyesError('bad_input', '--out PATH is required (- for stdout)');
  const ws = openExisting(o.workspace as string | undefined);
  try {
    const given = str(o.engagement);
    const engagementId = given !== undefined ? resolveEngagementId(ws, given) : undefined;
    const catalogue = await loadCatalogueQuick();
    const opts = { tool: exportTool() };
    const whole = !isExportFormat(format) || (format === 'json' && engagementId !== undefined && str(o.scan) === undefined);
    const scanId = whole && engagementId !== undefined ? undefined : pickScan(ws, str(o.scan), engagementId);
    const ofEngagement = engagementId ?? ws.scans.require(scanId!).engagementId;
    if (o.final) requireFinal(ws, ofEngagement);
    let text: string;
    let what: string = format;
    if (!isExportFormat(format)) {
      const components = Array.isArray(o.component) ? o.component.filter((c): c is string => typeof c === 'string') : [];
      const r = exportJiraCsv(ws, ofEngagement, catalogue, { ...opts, components, final: o.final === true });
      text = r.text;
      what = `${format} of ${r.issues} finding${r.issues === 1 ? '' : 's'}`;
    } else
      text = scanId === undefined ? exportEngagement(ws, ofEngagement, catalogue, opts) : exportScan(ws, format, scanId, catalogue, opts);
    writeOut(out, text);
    if (out !== '-') process.stdout.write(`${term(out)}: ${what} written (${Buffer.byteLength(text)} bytes)\n`);
    return 0;
  } finally {
    ws.close();
  }
}
