/**
 * Composition root: opens the workspace, loads the catalogue and wires one service per domain. Loaded by
 * main/api/load-services.ts for both the Electron and the browser transport. The session (who is signed in) is one
 * per running workstation; the dispatch reads it for every call and hands the acting person to the services, which
 * record their audit events with `recordAudit` and check signatures with `publicKeyOf`.
 */
import { projectRootFrom, readAppVersion } from '../api/app-env.js';
import type { ServicesFactory } from '../api/services.js';
import { recordAudit } from '../audit/trail.js';
import { loadCatalogue } from '../catalogue/load.js';
import { publicKeyOf } from '../people/public-keys.js';
import { openWorkspace } from '../store/db.js';
import { catalogueService } from './catalogue.js';
import { auditService } from './audit.js';
import { dashboardService } from './dashboard.js';
import { engagementService } from './engagements.js';
import { exportApiService } from './exports.js';
import { findingApiService } from './findings.js';
import { hostKeyService } from './host-keys.js';
import { hostService } from './hosts.js';
import { ensureLocalEngagement } from './local.js';
import { personService } from './people.js';
import { publishService } from './publish.js';
import { resultService } from './results.js';
import { reviewService } from './review.js';
import { scanService } from './scans.js';
import { secretService } from './secrets.js';
import { sessionService } from './session.js';
import { waiverService } from './waivers.js';
import { attestationService } from './attestations.js';
import { aaaService } from './aaa.js';

/** How often the running workstation looks for scans whose owner is gone. */
const SWEEP_MS = 60_000;

export const createServices: ServicesFactory = async (ctx) => {
  const catalogue = loadCatalogue();
  const ws = openWorkspace(ctx.workspacePath);
  try {
    // Scans whose owner process is gone (a crash, a CLI killed mid-scan) end as interrupted; scans another live
    // process runs on this workspace (the CLI) are left to it.
    ws.scans.markInterrupted();
    ensureLocalEngagement(ws);
  } catch (err) {
    ws.close();
    throw err;
  }
  const keys = publicKeyOf(ws);
  const tool = { name: 'Foureyes' as const, version: readAppVersion(projectRootFrom(import.meta.url)) };
  const waivers = waiverService(ws, { recordAudit: recordAudit(ws), publicKeyOf: keys, catalogue });
  const scans = scanService(ws, catalogue, ctx.emit, undefined, ctx.secrets.cipher, waivers.overlay);
  // Host key probes and publish requests in flight at shutdown are cancelled (their sockets closed), not waited for.
  const probes = new AbortController();
  // While the workstation runs, a CLI on the same workspace may die mid-scan: its scan is found here too.
  const sweep = setInterval(() => {
    try {
      ws.scans.markInterrupted();
    } catch {
      // busy workspace: the next sweep
    }
  }, SWEEP_MS);
  sweep.unref();
  return Promise.resolve({
    engagements: engagementService(ws),
    hosts: hostService(ws),
    hostKeys: hostKeyService(ws, { signal: probes.signal }),
    scans,
    results: resultService(ws, catalogue, waivers.overlay),
    dashboard: dashboardService(ws, catalogue, waivers),
    catalogue: catalogueService(catalogue),
    secrets: secretService(ws, ctx.secrets),
    people: personService(ws),
    session: sessionService(ws, ctx.secrets.cipher),
    findings: findingApiService(ws, { recordAudit: recordAudit(ws), publicKeyOf: keys, overlay: waivers.overlay }),
    waivers,
    attestations: attestationService(ws, catalogue, { recordAudit: recordAudit(ws) }),
    aaa: aaaService(ws, catalogue),
    audit: auditService(ws, keys),
    review: reviewService(ws),
    exports: exportApiService(ws, catalogue, tool, ctx.renderPdf),
    publish: publishService(ws, { workspacePath: ctx.workspacePath, signal: probes.signal, catalogue, tool, storage: ctx.secrets }),
    close: async () => {
      clearInterval(sweep);
      probes.abort();
      await scans.shutdown();
      ws.close();
    },
  });
};
