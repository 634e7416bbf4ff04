/**
 * `foureyes import FILE [--as NAME] [--pack DIR] [--profile P]`: evaluate collector output carried back from an
 * air-gapped host, as a live scan would (with the check packs and the profile given); with --as, the scan and the
 * findings it makes are recorded in the trail, signed by that person.
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
  const full = await loadCatalogueQuick((o.pack as string[] | undefined) ?? []);
  const chosen =
    typeof o.profile === 'string'
      ? (await import('../../catalogue/profiles.js')).chooseProfile(o.profile, full)
      : undefined;
  const cat = chosen ? chosen.catalogue : full;
  const checks = chosen ? chosen.checks : cat.checks;
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
    const answers = engagementAnswers(ws, engagementId);
    const scan = storeImportedSnapshot(ws, {
      ...(chosen ? { profile: chosen.resolved } : {}),
      answers,
      ...(acting ? { acting } : {}),
      engagementId,
      catalogue: cat,
      checks,
      name,
      snapshot,
      results: evaluateAll(snapshot, checks, answers),
    });
    output(scanReport(ws, scan.id, cat, waiversNow(ws)), o.json);
    return 0;
  } finally {
    ws.close();
  }
}
