/**
 * Export part of `npm run bench` (`npm run bench -- export`): every export (SARIF, JUnit, OHDF of the scan; the
 * engagement JSON; the signed Confluence bundle as a zip; the Jira CSV; the HTML report of each audience; its PDF,
 * executive and manager, where a Chromium is installed, one sample each) of a stored scan of some 25,000 results (BENCH_EXPORT_HOSTS hosts x the catalogue's
 * checks, default 266 x 94, the size of 100 hosts x 250 checks), each read from the workspace file and written as
 * text, against a plain JSON dump of the same results (read and JSON.stringify) in the same run. Reports the median of
 * BENCH_EXPORT_ROUNDS (default 3) after a warm-up, the ratio to the dump and whether each is under 5 s. Writes
 * test-results/bench/export.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCatalogue } from '../../main/catalogue/load.js';
import { bundleZip } from '../../main/export/confluence/bundle.js';
import { confluenceBundle } from '../../main/export/confluence/index.js';
import { exportJiraCsv, exportScan } from '../../main/export/index.js';
import { AUDIENCES, buildReport, reportPdf } from '../../main/export/report/index.js';
import { chromiumPdf, findChromium } from '../../main/export/report/pdf.js';
import { addPerson, unlock } from '../../main/people/people.js';
import { EXPORT_FORMATS } from '../../main/export/formats.js';
import { openWorkspace } from '../../main/store/db.js';
import { median } from './ui/report.js';
import { buildBenchWorkspace } from './ui/workspace.js';

const HOSTS = Math.min(2000, Math.max(1, Number(process.env.BENCH_EXPORT_HOSTS ?? 266) || 266));
const ROUNDS = Math.min(10, Math.max(1, Number(process.env.BENCH_EXPORT_ROUNDS ?? 3) || 3));
const GOAL_MS = 5000;

export async function exportBenchMain(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'foureyes-bench-export-'));
  try {
    const cat = loadCatalogue();
    const built = buildBenchWorkspace(path.join(dir, 'estate.sqlite'), HOSTS, undefined, cat);
    const ws = openWorkspace(built.path);
    try {
      const tool = { name: 'Foureyes' as const, version: 'bench' };
      addPerson(ws, { name: 'Bench', role: 'consultant', email: 'bench@example.org' }, 'bench passphrase');
      const acting = unlock(ws, 'Bench', 'bench passphrase');
      const engagementId = ws.scans.require(built.scanId).engagementId;
      const cases: Record<string, () => { length: number }> = {
        'plain JSON dump': () => JSON.stringify(ws.results.forScan(built.scanId)),
        ...Object.fromEntries(EXPORT_FORMATS.map((f) => [f, () => exportScan(ws, f, built.scanId, cat, { tool })])),
        'confluence zip': () => {
          const b = confluenceBundle(ws, cat, { tool, engagementId, scanId: built.scanId, final: false, acting });
          return bundleZip(b.files);
        },
        'jira-csv': () => exportJiraCsv(ws, engagementId, cat, { tool }).text,
        ...Object.fromEntries(
          AUDIENCES.map((audience) => [
            `html ${audience}`,
            () => buildReport(ws, cat, { tool, engagementId, scanId: built.scanId, audience, final: false, acting }).html,
          ]),
        ),
      };
      const rows: { name: string; ms: number; bytes: number }[] = [];
      for (const [name, run] of Object.entries(cases)) {
        let bytes = run().length; // warm-up
        const samples: number[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          const t = performance.now();
          bytes = run().length;
          samples.push(performance.now() - t);
        }
        rows.push({ name, ms: median(samples), bytes });
      }
      // The PDF (headless Chromium, start-up included), where a Chromium is installed: one sample each, it is slow.
      // The engineer report of this estate is thousands of pages: printing it is reported, not timed against 5 s.
      let chromium: string | null = null;
      try {
        chromium = findChromium();
      } catch {
        console.log('  (no Chromium: the PDF is not measured)');
      }
      if (chromium !== null)
        for (const audience of ['executive', 'manager'] as const) {
          const t = performance.now();
          const r = buildReport(ws, cat, { tool, engagementId, scanId: built.scanId, audience, final: false, acting });
          const pdf = await reportPdf(r, chromiumPdf(chromium));
          rows.push({ name: `pdf ${audience}`, ms: performance.now() - t, bytes: pdf.length });
        }
      const plain = rows[0]!.ms;
      console.log(`export: ${built.hosts} hosts x ${built.checks} checks = ${built.results} results; median of ${ROUNDS}`);
      for (const r of rows)
        console.log(
          `  ${r.name.padEnd(16)} ${r.ms.toFixed(0).padStart(6)} ms  ${(r.bytes / 1e6).toFixed(1).padStart(6)} M units  x${(r.ms / plain).toFixed(1)} of the dump${
            r.name === 'plain JSON dump' ? '' : r.ms < GOAL_MS ? '  (under 5 s)' : '  (OVER 5 s)'
          }`,
        );
      mkdirSync('test-results/bench', { recursive: true });
      writeFileSync(
        'test-results/bench/export.json',
        `${JSON.stringify({ hosts: built.hosts, checks: built.checks, results: built.results, rounds: ROUNDS, goalMs: GOAL_MS, rows }, null, 2)}\n`,
      );
    } finally {
      ws.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
