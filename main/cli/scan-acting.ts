/**
 * Who runs `foureyes assess --as NAME` or `foureyes import --as NAME`: the person is looked up in the workspace and
 * unlocked (passphrase from --person-passphrase-file, FOUREYES_PERSON_PASSPHRASE or a prompt) before any host is
 * contacted. Loaded only when --as is given, so a scan without it loads neither the people's modules nor crypto.
 */
import type { Acting } from '../people/acting.js';
import { openWorkspace } from '../store/db.js';
import { actingFromCli } from './acting.js';
import { workspacePath } from './workspace.js';

export async function scanActing(workspace: string | undefined, name: string, passphraseFile: string | undefined): Promise<Acting> {
  const ws = openWorkspace(workspacePath(workspace));
  try {
    return await actingFromCli(ws, name, passphraseFile !== undefined ? { file: passphraseFile } : {});
  } finally {
    ws.close();
  }
}
