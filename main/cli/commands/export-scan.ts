/**
 * `foureyes export scan --out FILE [--scan ID] [--engagement E]`: one stored scan as a standalone JSON file
 * (`foureyes-scan/1`, main/export/scan-json.ts) that `foureyes reevaluate` evaluates again anywhere. Reads only.
 */
import { builtinCatalogue } from '../../catalogue/load.js';
import { buildScanExport } from '../../export/scan-json.js';
import { resolveEngagementId } from '../findings-service.js';
import { term } from '../term.js';
import { openExisting } from '../workspace.js';
import { exportTool, pickScan, writeOut } from './export.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function exportScanFile(o: Record<string, unknown>): number {
  const out = str(o.out) as string;
  const ws = openExisting(o.workspace as string | undefined);
  try {
    const given = str(o.engagement);
    const engagementId = given !== undefined ? resolveEngagementId(ws, given) : undefined;
    const scanId = pickScan(ws, str(o.scan), engagementId);
    const doc = buildScanExport(ws, scanId, builtinCatalogue(), exportTool());
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    writeOut(out, text);
    if (out !== '-')
      process.stdout.write(
        `${term(out)}: scan ${term(scanId)} with ${doc.hosts.length} host run${doc.hosts.length === 1 ? '' : 's'} and ` +
          `${doc.checks.length} check definitions written (${Buffer.byteLength(text)} bytes)\n`,
      );
    return 0;
  } finally {
    ws.close();
  }
}
