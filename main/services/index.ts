/**
 * Composition root: opens the workspace, loads the catalogue and wires one service per domain. Loaded by
 * main/api/load-services.ts for both the Electron and the browser transport.
 */
import type { ServicesFactory } from '../api/services.js';
import { loadCatalogue } from '../catalogue/load.js';
import { openWorkspace } from '../store/db.js';
import { catalogueService } from './catalogue.js';
import { dashboardService } from './dashboard.js';
import { engagementService } from './engagements.js';
import { hostKeyService } from './host-keys.js';
import { hostService } from './hosts.js';
import { ensureLocalEngagement } from './local.js';
import { resultService } from './results.js';
import { scanService } from './scans.js';
import { secretService } from './secrets.js';

export const createServices: ServicesFactory = async (ctx) => {
  const catalogue = loadCatalogue();
  const ws = openWorkspace(ctx.workspacePath);
  try {
    // This process owns the workspace: runs left over from a crash are not running any more.
    ws.scans.markInterrupted();
    ensureLocalEngagement(ws);
  } catch (err) {
    ws.close();
    throw err;
  }
  const scans = scanService(ws, catalogue, ctx.emit, undefined, ctx.secrets.cipher);
  // Host key probes in flight at shutdown are cancelled (their sockets closed), not waited for.
  const probes = new AbortController();
  return Promise.resolve({
    engagements: engagementService(ws),
    hosts: hostService(ws),
    hostKeys: hostKeyService(ws, { signal: probes.signal }),
    scans,
    results: resultService(ws, catalogue),
    dashboard: dashboardService(ws, catalogue),
    catalogue: catalogueService(catalogue),
    secrets: secretService(ws, ctx.secrets),
    close: async () => {
      probes.abort();
      await scans.shutdown();
      ws.close();
    },
  });
};
