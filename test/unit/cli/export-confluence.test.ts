/**
 * `foureyes export confluence` and `foureyes bundle verify` from the built CLI on a real workspace with hostile
 * target text (test/unit/export/fixture.ts): a folder and a zip, both verified (exit 0); one changed byte names the
 * file (exit 1); something that is not a bundle exits 2; `--final` exits 2 naming the finding that is not approved;
 * the passphrase reaches no file of the bundle, stdout or stderr; the export is an event of the trail, which verifies against the bundle's checkpoint.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../main/store/db.js';
import { ensureBuilt } from '../../support/build.js';
import { PASS, exportFixture, type ExportFixture, editApprovedFinding } from '../export/fixture.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
let fx: ExportFixture;
let file: string;

function cli(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: fx.dir };
  for (const k of Object.keys(env)) if (k.startsWith('FOUREYES_') || k === 'XDG_DATA_HOME') delete env[k];
  return spawnSync(process.execPath, [BIN, ...args, '--workspace', file], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
}
function verify(path: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: fx.dir };
  return spawnSync(process.execPath, [BIN, 'bundle', 'verify', path], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
}
const ann = () => ['--as', 'Ann', '--passphrase-file', join(fx.dir, 'ann.pass')];
const noStack = (r: { stderr: string }) => expect(r.stderr).not.toMatch(/\n\s+at |Error:/);

beforeAll(() => ensureBuilt(), 300_000);
beforeEach(() => {
  fx = exportFixture();
  file = fx.ws.path;
  fx.ws.close();
  writeFileSync(join(fx.dir, 'ann.pass'), `${PASS.ann}\n`);
});
afterEach(() => fx.cleanup());

describe('foureyes export confluence and bundle verify', () => {
  it('writes a folder and a zip that verify, names a changed byte, refuses what is not a bundle', () => {
    const dir = join(fx.dir, 'out');
    const r = cli(['export', 'confluence', '--out', dir, '--engagement', fx.engagementId, ...ann()]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Confluence bundle written \(\d+ pages, \d+ files, \d+ bytes\), signed by Ann/);
    const ok = verify(dir);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/verified, \d+ files signed by Ann \(SHA256:/);

    const trail = cli(['audit', 'verify', '--checkpoint', join(dir, 'attachments', 'audit-checkpoint.json')]);
    expect(trail.status, trail.stdout + trail.stderr).toBe(0);
    const ws = openWorkspace(file);
    const ev = ws.audit
      .forObject('engagement', fx.engagementId)
      .filter((e) => e.action === 'export.confluence');
    ws.close();
    expect(ev).toHaveLength(1);
    expect(ev[0]!.actor_name).toBe('Ann');
    expect((JSON.parse(ev[0]!.details!) as { integritySha256: string }).integritySha256).toBe(
      createHash('sha256')
        .update(readFileSync(join(dir, 'integrity.json')))
        .digest('hex'),
    );

    const zip = join(fx.dir, 'out.zip');
    const z = cli(['export', 'confluence', '--zip', '--out', zip, '--scan', fx.scanId, ...ann()]);
    expect(z.status, z.stderr).toBe(0);
    expect(verify(zip).status).toBe(0);

    const page = join(dir, 'pages', readdirSync(join(dir, 'pages')).sort()[2]!);
    const bytes = readFileSync(page);
    bytes[100] = bytes[100]! ^ 1;
    writeFileSync(page, bytes);
    const bad = verify(dir);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`changed: pages/${page.split('/').pop()}`);

    const again = cli(['export', 'confluence', '--out', dir, ...ann()]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('exists and is not an empty folder');
    noStack(again);

    const none = verify(join(fx.dir, 'pages-that-are-not-there'));
    expect(none.status).toBe(2);
    noStack(none);
    const notBundle = verify(join(dir, 'pages'));
    expect(notBundle.status).toBe(2);
    expect(notBundle.stderr).toMatch(/no integrity\.json: not a Foureyes bundle/);

    for (const out of [r, z, ok]) expect(out.stdout + out.stderr).not.toContain(PASS.ann);
    // The passphrase as it is, in hex, base64 and UTF-16, in no file of the folder or of the zip (inflated).
    const forms = [
      PASS.ann,
      Buffer.from(PASS.ann).toString('hex'),
      Buffer.from(PASS.ann).toString('base64'),
      Buffer.from(PASS.ann, 'utf16le').toString('latin1'),
    ];
    const contents = [
      ...readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((f) => f.isFile())
        .map((f) => readFileSync(join(f.parentPath, f.name), 'latin1')),
      ...Object.values(unzipSync(readFileSync(zip))).map((b) => Buffer.from(b).toString('latin1')),
      readFileSync(zip, 'latin1'),
    ];
    expect(contents.length).toBeGreaterThan(10);
    for (const c of contents) for (const form of forms) expect(c.includes(form)).toBe(false);
  });

  it('--final exports the approved finding, and is refused (exit 2, naming it) once it is back in review', () => {
    const f1 = cli(['export', 'confluence', '--final', '--out', join(fx.dir, 'final'), ...ann()]);
    expect(f1.status, f1.stderr).toBe(0);
    const ws = openWorkspace(file);
    editApprovedFinding(ws, fx.findingId, 'changed after the approval');
    ws.close();
    const f2 = cli(['export', 'confluence', '--final', '--out', join(fx.dir, 'final2'), ...ann()]);
    expect(f2.status).toBe(2);
    expect(f2.stderr).toContain(`--final: 1 finding is not approved: ${fx.findingId.slice(0, 8)}`);
    noStack(f2);
    expect(readdirSync(fx.dir)).not.toContain('final2');
  });
});
