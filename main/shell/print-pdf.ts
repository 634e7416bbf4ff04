/**
 * The desktop app's PDF renderer for reports (main/export/report/): the report's HTML, written to a private
 * temporary file, loaded in a hidden window with JavaScript disabled (security.ts printWebPreferences) whose session
 * cancels every request but that file and data: URLs, printed with webContents.printToPDF at the document's own
 * page size (A4), then the window and the file are gone. Everything else (what the report holds, --final, the trail
 * event) is the service's, shared with the CLI, which prints with headless Chromium instead.
 */
import { BrowserWindow, session } from 'electron';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RenderPdf } from '../export/report/index.js';
import { PRINT_PARTITION, isPrintRequestAllowed, printWebPreferences } from './security.js';

/**
 * One print at a time: the print session's request filter allows one report file, so a second print set up while
 * the first loads would cancel it.
 */
let queue: Promise<unknown> = Promise.resolve();
export const electronPrintPdf: RenderPdf = (html) => {
  const run = queue.then(() => printOnce(html));
  queue = run.catch(() => undefined);
  return run;
};

const printOnce: RenderPdf = async (html) => {
  const dir = mkdtempSync(join(tmpdir(), 'foureyes-print-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html, { mode: 0o600 });
  const url = pathToFileURL(file).href;
  session
    .fromPartition(PRINT_PARTITION)
    .webRequest.onBeforeRequest((details, callback) =>
      callback({ cancel: !isPrintRequestAllowed(details.url, url) }),
    );
  const win = new BrowserWindow({ show: false, webPreferences: printWebPreferences() });
  try {
    await win.loadFile(file);
    return await win.webContents.printToPDF({
      preferCSSPageSize: true,
      printBackground: true,
      displayHeaderFooter: false,
    });
  } finally {
    win.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
};
