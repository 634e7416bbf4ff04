/**
 * Electron main process: app lifecycle, the one window, the app:// protocol, the IPC transport. Thin on purpose:
 * every decision lives in a pure module (security.ts, protocol.ts, ipc.ts, ../secrets/policy.ts) that Node tests
 * read back. Services come from the same composition root as browser mode.
 */
import path from 'node:path';
import { BrowserWindow, app, ipcMain, protocol, session, type WebContents } from 'electron';
import { EventHub } from '../api/event-hub.js';
import { createHandlers } from '../api/handlers.js';
import { loadServices } from '../api/load-services.js';
import { stderrLogger } from '../api/log.js';
import { createDispatch } from '../api/registry.js';
import { readAppVersion, resolveWorkspacePath } from '../api/app-env.js';
import type { Services } from '../api/services.js';
import { forwardEvents, registerIpcHandlers } from './ipc.js';
import { electronPrintPdf } from './print-pdf.js';
import { createAppProtocolHandler } from './protocol.js';
import { secretStorage } from './secrets.js';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  WINDOW_OPEN_RESPONSE,
  WINDOW_OPTIONS,
  contentSecurityPolicy,
  isNavigationAllowed,
  isPermissionGranted,
  webPreferences,
} from './security.js';

const log = stderrLogger;
let mainWindow: BrowserWindow | null = null;
let services: Services | null = null;

// Before ready: the scheme's privileges, and the sandbox for every renderer.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another Foureyes holds the workspace; it gets focus through 'second-instance'.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_e, contents) => harden(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => void services?.close());
  app.whenReady().then(start).catch(fail);
}

function harden(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!isNavigationAllowed(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isNavigationAllowed(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => WINDOW_OPEN_RESPONSE);
}

async function start(): Promise<void> {
  const root = app.getAppPath();
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(isPermissionGranted(permission)));
  ses.setPermissionCheckHandler((_wc, permission) => isPermissionGranted(permission));
  ses.setDevicePermissionHandler(() => false);
  protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler(
      path.join(root, 'renderer', 'dist'),
      contentSecurityPolicy({ kind: 'electron' }),
    ),
  );

  const workspacePath = resolveWorkspacePath(process.env);
  const secrets = secretStorage();
  const hub = new EventHub(log);
  services = await loadServices({ workspacePath, emit: hub.emit, mode: 'electron', secrets, renderPdf: electronPrintPdf });
  const handlers = createHandlers(services, {
    name: 'Foureyes',
    version: readAppVersion(root),
    mode: 'electron',
    workspacePath,
    platform: process.platform,
    secretStorage: secrets.decision,
  });
  registerIpcHandlers(ipcMain, createDispatch(handlers, log, services.session), log);
  forwardEvents(hub, () =>
    BrowserWindow.getAllWindows().map((w) => ({
      url: () => w.webContents.getURL(),
      send: (channel, payload) => w.webContents.send(channel, payload),
    })),
  );

  mainWindow = new BrowserWindow({
    ...WINDOW_OPTIONS,
    webPreferences: webPreferences(path.join(root, 'dist', 'preload', 'preload.cjs'), {
      devTools: !app.isPackaged,
    }),
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = null));
  await mainWindow.loadURL(APP_ENTRY_URL);
}

function fail(e: unknown): void {
  log.error('start-up failed', { error: e instanceof Error ? e.stack : String(e) });
  app.exit(1);
}
