/**
 * `foureyes export sarif|junit|ohdf|json --out PATH [--scan ID] [--engagement E]`: a stored scan as SARIF 2.1.0, JUnit
 * XML or OHDF, or the whole engagement as JSON (main/export/). Without --scan: the newest scan of --engagement, or
 * the newest of all; `json` exports --engagement, or the engagement of that scan. Reads only: a missing workspace
 * is an error and nothing is created. `--out -` writes to stdout. `--final` refuses while a finding of the
 * engagement is not approved or has an approval that does not verify (main/findings/report.ts), naming them.
 */
import { writeFileSync } from 'node:fs';
import { FoureyesError } from '../../../shared/model/errors.js';
import { projectRootFrom, readAppVersion } from '../../api/app-env.js';
import { loadCatalogueQuick } from '../../catalogue/catalogue.js';
import { exportEngagement, exportScan } from '../../export/index.js';
import { finalReport } from '../../findings/report.js';
import { publicKeyOf } from '../../people/public-keys.js';
import { EXPORT_FORMATS, isExportFormat } from '../../export/formats.js';
import type { Workspace } from '../../store/db.js';
import { resolveEngagementId } from '../findings-service.js';
import { term } from '../term.js';
import { openExisting } from '../workspace.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The scan asked for, or the newest (of the engagement when one is given). */
function pickScan(ws: Workspace, scan: string | undefined, engagementId: string | undefined): string {
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

/** Refuses (naming up to 10) while a finding of the engagement would not be in a final report. */
function requireFinal(ws: Workspace, engagementId: string): void {
  const r = finalReport(ws, engagementId, publicKeyOf(ws));
  const open = ws.findings.list(engagementId).filter((f) => f.reviewState !== 'approved');
  const named = [
    ...open.map((f) => `${f.title} (${f.reviewState.replace('_', ' ')})`),
    ...r.excluded.map((f) => `${f.title} (${f.reason})`),
  ];
  if (named.length === 0) return;
  const name = ws.engagements.require(engagementId).name;
  const more = named.length > 10 ? `; and ${named.length - 10} more` : '';
  throw new FoureyesError(
    'bad_input',
    `--final: ${named.length} finding${named.length === 1 ? '' : 's'} of ${JSON.stringify(name)} ${named.length === 1 ? 'is' : 'are'} not approved: ${named.slice(0, 10).join('; ')}${more}`,
  );
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

export async function exportCommand(format: string, o: Record<string, unknown>): Promise<number> {
  if (!isExportFormat(format))
    throw new FoureyesError('bad_input', `unknown export format ${JSON.stringify(format.slice(0, 100))}: give ${[...EXPORT_FORMATS, 'confluence', 'html', 'pdf'].join(', ')}`);
  const out = str(o.out);
  if (out === undefined) throw new FoureyesError('bad_input', '--out PATH is required (- for stdout)');
  const ws = openExisting(o.workspace as string | undefined);
  try {
    const given = str(o.engagement);
    const engagementId = given !== undefined ? resolveEngagementId(ws, given) : undefined;
    const catalogue = await loadCatalogueQuick();
    const opts = { tool: exportTool() };
    const whole = format === 'json' && engagementId !== undefined && str(o.scan) === undefined;
    const scanId = whole ? undefined : pickScan(ws, str(o.scan), engagementId);
    if (o.final) requireFinal(ws, engagementId ?? ws.scans.require(scanId!).engagementId);
    const text =
      scanId === undefined ? exportEngagement(ws, engagementId!, catalogue, opts) : exportScan(ws, format, scanId, catalogue, opts);
    writeOut(out, text);
    if (out !== '-') process.stdout.write(`${term(out)}: ${format} written (${Buffer.byteLength(text)} bytes)\n`);
    return 0;
  } finally {
    ws.close();
  }
}
