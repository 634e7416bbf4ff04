/** `foureyes import FILE`: evaluate collector output carried back from an air-gapped host, as a live scan would. */
import { loadCatalogueQuick } from '../../catalogue/catalogue.js';
import { readCollectorOutputFile } from '../../collector/import.js';
import { evaluateAll } from '../../engine/evaluate.js';
import { createStoreSink } from '../../engine/store-sink.js';
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
    const sink = createStoreSink(ws, {
      engagementId: cliEngagementId(ws),
      catalogue: cat,
      checks,
      hosts: [{ name, source: 'import' }],
    });
    const results = evaluateAll(snapshot, checks);
    const stats = { connections: 0, execChannels: 0, bytesIn: 0, bytesOut: 0, durationsMs: {} };
    // The output says what it ran as: host.id's uid (the collector run by hand with sudo, or as root, is uid 0).
    sink.hostDone(name, snapshot, results, stats, snapshot.privileged ? 'root' : 'none');
    sink.finish();
    output(scanReport(ws, sink.scan.id, cat), o.json);
    return 0;
  } finally {
    ws.close();
  }
}
