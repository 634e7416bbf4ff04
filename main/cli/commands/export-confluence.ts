/**
 * `foureyes export confluence --out PATH [--zip] [--scan ID] [--engagement E] [--final] --as NAME`: the Confluence
 * bundle of an engagement (main/export/confluence/), signed by the person exporting (passphrase from
 * --passphrase-file, FOUREYES_PERSON_PASSPHRASE or a prompt). The engagement is --engagement, else that of --scan,
 * else that of the newest scan; the host pages are of --scan, else of the engagement's newest scan. `--final` is
 * refused (exit 2, naming them) while a finding is not approved. The workspace changes only by the export's event in
 * the trail (`export.confluence`, with the SHA-256 of the signed integrity manifest).
 * `foureyes bundle verify DIR|ZIP`: exit 0 when every file matches the signed integrity manifest, 1 naming each
 * changed, missing and extra file or a bad signature, 2 when it is not a bundle or cannot be read.
 */
import { FoureyesError } from '../../../shared/model/errors.js';
import { projectRootFrom, readAppVersion } from '../../api/app-env.js';
import { loadCatalogueQuick } from '../../catalogue/catalogue.js';
import {
  confluenceBundle,
  recordConfluenceExport,
  verifyBundle,
  writeConfluenceBundle,
} from '../../export/confluence/index.js';
import { actingFromCli } from '../acting.js';
import { resolveEngagementId } from '../findings-service.js';
import { term, termJson } from '../term.js';
import { openExisting } from '../workspace.js';
import type { Scan } from '../../../shared/model/workspace.js';
import type { Workspace } from '../../store/db.js';

type Opts = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The engagement an engagement export is of: --engagement, else that of --scan, else that of the newest scan; and
 * --scan when given (a scan of that engagement).
 */
export function engagementAndScan(ws: Workspace, o: Opts): { engagementId: string; scan: Scan | undefined } {
  const scanArg = str(o.scan);
  const scan = scanArg !== undefined ? ws.scans.get(scanArg) : undefined;
  if (scanArg !== undefined && !scan)
    throw new FoureyesError(
      'not_found',
      `--scan: no scan ${JSON.stringify(scanArg.slice(0, 200))} in the workspace ${ws.path}`,
    );
  const given = str(o.engagement);
  let engagementId = given !== undefined ? resolveEngagementId(ws, given) : scan?.engagementId;
  if (engagementId === undefined) {
    const newest = ws.scans.latestScanId();
    engagementId = newest !== null ? ws.scans.get(newest)?.engagementId : undefined;
  }
  if (engagementId === undefined)
    throw new FoureyesError('not_found', `the workspace ${ws.path} has no scan yet: give --engagement`);
  if (scan && scan.engagementId !== engagementId)
    throw new FoureyesError(
      'bad_input',
      `--scan ${scanArg} is a scan of another engagement than --engagement`,
    );
  return { engagementId, scan };
}

export async function exportConfluence(o: Opts): Promise<number> {
  const out = str(o.out);
  if (out === undefined)
    throw new FoureyesError('bad_input', '--out PATH is required (a new folder, or a file with --zip)');
  const as = str(o.as);
  if (as === undefined)
    throw new FoureyesError('bad_input', '--as NAME is required: the person who signs the bundle');
  const ws = openExisting(str(o.workspace));
  try {
    const { engagementId, scan } = engagementAndScan(ws, o);
    const acting = await actingFromCli(ws, as, { file: str(o.passphraseFile) });
    const catalogue = await loadCatalogueQuick();
    const bundle = confluenceBundle(ws, catalogue, {
      tool: { name: 'Foureyes', version: readAppVersion(projectRootFrom(import.meta.url)) },
      engagementId,
      ...(scan ? { scanId: scan.id } : {}),
      final: o.final === true,
      acting,
    });
    const bytes = writeConfluenceBundle(bundle, out, o.zip === true);
    recordConfluenceExport(ws, acting, bundle);
    process.stdout.write(
      `${term(out)}: Confluence bundle written (${bundle.pages.length} pages, ${bundle.files.length} files, ${bytes} bytes), signed by ${term(acting.actor.name)}\n`,
    );
    for (const f of bundle.leftOut)
      process.stdout.write(`left out: ${f.findingId.slice(0, 8)} ${term(f.title)}: ${term(f.reason)}\n`);
    return 0;
  } finally {
    ws.close();
  }
}

export function bundleVerify(path: string, o: Opts): number {
  const r = verifyBundle(path);
  if (o.json === true) {
    process.stdout.write(`${termJson(r)}\n`);
    return r.ok ? 0 : 1;
  }
  const who = r.signer ? `${term(r.signer.name)} (${r.signer.fingerprint})` : 'nobody';
  if (r.ok) {
    process.stdout.write(`${term(path)}: verified, ${r.files} files signed by ${who}\n`);
    return 0;
  }
  const lines = [
    ...(r.problem ? [r.problem] : []),
    ...r.changed.map((f) => `changed: ${f}`),
    ...r.missing.map((f) => `missing: ${f}`),
    ...r.extra.map((f) => `extra: ${f}`),
  ];
  process.stdout.write(
    `${term(path)}: does not verify (signed by ${who})\n${lines.map((l) => `  ${term(l)}`).join('\n')}\n`,
  );
  return 1;
}
