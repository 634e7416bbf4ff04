/**
 * The executive report stays on one A4 page however big the engagement: 40 findings of every severity with titles
 * of 300 characters, 20 waivers with long reasons, 15 scans in the trend, 30 hosts; printed by headless Chromium
 * (main/export/report/pdf.ts) as the CLI prints it. The engineer report of the same engagement takes many pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCheckpoint } from '../../../main/audit/checkpoint.js';
import { readEngagementExport, type EngagementExportData } from '../../../main/export/data.js';
import { chromiumPdf } from '../../../main/export/report/pdf.js';
import { reportHtml, type Audience } from '../../../main/export/report/report.js';
import { unlock } from '../../../main/people/people.js';
import { SEVERITIES } from '../../../shared/model/results.js';
import type { Checkpoint } from '../../../shared/model/audit.js';
import { PASS, TIME, exportFixture, type ExportFixture } from './fixture.js';

let fx: ExportFixture;
let big: EngagementExportData;
let checkpoint: Checkpoint;

beforeAll(() => {
  fx = exportFixture();
  const base = readEngagementExport(fx.ws, fx.engagementId, fx.catalogue, {
    tool: { name: 'Foureyes', version: '0.1.0' },
    now: () => TIME,
  });
  checkpoint = makeCheckpoint(fx.ws, unlock(fx.ws, 'Ann', PASS.ann));
  big = structuredClone(base);
  const f = big.findings[0]!;
  big.findings = Array.from({ length: 40 }, (_, i) => {
    const c = structuredClone(f);
    c.finding.id = `f${i}`;
    c.finding.title = `${'Long finding title '.repeat(16).slice(0, 296)} ${i}`;
    c.finding.severity = SEVERITIES[i % SEVERITIES.length]!;
    return c;
  });
  const w = big.waivers[0]!;
  big.waivers = Array.from({ length: 20 }, (_, i) => ({
    ...structuredClone(w),
    id: `w${i}`,
    reason: 'why '.repeat(200),
  }));
  const scan = big.scans[0]!;
  const run = scan.hostRuns[0]!;
  scan.hostRuns = Array.from({ length: 30 }, (_, i) => ({
    ...structuredClone(run),
    run: { ...run.run, id: `r${i}`, hostName: `host-${i}-${'x'.repeat(60)}` },
  }));
  big.scans = Array.from({ length: 15 }, (_, i) => ({
    ...structuredClone(scan),
    scan: { ...scan.scan, id: `s${i}`, startedAt: `2026-11-${String(i + 1).padStart(2, '0')}T10:00:00.000Z` },
  }));
});
afterAll(() => fx?.cleanup());

const pages = (pdf: Buffer): number =>
  (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;

describe('the printed report', () => {
  it('executive: one A4 page for a big engagement; engineer: many', async () => {
    const print = chromiumPdf('/usr/bin/chromium');
    const make = (audience: Audience) =>
      reportHtml({
        data: big,
        scanId: big.scans.at(-1)!.scan.id,
        audience,
        final: false,
        checkpoint,
        exportedBy: { name: 'Ann', fingerprint: 'SHA256:x' },
      });
    const ex = await print(make('executive'));
    expect(pages(ex)).toBe(1);
    expect(pages(await print(make('engineer')))).toBeGreaterThan(10);
  }, 180_000);
});
