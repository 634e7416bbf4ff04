/**
 * `foureyes export jira-csv` as a user runs it from the built CLI (fresh HOME and FOUREYES_WORKSPACE, the export
 * fixture with hostile target text): the file is the library's CSV byte for byte, written 0600, parses back with
 * csv-parse, carries the components asked for; `--final` refuses, naming the finding, once it is back in review,
 * and writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAppVersion } from '../../../main/api/app-env.js';
import { exportJiraCsv } from '../../../main/export/index.js';
import { ensureBuilt } from '../../support/build.js';
import { PASS, exportFixture, type ExportFixture } from '../export/fixture.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
let fx: ExportFixture;
let home: string;

function cli(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  for (const k of Object.keys(env)) if (k.startsWith('FOUREYES_') || k === 'XDG_DATA_HOME') delete env[k];
  env.FOUREYES_WORKSPACE = fx.ws.path;
  return spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 120_000 });
}

beforeAll(() => {
  ensureBuilt();
  fx = exportFixture();
  home = mkdtempSync(join(tmpdir(), 'foureyes-jira-csv-home-'));
}, 300_000);
afterAll(() => {
  fx.cleanup();
  rmSync(home, { recursive: true, force: true });
});

describe('foureyes export jira-csv', () => {
  it("writes the library's CSV (0600) with the components asked for, and says how many findings", () => {
    const out = join(home, 'jira.csv');
    const r = cli([
      'export',
      'jira-csv',
      '--out',
      out,
      '--engagement',
      'Acme audit',
      '--component',
      'Web',
      '--component',
      '=Ops',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${out}: jira-csv of 1 finding written (${statSync(out).size} bytes)\n`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const version = readAppVersion(process.cwd());
    const lib = exportJiraCsv(fx.ws, fx.engagementId, fx.catalogue, {
      tool: { name: 'Foureyes', version },
      components: ['Web', '=Ops'],
    });
    expect(readFileSync(out, 'utf8')).toBe(lib.text);
    const rows = parse(readFileSync(out, 'utf8')) as string[][];
    expect(rows).toHaveLength(2);
    expect(rows[1]!.slice(-2)).toEqual(['Web', "'=Ops"]);
  });

  it('--final refuses, naming the finding, once it is back in review, and writes nothing', () => {
    const ok = cli(['export', 'jira-csv', '--out', join(home, 'final.csv'), '--final']);
    expect(ok.status, ok.stderr).toBe(0);
    const pass = join(home, 'ann.pass');
    writeFileSync(pass, `${PASS.ann}\n`);
    const edit = cli([
      'finding',
      'edit',
      fx.findingId,
      '--as',
      'Ann',
      '--passphrase-file',
      pass,
      '--title',
      'Root \x1b[31m',
    ]);
    expect(edit.status, edit.stderr).toBe(0);
    const r = cli(['export', 'jira-csv', '--out', join(home, 'final2.csv'), '--final']);
    expect([r.status, r.stderr]).toEqual([
      2,
      'foureyes: --final: 1 finding of "Acme audit" is not approved: Root \\x1b[31m (in review)\n',
    ]);
    expect(existsSync(join(home, 'final2.csv'))).toBe(false);
  });
});
