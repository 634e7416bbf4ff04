/**
 * `foureyes remediate [--scan ID] --out playbook.yml`: an Ansible playbook for the failing checks of a stored scan
 * (the newest when no id is given) and the inventory it runs against. Reads the workspace only.
 */
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FoureyesError } from '../../../shared/model/errors.js';
import { projectRootFrom, readAppVersion } from '../../api/app-env.js';
import { loadCatalogueQuick } from '../../catalogue/catalogue.js';
import { buildInventory, buildPlaybook } from '../../remediate/playbook.js';
import { scanRemediation } from '../../remediate/from-scan.js';
import { term, termJson } from '../term.js';
import { waiversNow } from '../waivers-now.js';
import { openExisting } from '../workspace.js';

export interface RemediateOptions {
  scan?: string;
  out?: string;
  inventory?: string;
  pack?: string[];
  workspace?: string;
  json?: boolean;
}

/** `site.yml` -> `site.inventory.yml` beside it. */
export function inventoryFileFor(out: string): string {
  const b = basename(out).replace(/\.ya?ml$/i, '');
  return join(dirname(out), `${b}.inventory.yml`);
}

export async function remediate(o: RemediateOptions): Promise<number> {
  if (!o.out) throw new FoureyesError('bad_input', 'remediate: give --out <playbook.yml>');
  const ws = openExisting(o.workspace);
  try {
    const scanId = o.scan ?? ws.scans.latestScanId();
    if (!scanId) throw new FoureyesError('not_found', `the workspace ${ws.path} has no scan yet`);
    const cat = await loadCatalogueQuick(o.pack ?? []);
    const { input, notes } = scanRemediation(ws, scanId, cat, waiversNow(ws));
    const tool = `Foureyes ${readAppVersion(projectRootFrom(import.meta.url))}`;
    const book = buildPlaybook({ ...input, generatedAt: new Date().toISOString(), tool });
    const invFile = o.inventory ?? inventoryFileFor(o.out);
    writeFileSync(o.out, book.text, { mode: 0o600 });
    writeFileSync(invFile, buildInventory(input.hosts), { mode: 0o600 });
    const summary = {
      scanId,
      playbook: o.out,
      inventory: invFile,
      plays: book.plays,
      checks: book.included,
      risky: book.risky,
      manual: book.manual,
      notes,
    };
    if (o.json) process.stdout.write(`${termJson(summary)}\n`);
    else {
      process.stdout.write(
        `${term(o.out)}: ${book.included.length} checks in ${book.plays} plays for ${input.hosts.length} hosts of scan ${scanId}` +
          ` (${book.risky.length} risky, run only with --tags risky); inventory ${term(invFile)}\n`,
      );
      if (book.manual.length > 0) process.stdout.write(`to fix by hand (no Ansible task): ${book.manual.join(', ')}\n`);
      for (const n of notes) process.stdout.write(`note: ${term(n)}\n`);
      process.stdout.write(`check it with: ansible-playbook -i ${term(invFile)} --syntax-check ${term(o.out)}\n`);
    }
    return 0;
  } finally {
    ws.close();
  }
}
