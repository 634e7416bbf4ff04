/** `foureyes import FILE`: evaluate collector output carried back from an air-gapped host, as a live scan would. */
import { loadCatalogueQuick } from '../../catalogue/catalogue.js';
import { readCollectorOutputFile } from '../../collector/import.js';
import { evaluateAll } from '../../engine/evaluate.js';
import { storeImportedSnapshot } from '../../services/assessment.js';
import { output } from '../options.js';
import { scanReport } from '../report.js';
import { cliEngagementId, openForWriting } from '../workspace.js';

export async function importFile(file: string, o: Record<string, unknown>): Promise<number> {
  const snapshot = await readCollectorOutputFile(file);
  const cat = await loadCatalogueQuick();
  const checks = cat.checks;
  const name = (o.name as string | undefined) ?? file;
  const ws = openForWriting(o.workspace as string | undefined);
  try {
    const scan = storeImportedSnapshot(ws, {
      engagementId: cliEngagementId(ws),
      catalogue: cat,
      checks,
      name,
      snapshot,
      results: evaluateAll(snapshot, checks),
    });
    output(scanReport(ws, scan.id, cat), o.json);
    return 0;
  } finally {
    ws.close();
  }
}
