/**
 * `foureyes export html|pdf --out FILE --as NAME [--audience executive|manager|engineer] [--scan ID] [--engagement E]
 * [--final] [--json]`: the report of an engagement (main/export/report/) for one audience (default engineer), as one
 * self-contained HTML file or as a PDF printed by headless Chromium (main/export/report/pdf.ts; without one the PDF
 * is refused naming what is missing, exit 2). The engagement and scan are picked as for `export confluence`; the
 * audit checkpoint in the report is signed by --as, and the export is an event of the trail (`export.html`,
 * `export.pdf`) with the SHA-256 of the file. `--final` is refused (exit 2, naming them) while a finding is not
 * approved. `--out` must be a new file.
 */
import { createHash } from 'node:crypto';
import { FoureyesError } from '../../../shared/model/errors.js';
import { projectRootFrom, readAppVersion } from '../../api/app-env.js';
import { loadCatalogueQuick } from '../../catalogue/catalogue.js';
import {
  AUDIENCES,
  buildReport,
  isAudience,
  recordReportExport,
  reportPdf,
  writeReportFile,
} from '../../export/report/index.js';
import { actingFromCli } from '../acting.js';
import { term, termJson } from '../term.js';
import { openExisting } from '../workspace.js';
import { engagementAndScan } from './export-confluence.js';

type Opts = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export async function exportReport(format: 'html' | 'pdf', o: Opts): Promise<number> {
  const out = str(o.out);
  if (out === undefined || out === '-')
    throw new FoureyesError('bad_input', `--out FILE is required: the new ${format} file`);
  const as = str(o.as);
  if (as === undefined)
    throw new FoureyesError(
      'bad_input',
      "--as NAME is required: the person who signs the report's audit checkpoint",
    );
  const audience = str(o.audience) ?? 'engineer';
  if (!isAudience(audience))
    throw new FoureyesError(
      'bad_input',
      `--audience ${JSON.stringify(audience.slice(0, 100))}: give ${AUDIENCES.join(', ')}`,
    );
  // Found before anything is read or signed: no PDF, no event in the trail.
  const render = format === 'pdf' ? (await import('../../export/report/pdf.js')).chromiumPdf() : null;
  const ws = openExisting(str(o.workspace));
  try {
    const { engagementId, scan } = engagementAndScan(ws, o);
    const acting = await actingFromCli(ws, as, { file: str(o.passphraseFile) });
    const catalogue = await loadCatalogueQuick();
    const report = buildReport(ws, catalogue, {
      tool: { name: 'Foureyes', version: readAppVersion(projectRootFrom(import.meta.url)) },
      engagementId,
      ...(scan ? { scanId: scan.id } : {}),
      audience,
      final: o.final === true,
      acting,
    });
    const bytes = render ? await reportPdf(report, render) : Buffer.from(report.html, 'utf8');
    const size = writeReportFile(out, bytes);
    recordReportExport(ws, acting, report, format, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (o.json === true) {
      process.stdout.write(
        `${termJson({
          out,
          format,
          audience,
          final: report.final,
          engagementId,
          scanId: report.scanId,
          bytes: size,
          sha256,
          checkpoint: report.checkpoint,
          leftOut: report.leftOut,
        })}\n`,
      );
      return 0;
    }
    process.stdout.write(
      `${term(out)}: ${audience} report written as ${format.toUpperCase()} (${size} bytes, SHA-256 ${sha256}), audit checkpoint of ${report.checkpoint.count} events signed by ${term(acting.actor.name)}\n`,
    );
    for (const f of report.leftOut)
      process.stdout.write(`left out: ${f.findingId.slice(0, 8)} ${term(f.title)}: ${term(f.reason)}\n`);
    return 0;
  } finally {
    ws.close();
  }
}
