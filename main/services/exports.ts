/**
 * The hand-over exports over the API (export.build): main/export/ behind one call that gives the file's bytes in
 * base64, so the UI offers a download in Electron and in browser mode alike. The same builders as `foureyes export`:
 * the Confluence bundle as its zip, signed by the signed-in person and recorded in the trail; SARIF, JUnit and OHDF
 * of a scan; the engagement JSON. A final export is refused while a finding is not approved (export/final.ts).
 */
import { createHash } from 'node:crypto';
import type { HandlerInput, MethodOutput } from '../../shared/api/contract.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import { bundleZip } from '../export/confluence/bundle.js';
import { confluenceBundle, recordConfluenceExport } from '../export/confluence/index.js';
import type { ExportTool } from '../export/data.js';
import { fileSlug, requireFinal } from '../export/final.js';
import { exportEngagement, exportScan } from '../export/index.js';
import type { Acting } from '../people/acting.js';
import { publicKeyOf } from '../people/public-keys.js';
import type { Workspace } from '../store/db.js';

export interface ExportCommands {
  build: (input: HandlerInput<'export.build'>, acting: Acting) => MethodOutput<'export.build'>;
}

const MEDIA = {
  confluence: ['application/zip', 'confluence.zip'],
  sarif: ['application/sarif+json', 'sarif'],
  junit: ['application/xml', 'junit.xml'],
  ohdf: ['application/json', 'ohdf.json'],
  json: ['application/json', 'engagement.json'],
} as const;

export function exportApiService(ws: Workspace, catalogue: Catalogue, tool: ExportTool): ExportCommands {
  return {
    build: (i, acting) => {
      const engagement = ws.engagements.get(i.engagementId);
      if (!engagement) throw new FoureyesError('not_found', `engagement ${i.engagementId} does not exist`);
      const scans = ws.scans.listScans(engagement.id);
      if (i.scanId !== undefined && !scans.some((s) => s.id === i.scanId))
        throw new FoureyesError(
          'not_found',
          `scan ${i.scanId} is not a scan of the engagement ${JSON.stringify(engagement.name)}`,
        );
      const o = { tool, publicKeyOf: publicKeyOf(ws) };
      let bytes: Uint8Array;
      let scanId: string | null = i.scanId ?? scans[0]?.id ?? null;
      let summary: string;
      let leftOut: MethodOutput<'export.build'>['leftOut'] = [];
      if (i.format === 'confluence') {
        const b = confluenceBundle(ws, catalogue, {
          ...o,
          engagementId: engagement.id,
          ...(i.scanId ? { scanId: i.scanId } : {}),
          final: i.final,
          acting,
        });
        bytes = bundleZip(b.files);
        recordConfluenceExport(ws, acting, b);
        scanId = b.scanId;
        leftOut = b.leftOut;
        const atts = b.files.filter((f) => f.path.startsWith('attachments/')).length;
        summary = `${b.pages.length} page${b.pages.length === 1 ? '' : 's'}, ${atts} attachment${atts === 1 ? '' : 's'}, signed by ${acting.actor.name}`;
      } else {
        if (i.final) requireFinal(ws, engagement.id, o.publicKeyOf, 'final');
        if (i.format === 'json') {
          bytes = Buffer.from(exportEngagement(ws, engagement.id, catalogue, o), 'utf8');
          summary = `the whole engagement: ${scans.length} scan${scans.length === 1 ? '' : 's'}`;
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
      const [mediaType, suffix] = MEDIA[i.format];
      const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return {
        format: i.format,
        fileName: `${fileSlug(engagement.name) || 'engagement'}${i.final ? '-final' : ''}.${suffix}`,
        mediaType,
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
