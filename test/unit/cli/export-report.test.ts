/**
 * `foureyes export html` from the built CLI on a real workspace with hostile target text (test/unit/export/fixture.ts):
 * each audience written as one file that parses and loads nothing, the export an event of the trail (`export.html`,
 * with the SHA-256 of the file and the checkpoint the report shows), `--json` output, `--final` refused naming the
 * finding (exit 2), an unknown audience and an existing file refused (exit 2), the passphrase in no output.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordAudit } from '../../../main/audit/trail.js';
import { findingService } from '../../../main/findings/service.js';
import { unlock } from '../../../main/people/people.js';
import { publicKeyOf } from '../../../main/people/public-keys.js';
import { openWorkspace } from '../../../main/store/db.js';
import { ensureBuilt } from '../../support/build.js';
import { PASS, exportFixture, type ExportFixture } from '../export/fixture.js';
import { expectSelfContained, readHtml } from '../export/report-dom.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
let fx: ExportFixture;
let file: string;

export function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: fx.dir };
  for (const k of Object.keys(env)) if (k.startsWith('FOUREYES_') || k === 'XDG_DATA_HOME') delete env[k];
  return spawnSync(process.execPath, [BIN, ...args, '--workspace', file], {
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
    timeout: 120_000,
  });
}
const ann = () => ['--as', 'Ann', '--passphrase-file', join(fx.dir, 'ann.pass')];
const noStack = (r: { stderr: string }) => expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
const events = (action: string) => {
  const ws = openWorkspace(file);
  const ev = ws.audit.forObject('engagement', fx.engagementId).filter((e) => e.action === action);
  ws.close();
  return ev;
};

beforeAll(() => ensureBuilt(), 300_000);
beforeEach(() => {
  fx = exportFixture();
  file = fx.ws.path;
  fx.ws.close();
  writeFileSync(join(fx.dir, 'ann.pass'), `${PASS.ann}\n`);
});
afterEach(() => fx.cleanup());

describe('foureyes export html', () => {
  it('writes each audience as one self-contained file, recorded in the trail with its SHA-256', () => {
    for (const audience of ['executive', 'manager', 'engineer']) {
      const out = join(fx.dir, `${audience}.html`);
      const r = cli(['export', 'html', '--out', out, '--audience', audience, ...ann()]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(
        new RegExp(
          `${audience} report written as HTML \\(\\d+ bytes, SHA-256 [0-9a-f]{64}\\), audit checkpoint of \\d+ events signed by Ann`,
        ),
      );
      const html = readFileSync(out, 'utf8');
      const read = readHtml(html);
      expectSelfContained(html, read);
      expect(read.elements.find((e) => e.tag === 'html')!.attrs['data-audience']).toBe(audience);
      for (const s of [r.stdout, r.stderr, html]) expect(s.includes(PASS.ann)).toBe(false);
    }
    const ev = events('export.html');
    expect(ev).toHaveLength(3);
    expect(ev.map((e) => e.actor_name)).toEqual(['Ann', 'Ann', 'Ann']);
    const last = JSON.parse(ev[2]!.details!) as {
      sha256: string;
      audience: string;
      checkpoint: { count: number; headHash: string };
    };
    expect(last.audience).toBe('engineer');
    expect(last.sha256).toBe(
      createHash('sha256')
        .update(readFileSync(join(fx.dir, 'engineer.html')))
        .digest('hex'),
    );
    const audit = readHtml(readFileSync(join(fx.dir, 'engineer.html'), 'utf8')).byId.get('audit')!;
    expect(audit).toContain(`Events${last.checkpoint.count}`);
    expect(audit).toContain(`Head hash${last.checkpoint.headHash}`);
  });

  it('--json says what was written; the default audience is engineer', () => {
    const out = join(fx.dir, 'r.html');
    const r = cli([
      'export',
      'html',
      '--out',
      out,
      '--json',
      '--engagement',
      fx.engagementId,
      '--scan',
      fx.scanId,
      ...ann(),
    ]);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(j).toMatchObject({
      out,
      format: 'html',
      audience: 'engineer',
      final: false,
      scanId: fx.scanId,
      leftOut: [],
    });
    expect(j.sha256).toBe(createHash('sha256').update(readFileSync(out)).digest('hex'));
    expect(j.bytes).toBe(readFileSync(out).length);
  });

  it('refuses --final while a finding is not approved, an unknown audience and an existing file (exit 2)', () => {
    const ws = openWorkspace(file);
    const f = ws.findings.get(fx.findingId)!;
    findingService(ws, { recordAudit: recordAudit(ws), publicKeyOf: publicKeyOf(ws) }).edit(
      unlock(ws, 'Ann', PASS.ann),
      f.id,
      { notes: 'changed after approval' },
      { expectedRevision: f.revision },
    );
    ws.close();
    const fin = cli(['export', 'html', '--final', '--out', join(fx.dir, 'f.html'), ...ann()]);
    expect(fin.status).toBe(2);
    expect(fin.stderr).toContain(`--final: 1 finding is not approved: ${fx.findingId.slice(0, 8)}`);
    noStack(fin);
    const bad = cli(['export', 'html', '--audience', 'board', '--out', join(fx.dir, 'b.html'), ...ann()]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--audience "board": give executive, manager, engineer');
    writeFileSync(join(fx.dir, 'taken.html'), 'x');
    const taken = cli(['export', 'html', '--out', join(fx.dir, 'taken.html'), ...ann()]);
    expect(taken.status).toBe(2);
    expect(taken.stderr).toContain('give a new file');
    expect(readFileSync(join(fx.dir, 'taken.html'), 'utf8')).toBe('x');
    expect(events('export.html')).toHaveLength(0);
  });
});
