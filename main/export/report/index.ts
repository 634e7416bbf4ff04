/**
 * The report of an engagement as HTML and as PDF (report.ts builds the document). Read once through ../data.ts, a
 * checkpoint of the trail signed by the person exporting, `final` refused while a finding is not approved (../final.ts,
 * as for the Confluence bundle). The PDF is the same HTML printed by whatever `renderPdf` the caller has: headless
 * Chromium for the CLI (pdf.ts), the Electron shell's printToPDF in the app (main/shell/print-pdf.ts). Each export is
 * an event of the trail (`export.html`, `export.pdf`) with the SHA-256 of the file written and the checkpoint.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { FoureyesError } from '../../../shared/model/errors.js';
import { makeCheckpoint } from '../../audit/checkpoint.js';
import { appendEvent } from '../../audit/trail.js';
import type { Catalogue } from '../../catalogue/catalogue.js';
import type { Acting } from '../../people/acting.js';
import type { Workspace } from '../../store/db.js';
import { readEngagementExport, type ReadOptions } from '../data.js';
import { leftOutOfFinal, refuseUnapproved } from '../final.js';
import { reportHtml, type Audience } from './report.js';

export { AUDIENCES, isAudience, REPORT_CSP, type Audience } from './report.js';

/** Renders an HTML document (self-contained, no script) as PDF bytes. */
export type RenderPdf = (html: string) => Promise<Buffer>;

export interface ReportOptions extends ReadOptions {
  engagementId: string;
  /** The scan of the host sections and scores; default the engagement's newest. */
  scanId?: string;
  audience: Audience;
  final: boolean;
  /** How a refusal names the final rule: `--final` (the CLI's flag, the default) or `final` (the API). */
  finalWhat?: string;
  acting: Acting;
}

export interface Report {
  engagementId: string;
  scanId: string | null;
  audience: Audience;
  final: boolean;
  checkpoint: { count: number; headHash: string };
  html: string;
  /** Approved findings left out of a final report because their approvals do not verify, with why. */
  leftOut: { findingId: string; title: string; reason: string }[];
}

/** The report's HTML, with what it was made of. */
export function buildReport(ws: Workspace, catalogue: Catalogue, o: ReportOptions): Report {
  const data = readEngagementExport(ws, o.engagementId, catalogue, o);
  if (o.final) refuseUnapproved(data, o.finalWhat);
  if (o.scanId !== undefined && !data.scans.some((s) => s.scan.id === o.scanId))
    throw new FoureyesError('bad_input', `--scan ${o.scanId} is not a scan of this engagement`);
  const scanId = o.scanId ?? data.scans[data.scans.length - 1]?.scan.id ?? null;
  const person = ws.people.byId(o.acting.actor.personId);
  if (!person)
    throw new FoureyesError('not_found', `${o.acting.actor.name} is not a person of this workspace`);
  const checkpoint = makeCheckpoint(ws, o.acting);
  const html = reportHtml({
    data,
    scanId,
    audience: o.audience,
    final: o.final,
    checkpoint,
    exportedBy: { name: person.name, fingerprint: person.fingerprint },
  });
  return {
    engagementId: o.engagementId,
    scanId,
    audience: o.audience,
    final: o.final,
    checkpoint: { count: checkpoint.count, headHash: checkpoint.headHash },
    html,
    leftOut: o.final ? leftOutOfFinal(data) : [],
  };
}

/** The report as PDF: its HTML printed by `renderPdf`; refuses what is not a PDF. */
export async function reportPdf(r: Report, renderPdf: RenderPdf): Promise<Buffer> {
  const pdf = await renderPdf(r.html);
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-')
    throw new FoureyesError('internal', 'the PDF renderer gave something that is not a PDF');
  return pdf;
}

/** Writes a new file (never over an existing one), readable by its owner only. */
export function writeReportFile(out: string, bytes: Buffer | string): number {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  try {
    writeFileSync(out, b, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    throw new FoureyesError(
      'bad_input',
      `--out: cannot write ${out} (${(e as NodeJS.ErrnoException).code ?? 'error'}); give a new file`,
    );
  }
  return b.length;
}

/** Records the export in the trail (`export.html` or `export.pdf`, signed by the exporter). */
export function recordReportExport(
  ws: Workspace,
  acting: Acting,
  r: Report,
  format: 'html' | 'pdf',
  bytes: Buffer | string,
): void {
  ws.tx(() =>
    appendEvent(ws, acting, {
      action: `export.${format}`,
      object: { type: 'engagement', id: r.engagementId },
      details: {
        scanId: r.scanId,
        audience: r.audience,
        final: r.final,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        size: Buffer.byteLength(bytes),
        checkpoint: r.checkpoint,
        leftOut: r.leftOut.map((f) => f.findingId),
      },
    }),
  );
}
