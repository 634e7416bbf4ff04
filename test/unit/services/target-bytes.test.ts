/**
 * Target bytes from the collector to the API without loss: a file whose content holds an escape, a backslash and
 * bytes that are not UTF-8, and a SUID name with escapes, parsed from real collector frames, evaluated, stored in a
 * real workspace and read back through the check detail: every byte shows as its escape (never U+FFFD), names
 * exactly as the collector's text form, the same form in the evidence, the actual value and the raw facts.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { parseCollectorOutput } from '../../../main/collector/parse.js';
import { evaluateAll } from '../../../main/engine/evaluate.js';
import { recordResults } from '../../../main/scan/store-sink.js';
import { checkDetail } from '../../../main/services/check-detail.js';
import { openWorkspace, type Workspace } from '../../../main/store/db.js';
import { nameText } from '../../../shared/facts/names.js';
import { encodeTarget } from '../../../shared/text/target-text.js';
import { STATS, tempDir } from '../store/helpers.js';
import { B, Synth } from '../collector/synth.js';

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
const LOGIN_DEFS = Buffer.concat([
  Buffer.from('# café \\x1b is not ESC\nPASS_MAX_DAYS 9\x1b[31m'),
  Buffer.from([0xff, 0xfe, 0x0a]),
]);
const SUID = latin1('/usr/local/bin/id-\x1b[31mred\x1b]0;pwned\x07');

function collected(): Buffer {
  const s = new Synth(B, ['accounts.login_defs']);
  s.h('begin', 'accounts.login_defs', 'file').h('entry', 'accounts.login_defs').data('/etc/login.defs');
  s.h('stat', 'accounts.login_defs').data(`81a4 644 0 0 ${LOGIN_DEFS.length}\nroot\nroot\n`);
  s.h('content', 'accounts.login_defs').data(LOGIN_DEFS);
  return s.h('end', 'accounts.login_defs', 0).done().buffer();
}

describe('target bytes through parse, engine, store and check detail', () => {
  let ws: Workspace;
  let cleanup: () => void;
  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    ws = openWorkspace(join(dir, 'w.sqlite'));
  });
  afterEach(() => {
    ws.close();
    cleanup();
  });

  it('shows every byte as its escape, in results and in the raw facts', () => {
    const catalogue = loadCatalogue();
    const snapshot = parseCollectorOutput(collected(), { boundary: B, source: 'ssh' });
    const defs = snapshot.facts['accounts.login_defs'];
    expect(defs?.kind === 'file' && Buffer.from(encodeTarget(defs.content ?? '')).equals(LOGIN_DEFS)).toBe(
      true,
    );
    // The walk gives each name in its text form (tested with real find runs in walk.test.ts).
    snapshot.facts['fs.suid'] = { kind: 'paths', paths: [nameText(SUID)] };
    const checks = catalogue.checks.filter(
      (c) => c.id === 'password-policy-max-days' || c.id === 'fs-suid-unexpected',
    );
    const e = ws.engagements.create({ name: 'Bytes' });
    const s = ws.scans.createScan({ engagementId: e.id, catalogueVersion: catalogue.version, checkIds: [] });
    const run = ws.hostRuns.createHostRun(s.id, { targetName: 'hostile', source: 'ssh' });
    ws.hostRuns.completeHostRun(
      run.id,
      snapshot,
      recordResults(evaluateAll(snapshot, checks), catalogue),
      STATS,
    );

    const detail = checkDetail(ws, catalogue, () => ({ allHosts: [], hostChecks: [], waivers: [] }));
    const max = detail({ hostRunId: run.id, checkId: 'password-policy-max-days' });
    if (max instanceof Promise) throw new Error('expected a synchronous answer');
    expect(max.result.evidence[0]?.excerpt).toBe('PASS_MAX_DAYS 9\\x1b[31m\\xff\\xfe');
    expect(max.result.actual).toContain('PASS_MAX_DAYS 9\\x1b[31m\\xff\\xfe (');
    expect(max.facts[0]?.excerpt).toBe('# café \\\\x1b is not ESC\nPASS_MAX_DAYS 9\\x1b[31m\\xff\\xfe\n');
    expect(JSON.stringify(max)).not.toMatch(/\ufffd|\\u(fffd|dc[89a-f])/i);

    const suid = detail({ hostRunId: run.id, checkId: 'fs-suid-unexpected' });
    if (suid instanceof Promise) throw new Error('expected a synchronous answer');
    const name = '/usr/local/bin/id-\\x1b[31mred\\x1b]0;pwned\\x07';
    expect(suid.result.evidence.map((x) => x.path)).toEqual([name]);
    expect(suid.result.actual).toContain(name);
    expect(suid.facts[0]?.excerpt).toBe(name);
  });
});
