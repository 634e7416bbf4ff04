/**
 * The report as PDF outside the desktop app: the HTML printed by headless Chromium, spawned as a program (never a
 * browser download, no Node dependency at run time). The browser is $FOUREYES_CHROMIUM, else /usr/bin/chromium or
 * /usr/bin/chromium-browser, else `chromium` or `chromium-browser` on PATH; without one the PDF is refused with an
 * error naming where it looked and how to get one. The document is written to a private temporary folder with a
 * throwaway browser profile, printed with its own @page size (A4) and no header or footer, and removed afterwards.
 * The page holds no script and a CSP that lets nothing load or run (default-src 'none'); the browser's background
 * requests (updates, component downloads) are off. (Chromium's own switch to disable scripts also stops it printing.)
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FoureyesError } from '../../../shared/model/errors.js';
import type { RenderPdf } from './index.js';

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const ON_PATH = ['chromium', 'chromium-browser'];
/**
 * How long Chromium may take: 3 minutes, and 30 s more per MiB of HTML (printing is linear in the report's size,
 * some half a second per host of an engineer report, 60 hosts 4.8 MB in 29 s here).
 */
export const printTimeoutMs = (htmlBytes: number): number =>
  180_000 + Math.ceil(htmlBytes / (1 << 20)) * 30_000;

const executable = (p: string): boolean => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The Chromium to print with, or an error saying what is missing. */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  candidates: readonly string[] = CHROMIUM_CANDIDATES,
): string {
  const given = env.FOUREYES_CHROMIUM;
  if (given !== undefined && given !== '') {
    if (executable(given)) return given;
    throw new FoureyesError(
      'not_found',
      `FOUREYES_CHROMIUM=${given} is not an executable file: give the path of a Chromium or Chrome binary`,
    );
  }
  for (const p of candidates) if (executable(p)) return p;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean))
    for (const name of ON_PATH) if (executable(join(dir, name))) return join(dir, name);
  throw new FoureyesError(
    'not_found',
    `no Chromium to print the PDF with: looked for $FOUREYES_CHROMIUM, ${candidates.join(', ')} and ${ON_PATH.join(', ')} on PATH. Install Chromium (Debian/Ubuntu: apt install chromium) or set FOUREYES_CHROMIUM to a Chromium or Chrome binary; \`foureyes export html\` needs none`,
  );
}

/** The arguments Chromium is run with to print `url` into `out`. */
export function chromiumArgs(url: string, out: string, profile: string): string[] {
  return [
    '--headless',
    // Chromium's sandbox cannot run as root; anyone else keeps it (the report holds text from targets).
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-extensions',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
    `--user-data-dir=${profile}`,
    `--print-to-pdf=${out}`,
    '--no-pdf-header-footer',
    url,
  ];
}

/** A RenderPdf that runs the Chromium at `binary`. */
export function chromiumPdf(binary: string = findChromium()): RenderPdf {
  return async (html) => {
    const dir = mkdtempSync(join(tmpdir(), 'foureyes-pdf-'));
    try {
      const page = join(dir, 'report.html');
      const out = join(dir, 'report.pdf');
      writeFileSync(page, html, { mode: 0o600 });
      const stderr = await new Promise<string>((resolve, reject) => {
        const child = spawn(binary, chromiumArgs(pathToFileURL(page).href, out, join(dir, 'profile')), {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let err = '';
        let timedOut = false;
        child.stderr.on('data', (b: Buffer) => {
          if (err.length < 8192) err += b.toString('utf8');
        });
        const timeoutMs = printTimeoutMs(Buffer.byteLength(html));
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, timeoutMs);
        child.on('error', (e) => {
          clearTimeout(timer);
          reject(new FoureyesError('internal', `cannot run ${binary}: ${e.message}`));
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          if (code === 0) resolve(err);
          else if (timedOut)
            reject(
              new FoureyesError(
                'internal',
                `${binary} did not print the PDF within ${Math.round(timeoutMs / 1000)} s (a report of ${(Buffer.byteLength(html) / 1e6).toFixed(1)} MB): export it as html, or the executive or manager report as pdf`,
              ),
            );
          else
            reject(
              new FoureyesError(
                'internal',
                `${binary} did not print the PDF (${signal ?? `exit ${code}`}): ${err.trim().split('\n').slice(-3).join(' ').slice(0, 500)}`,
              ),
            );
        });
      });
      try {
        return readFileSync(out);
      } catch {
        throw new FoureyesError(
          'internal',
          `${binary} wrote no PDF: ${stderr.trim().split('\n').slice(-3).join(' ').slice(0, 500)}`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
