/** `foureyes results [SCAN]`: show a stored scan (the newest when no id is given). Reads only: creates nothing. */
import { FoureyesError } from '../../../shared/model/errors.js';
import { loadCatalogueQuick } from '../../catalogue/catalogue.js';
import { output } from '../options.js';
import { scanReport } from '../report.js';
import { waiversNow } from '../waivers-now.js';
import { openExisting } from '../workspace.js';

export async function results(scanId: string | undefined, o: Record<string, unknown>): Promise<number> {
  const ws = openExisting(o.workspace as string | undefined);
  try {
    const id = scanId ?? ws.scans.latestScanId();
    if (!id) throw new FoureyesError('not_found', `the workspace ${ws.path} has no scan yet`);
    output(scanReport(ws, id, await loadCatalogueQuick(), waiversNow(ws)), o.json);
    return 0;
  } finally {
    ws.close();
  }
}
