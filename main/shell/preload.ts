/**
 * Preload of the application window. Runs sandboxed, so it is bundled into one CommonJS file with only 'electron'
 * left external (build/bundle-preload.mjs -> dist/preload/preload.cjs).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { EXPOSED_NAME, buildPreloadApi } from './preload-api.js';

contextBridge.exposeInMainWorld(EXPOSED_NAME, buildPreloadApi(ipcRenderer));
