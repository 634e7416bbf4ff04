/** `foureyes collector`: print (or write) the read-only collector script for hand-run collection. */
import { writeFileSync } from 'node:fs';
import { factsNeeded, loadCatalogueQuick } from '../../catalogue/catalogue.js';
import { buildCollectorScript } from '../../collector/script.js';
import { pickChecks } from '../options.js';

export async function collector(o: { checks?: string; output?: string }): Promise<number> {
  const cat = await loadCatalogueQuick();
  // Run by an admin as root, or by an auditor whose sudo rules allow some read-only commands: those are used.
  const script = buildCollectorScript(factsNeeded(pickChecks(cat, o.checks)), { sudoReads: true }).script;
  if (o.output) writeFileSync(o.output, script, { mode: 0o644 });
  else process.stdout.write(script);
  return 0;
}
