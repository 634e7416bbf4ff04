/**
 * No secret reaches an export. The workspace holds canaries the way it holds secrets: the people's passphrases
 * (used to make, encrypt and unlock their keys, sign a waiver and a finding's approval), their private keys
 * (encrypted under the passphrase, and a copy sealed by a keychain cipher as a sign-in with `remember` keeps it), and
 * an SSH login secret remembered for a host (the keychain's ciphertext in stored_secret). Every export of the scan
 * (SARIF, JUnit, OHDF) and of the engagement (JSON, the Jira CSV, the HTML report of each audience, every file of the
 * Confluence bundle), from the library and from the built CLI, is searched for each canary (raw, base64 and hex fields decoded, test/support/canaries.ts),
 * for each private key's bytes (PEM body, DER as base64 and hex) and for each stored ciphertext.
 */
import { spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportEngagement, exportJiraCsv, exportScan } from '../../../main/export/index.js';
import { confluenceBundle } from '../../../main/export/confluence/index.js';
import { AUDIENCES, buildReport } from '../../../main/export/report/index.js';
import { unlock } from '../../../main/people/people.js';
import { sealKey } from '../../../main/people/seal.js';
import { secretService } from '../../../main/services/secrets.js';
import { EXPORT_FORMATS } from '../../../main/export/formats.js';
import { ensureBuilt } from '../../support/build.js';
import { canariesIn } from '../../support/canaries.js';
import { testCipher } from '../secrets/test-cipher.js';
import { PASS, TIME, exportFixture, type ExportFixture } from './fixture.js';

const SSH_SECRET = 'CANARY_SSH_KEY_PASSPHRASE_3M8';
const BIN = join(process.cwd(), 'bin', 'foureyes.js');
const TOOL = { name: 'Foureyes' as const, version: '0.1.0' };

let fx: ExportFixture;
let home: string;
/** Byte strings that must not appear in any export, with what each is. */
const secrets: { what: string; bytes: string }[] = [];
const exports: { what: string; text: string }[] = [];
let bundleFiles = 0;

function forms(what: string, b: Buffer) {
  secrets.push({ what: `${what} (base64)`, bytes: b.toString('base64').slice(4, 60) });
  secrets.push({ what: `${what} (hex)`, bytes: b.toString('hex').slice(8, 80) });
}

beforeAll(() => {
  ensureBuilt();
  fx = exportFixture();
  const { ws } = fx;
  const cipher = testCipher();
  // An SSH login secret remembered for web01 (key login), as the workstation stores it.
  const web01 = ws.hosts.list(fx.engagementId).find((h) => h.name === 'web01')!;
  secretService(ws, { cipher, decision: { persistent: true, detail: 'a test keychain' } }).remember({
    hostId: web01.id,
    purpose: 'login',
    secret: SSH_SECRET,
  });
  forms('the stored SSH secret', ws.secrets.blob(web01.id, 'login')!);
  for (const [name, pass] of [
    ['Ann', PASS.ann],
    ['Bea', PASS.bea],
  ] as const) {
    const p = ws.people.byName(name)!;
    const encrypted = ws.people.privateKey(p.id)!;
    const key = createPrivateKey({ key: encrypted, format: 'pem', passphrase: pass });
    // The copy a sign-in with `remember` keeps, sealed by the keychain.
    ws.people.seal(p.id, sealKey(cipher, key), TIME.toISOString());
    forms(`${name}'s sealed key`, ws.people.sealedKey(p.id)!);
    const der = key.export({ type: 'pkcs8', format: 'der' });
    forms(`${name}'s private key`, der);
    secrets.push({ what: `${name}'s encrypted key`, bytes: encrypted.split('\n')[2]!.slice(0, 48) });
  }
  for (const f of EXPORT_FORMATS)
    exports.push({
      what: `library ${f}`,
      text: exportScan(ws, f, fx.scanId, fx.catalogue, { tool: TOOL, now: () => TIME }),
    });
  exports.push({
    what: 'library engagement json',
    text: exportEngagement(ws, fx.engagementId, fx.catalogue, { tool: TOOL }),
  });
  exports.push({
    what: 'library jira-csv',
    text: exportJiraCsv(ws, fx.engagementId, fx.catalogue, { tool: TOOL }).text,
  });
  for (const audience of AUDIENCES) {
    const acting = unlock(ws, 'Ann', PASS.ann);
    const r = buildReport(ws, fx.catalogue, {
      tool: TOOL,
      engagementId: fx.engagementId,
      audience,
      final: false,
      acting,
    });
    exports.push({ what: `library ${audience} report`, text: r.html });
  }
  // The Confluence bundle: every file of it (pages, manifest, attachments, integrity manifest, README).
  const bundle = confluenceBundle(ws, fx.catalogue, {
    tool: TOOL,
    engagementId: fx.engagementId,
    final: false,
    acting: unlock(ws, 'Ann', PASS.ann),
  });
  for (const f of bundle.files)
    exports.push({ what: `confluence ${f.path}`, text: Buffer.from(f.bytes).toString('latin1') });
  bundleFiles = bundle.files.length;
  home = mkdtempSync(join(tmpdir(), 'foureyes-canary-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, FOUREYES_WORKSPACE: ws.path };
  delete env.XDG_DATA_HOME;
  for (const f of EXPORT_FORMATS) {
    const out = join(home, `export.${f}`);
    const r = spawnSync(process.execPath, [BIN, 'export', f, '--out', out], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    exports.push(
      { what: `CLI ${f}`, text: readFileSync(out, 'latin1') },
      { what: `CLI ${f} stdout`, text: r.stdout + r.stderr },
    );
  }
  const csv = join(home, 'export.jira.csv');
  const jira = spawnSync(process.execPath, [BIN, 'export', 'jira-csv', '--out', csv], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(jira.status, jira.stderr).toBe(0);
  exports.push(
    { what: 'CLI jira-csv', text: readFileSync(csv, 'latin1') },
    { what: 'CLI jira-csv stdout', text: jira.stdout + jira.stderr },
  );
  writeFileSync(join(home, 'ann.pass'), `${PASS.ann}\n`);
  const out = join(home, 'report.html');
  const r = spawnSync(
    process.execPath,
    [BIN, 'export', 'html', '--out', out, '--as', 'Ann', '--passphrase-file', join(home, 'ann.pass')],
    {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  expect(r.status, r.stderr).toBe(0);
  exports.push(
    { what: 'CLI html', text: readFileSync(out, 'latin1') },
    { what: 'CLI html stdout', text: r.stdout + r.stderr },
  );
}, 300_000);
afterAll(() => {
  fx.cleanup();
  rmSync(home, { recursive: true, force: true });
});

describe('canary secrets', () => {
  it('the workspace holds them (the test is not vacuous)', () => {
    const ann = fx.ws.people.byName('Ann')!.id;
    expect(fx.ws.people.privateKey(ann)).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(fx.ws.people.sealedKey(ann)).toBeInstanceOf(Buffer);
    // Each canary is found by the search, planted in an export as text or base64.
    for (const c of [PASS.ann, PASS.bea, SSH_SECRET]) {
      expect(canariesIn(Buffer.from(`x ${c} y`))).toEqual([c]);
      expect(canariesIn(Buffer.from(`x\n${Buffer.from(c).toString('base64')}\ny`))).toEqual([c]);
    }
    expect(secrets.length).toBe(12);
    expect(bundleFiles).toBeGreaterThan(5);
    expect(exports.length).toBe(EXPORT_FORMATS.length * 3 + 4 + AUDIENCES.length + 2 + bundleFiles);
    expect(exports.find((e) => e.what === 'CLI jira-csv')!.text).toContain('"Summary","Issue Id"');
    // The exports do hold the people's public keys and signatures: the search below would find a key in them.
    expect(exports.find((e) => e.what === 'library json')!.text).toContain('BEGIN PUBLIC KEY');
    expect(exports.find((e) => e.what === 'CLI json')!.text).toContain('"signature"');
  });

  it('appear in no export file nor in what the CLI printed', () => {
    const found = exports.flatMap((e) => [
      ...canariesIn(Buffer.from(e.text, 'latin1')).map((c) => `${e.what}: ${c}`),
      ...secrets.filter((s) => e.text.includes(s.bytes)).map((s) => `${e.what}: ${s.what}`),
    ]);
    expect(found).toEqual([]);
    for (const p of [PASS.ann, PASS.bea, SSH_SECRET])
      for (const e of exports) expect(e.text.includes(p), e.what).toBe(false);
  });
});
