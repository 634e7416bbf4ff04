/** How CLI commands find and open the workspace: the same default file as the workstation (FOUREYES_WORKSPACE, else
 * the per-user data directory). Commands that only read never create one. */
import { FoureyesError } from '../../shared/model/errors.js';
import { resolveWorkspacePath } from '../api/app-env.js';
import { openWorkspace, type Workspace } from '../store/db.js';

/** Name of the engagement that holds the scans the CLI makes. */
export const CLI_ENGAGEMENT_NAME = 'Command line';

/** `--workspace` when given, otherwise the default (FOUREYES_WORKSPACE, or ~/.local/share/foureyes/...). */
export function workspacePath(given: string | undefined): string {
  return given ?? resolveWorkspacePath(process.env);
}

/**
 * Opens the workspace for writing, creating it (0600, in a 0700 directory) when missing. Like the workstation at
 * start, it ends as interrupted the scans whose owner is gone (a CLI killed mid-scan); live ones are left alone.
 */
export function openForWriting(given: string | undefined): Workspace {
  const ws = openWorkspace(workspacePath(given));
  try {
    ws.scans.markInterrupted();
  } catch (e) {
    ws.close();
    throw e;
  }
  return ws;
}

/** Opens an existing workspace; a missing file is an error naming the path, and nothing is created. */
export function openExisting(given: string | undefined): Workspace {
  const path = workspacePath(given);
  try {
    return openWorkspace(path, { create: false });
  } catch (e) {
    if (e instanceof FoureyesError && e.code === 'not_found')
      throw new FoureyesError(
        'not_found',
        `no workspace at ${path} (nothing has been scanned or imported there yet; give --workspace FILE or set FOUREYES_WORKSPACE)`,
      );
    throw e;
  }
}

/** The CLI's engagement, created on first use. */
export function cliEngagementId(ws: Workspace): string {
  const e = ws.engagements.list().find((x) => x.name === CLI_ENGAGEMENT_NAME);
  return (e ?? ws.engagements.create({ name: CLI_ENGAGEMENT_NAME })).id;
}
