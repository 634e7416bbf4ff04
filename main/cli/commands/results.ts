/** `foureyes results [SCAN]`: show a stored scan (the newest when no id is given). Reads only: creates nothing. */
import { FoureyesError } from '../../../shared/model/errors.js';
import { loadCatalogue } from '../../catalogue/load.js';
import { output } from '../options.js';
import { scanReport } from '../report.js';
import { openExisting } from '../workspace.js';

export function results(scanId: string | undefined, o: Record<string, unknown>): number {
  const ws = openExisting(o.workspace as string | undefined);
  try {
    const id = scanId ?? ws.scans.latestScanId();
    if (!id) throw new FoureyesError('not_found', `the workspace ${ws.path} has no scan yet`);
    output(scanReport(ws, id, loadCatalogue()), o.json);
    return 0;
  } finally {
    ws.close();
  }
}
