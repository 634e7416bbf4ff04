/**
 * The hand-over exports over the API (export.build): main/export/ behind one call that gives the file's bytes in
 * base64, so the UI offers a download in Electron and in browser mode alike. The same builders as `foureyes export`:
 * the Confluence bundle as its zip, signed by the signed-in person; the standalone report as HTML or PDF (Electron's
 * printToPDF when the shell gives it, else headless Chromium); the Jira CSV; SARIF, JUnit and OHDF of a scan; the
 * engagement JSON. The bundle and the report are recorded in the trail as the CLI records them. A final export is
 * refused while a finding is not approved (export/final.ts).
 */
import { createHash } from 'node:crypto';
import type { HandlerInput, MethodOutput } from '../../shared/api/contract.js';
import type { ApiExportFormat, ReportAudience } from '../../shared/api/schemas/exports.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import { bundleZip } from '../export/confluence/bundle.js';
import { confluenceBundle, recordConfluenceExport } from '../export/confluence/index.js';
import type { ExportTool } from '../export/data.js';
import { fileSlug, requireFinal } from '../export/final.js';
import { exportEngagement, exportJiraCsv, exportScan } from '../export/index.js';
import {
  buildReport,
  recordReportExport,
  reportPdf,
  type Audience,
  type RenderPdf,
} from '../export/report/index.js';
import { chromiumPdf } from '../export/report/pdf.js';
import type { Acting } from '../people/acting.js';
import { publicKeyOf } from '../people/public-keys.js';
import type { Workspace } from '../store/db.js';

export interface ExportCommands {
  build: (input: HandlerInput<'export.build'>, acting: Acting) => Promise<MethodOutput<'export.build'>>;
}

// The contract's audiences are the report's.
const SAME_AUDIENCES: [Audience, ReportAudience] extends [ReportAudience, Audience] ? true : never = true;
void SAME_AUDIENCES;

const MEDIA: Record<ApiExportFormat, readonly [mediaType: string, suffix: string]> = {
  confluence: ['application/zip', 'confluence.zip'],
  html: ['text/html', 'html'],
  pdf: ['application/pdf', 'pdf'],
  'jira-csv': ['text/csv', 'jira.csv'],
  sarif: ['application/sarif+json', 'sarif'],
  junit: ['application/xml', 'junit.xml'],
  ohdf: ['application/json', 'ohdf.json'],
  json: ['application/json', 'engagement.json'],
};

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

export function exportApiService(
  ws: Workspace,
  catalogue: Catalogue,
  tool: ExportTool,
  renderPdf?: RenderPdf,
): ExportCommands {
  return {
    build: async (i, acting) => {
      const engagement = ws.engagements.get(i.engagementId);
      if (!engagement) throw new FoureyesError('not_found', `engagement ${i.engagementId} does not exist`);
      const scans = ws.scans.listScans(engagement.id);
      if (i.scanId !== undefined && !scans.some((s) => s.id === i.scanId))
        throw new FoureyesError(
          'not_found',
          `scan ${i.scanId} is not a scan of the engagement ${JSON.stringify(engagement.name)}`,
        );
      const o = { tool, publicKeyOf: publicKeyOf(ws) };
      const scanArg = i.scanId !== undefined ? { scanId: i.scanId } : {};
      let bytes: Uint8Array;
      let scanId: string | null = i.scanId ?? scans[0]?.id ?? null;
      let summary: string;
      let leftOut: MethodOutput<'export.build'>['leftOut'] = [];
      let suffix = MEDIA[i.format][1];
      if (i.format === 'confluence') {
        const b = confluenceBundle(ws, catalogue, {
          ...o,
          ...scanArg,
          engagementId: engagement.id,
          final: i.final,
          finalWhat: 'final',
          acting,
        });
        bytes = bundleZip(b.files);
        recordConfluenceExport(ws, acting, b);
        ({ scanId, leftOut } = b);
        const atts = b.files.filter((f) => f.path.startsWith('attachments/')).length;
        summary = `${plural(b.pages.length, 'page')}, ${plural(atts, 'attachment')}, signed by ${acting.actor.name}`;
      } else if (i.format === 'html' || i.format === 'pdf') {
        const r = buildReport(ws, catalogue, {
          ...o,
          ...scanArg,
          engagementId: engagement.id,
          audience: i.audience,
          final: i.final,
          finalWhat: 'final',
          acting,
        });
        bytes =
          i.format === 'html' ? Buffer.from(r.html, 'utf8') : await reportPdf(r, renderPdf ?? chromiumPdf());
        recordReportExport(ws, acting, r, i.format, Buffer.from(bytes));
        ({ scanId, leftOut } = r);
        suffix = `${i.audience}.${suffix}`;
        summary = `the ${i.audience} report, trail checkpoint at event ${r.checkpoint.count}`;
      } else {
        if (i.final) requireFinal(ws, engagement.id, o.publicKeyOf, 'final');
        if (i.format === 'json') {
          bytes = Buffer.from(exportEngagement(ws, engagement.id, catalogue, o), 'utf8');
          summary = `the whole engagement: ${plural(scans.length, 'scan')}`;
        } else if (i.format === 'jira-csv') {
          const r = exportJiraCsv(ws, engagement.id, catalogue, { ...o, final: i.final });
          bytes = Buffer.from(r.text, 'utf8');
          summary = `${plural(r.issues, 'issue')} for Jira's CSV importer`;
        } else {
          if (scanId === null)
            throw new FoureyesError(
              'not_found',
              `the engagement ${JSON.stringify(engagement.name)} has no scan yet: run one first`,
            );
          bytes = Buffer.from(exportScan(ws, i.format, scanId, catalogue, o), 'utf8');
          summary = `scan ${scanId.slice(0, 8)}`;
        }
      }
      const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return {
        format: i.format,
        fileName: `${fileSlug(engagement.name) || 'engagement'}${i.final ? '-final' : ''}.${suffix}`,
        mediaType: MEDIA[i.format][0],
        contentBase64: buf.toString('base64'),
        sha256: createHash('sha256').update(buf).digest('hex'),
        size: buf.length,
        final: i.final,
        scanId,
        summary,
        leftOut,
      };
    },
  };
}
