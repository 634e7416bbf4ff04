/**
 * Entry point of browser mode (`npm start` when no Electron binary is present, or `npm start -- --browser`).
 * Environment: FOUREYES_WORKSPACE (workspace file), FOUREYES_PORT (0 = a free port), FOUREYES_RENDERER_DIR (built
 * renderer to serve; default renderer/dist). Prints the URL with the launch
 * token on stdout and never opens a browser itself.
 */
import path from 'node:path';
import { EventHub } from '../api/event-hub.js';
import { createHandlers } from '../api/handlers.js';
import { loadServices } from '../api/load-services.js';
import { stderrLogger } from '../api/log.js';
import { createDispatch } from '../api/registry.js';
import {
  parsePort,
  projectRootFrom,
  readAppVersion,
  resolveWorkspacePath,
  type AppEnv,
} from '../api/app-env.js';
import { isFoureyesError } from '../../shared/model/errors.js';
import { startBridge } from './server.js';

async function main(): Promise<void> {
  const root = projectRootFrom(import.meta.url);
  const port = parsePort(process.env.FOUREYES_PORT);
  const workspacePath = resolveWorkspacePath(process.env);
  const log = stderrLogger;
  const hub = new EventHub(log);
  const secretStorage = {
    persistent: false,
    detail: 'Browser mode: passwords and passphrases are asked for each time.',
  };
  const services = await loadServices({
    workspacePath,
    emit: hub.emit,
    mode: 'browser',
    secrets: { cipher: null, decision: secretStorage },
  });
  const app: AppEnv = {
    name: 'Foureyes',
    version: readAppVersion(root),
    mode: 'browser',
    workspacePath,
    platform: process.platform,
    secretStorage,
  };
  const bridge = await startBridge({
    dispatch: createDispatch(createHandlers(services, app), log, services.session),
    events: hub,
    // FOUREYES_RENDERER_DIR: another renderer build (tests build into their own folder).
    staticDir: process.env.FOUREYES_RENDERER_DIR ?? path.join(root, 'renderer', 'dist'),
    port,
    log,
  });
  process.stdout.write(`Foureyes is running in browser mode: ${bridge.url}\n`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await bridge.close();
    await services.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  process.stderr.write(
    `foureyes: ${isFoureyesError(e) ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
