/** `foureyes collector`: print (or write) the read-only collector script for hand-run collection. */
import { writeFileSync } from 'node:fs';
import { factsNeeded, loadCatalogue } from '../../catalogue/load.js';
import { buildCollectorScript } from '../../collector/script.js';
import { pickChecks } from '../options.js';

export function collector(o: { checks?: string; output?: string }): number {
  const cat = loadCatalogue();
  // Run by an admin as root, or by an auditor whose sudo rules allow some read-only commands: those are used.
  const script = buildCollectorScript(factsNeeded(pickChecks(cat, o.checks)), { sudoReads: true }).script;
  if (o.output) writeFileSync(o.output, script, { mode: 0o644 });
  else process.stdout.write(script);
  return 0;
}
