/**
 * `foureyes import FILE [--as NAME]`: evaluate collector output carried back from an air-gapped host, as a live scan
 * would; with --as, the scan and the findings it makes are recorded in the trail, signed by that person.
 */
import { loadCatalogueQuick } from '../../catalogue/catalogue.js';
import { readCollectorOutputFile } from '../../collector/import.js';
import { evaluateAll } from '../../engine/evaluate.js';
import { engagementAnswers } from '../../services/assessment.js';
import { storeImportedSnapshot } from '../../services/assessment.js';
import { actingFromCli } from '../acting.js';
import { output } from '../options.js';
import { scanReport } from '../report.js';
import { waiversNow } from '../waivers-now.js';
import { cliEngagementId, openForWriting } from '../workspace.js';

export async function importFile(file: string, o: Record<string, unknown>): Promise<number> {
  const snapshot = await readCollectorOutputFile(file);
  const cat = await loadCatalogueQuick();
  const checks = cat.checks;
  const name = (o.name as string | undefined) ?? file;
  const ws = openForWriting(o.workspace as string | undefined);
  try {
    const acting =
      typeof o.as === 'string'
        ? await actingFromCli(ws, o.as, {
            file: o.personPassphraseFile as string | undefined,
            option: '--person-passphrase-file',
          })
        : undefined;
    const engagementId = cliEngagementId(ws);
    const scan = storeImportedSnapshot(ws, {
      ...(acting ? { acting } : {}),
      engagementId,
      catalogue: cat,
      checks,
      name,
      snapshot,
      results: evaluateAll(snapshot, checks, engagementAnswers(ws, engagementId)),
    });
    output(scanReport(ws, scan.id, cat, waiversNow(ws)), o.json);
    return 0;
  } finally {
    ws.close();
  }
}
