/**
 * The CLI's report of a scan with a failed host: its summary line names the failures (never "(done)" above
 * "FAILED"), `--json` is complete (every host with state, where it stopped, why, what the target says it is), and
 * target text reaches the terminal with its control characters made visible. From a real workspace and, end to
 * end, from `foureyes assess` against a closed port of 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { formatScan, scanReport } from '../../../main/cli/report.js';
import type { Workspace } from '../../../main/store/db.js';
import { STATS, makeResults, makeSnapshot, seededWorkspace, tempDir } from '../store/helpers.js';
import { closedPort, makeClientKeys } from '../ssh/sshd-fixture.js';

const cat = loadCatalogue();
const ESC = '\x1b';

describe('scan report', () => {
  let cleanup: () => void;
  let dir: string;
  let ws: Workspace;
  let scanId: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    let engagementId: string;
    ({ ws, engagementId } = seededWorkspace(join(dir, 'w.sqlite')));
    const scan = ws.scans.createScan({ engagementId, catalogueVersion: cat.version, checkIds: [] });
    scanId = scan.id;
    const [ok, down] = ws.hostRuns.createHostRuns(scanId, [
      { targetName: 'web01', source: 'ssh' },
      { targetName: 'db01', source: 'ssh' },
    ]);
    ws.hostRuns.markHostRun(ok!.id, 'connecting');
    ws.hostRuns.recordIdentity(ok!.id, {
      sshServer: 'SSH-2.0-OpenSSH_9.2p1',
      sshBanner: `Authorised use only\n${ESC}]0;pwned${ESC}\\${ESC}[2J\n`,
    });
    const results = makeResults(2).map((r, i) =>
      i === 0 ? { ...r, actual: `PermitRootLogin ${ESC}[31myes` } : r,
    );
    ws.hostRuns.completeHostRun(ok!.id, makeSnapshot({ packages: 3 }), results, STATS, {
      privilege: 'root',
      identity: {
        hostname: `evil${ESC}[8m`,
        osRelease: 'Debian GNU/Linux 12 (bookworm)',
        kernel: 'Linux 6.1.0 x86_64',
      },
    });
    ws.hostRuns.markHostRun(down!.id, 'connecting');
    ws.hostRuns.failHostRun(down!.id, {
      code: 'connect_refused',
      message: 'auditor@10.0.0.9:22: connection refused',
    });
    ws.scans.finishScan(scanId);
  });
  afterEach(() => {
    ws.close();
    cleanup();
  });

  it('summary line names the failures; the failed host says where it stopped and why', () => {
    const text = formatScan(scanReport(ws, scanId, cat));
    const lines = text.split('\n');
    expect(lines[0]).toBe(`scan ${scanId}: done, 1 of 2 hosts failed`);
    expect(text).not.toContain('(done)');
    expect(text).toContain(
      'db01: FAILED while connecting — connect_refused: auditor@10.0.0.9:22: connection refused',
    );
  });

  it('shows what the target says it is, with every control character visible, none raw', () => {
    const text = formatScan(scanReport(ws, scanId, cat));
    expect(text).not.toContain(ESC);
    expect(text).toContain(
      '  target says: evil\\x1b[8m · Debian GNU/Linux 12 (bookworm) · Linux 6.1.0 x86_64',
    );
    expect(text).toContain('  ssh server: SSH-2.0-OpenSSH_9.2p1');
    expect(text).toContain('  | Authorised use only\n  | \\x1b]0;pwned\\x1b\\\\x1b[2J\n');
    expect(text).toContain('PermitRootLogin \\x1b[31myes');
  });

  it('JSON is complete and exact: every host, the failure with its reason, the identity as sent', () => {
    const r = JSON.parse(JSON.stringify(scanReport(ws, scanId, cat))) as ReturnType<typeof scanReport>;
    expect(r).toMatchObject({
      status: 'done',
      outcome: 'done, 1 of 2 hosts failed',
      hostStates: { done: 1, failed: 1, cancelled: 0, interrupted: 0 },
    });
    expect(r.hosts[1]).toMatchObject({
      name: 'db01',
      status: 'failed',
      stoppedIn: 'connecting',
      error: { code: 'connect_refused', message: 'auditor@10.0.0.9:22: connection refused' },
      results: [],
    });
    expect(r.hosts[0]!.identity?.sshBanner).toBe(`Authorised use only\n${ESC}]0;pwned${ESC}\\${ESC}[2J\n`);
    expect(r.hosts[0]!.results.map((x) => x.actual)[0]).toBe(`PermitRootLogin ${ESC}[31myes`);
  });
});

describe('foureyes assess against a host that does not answer', () => {
  let cleanup: () => void;
  let dir: string;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('exits 2 and says the scan is done with its one host failed, in text and JSON', async () => {
    const port = await closedPort();
    const keys = makeClientKeys();
    const run = (json: boolean) =>
      spawnSync(
        process.execPath,
        [
          'bin/foureyes.js',
          'assess',
          `auditor@127.0.0.1:${port}`,
          '-i',
          keys.plain,
          '--accept-new',
          '--known-hosts',
          join(dir, 'kh'),
          '--workspace',
          join(dir, 'ws.sqlite'),
          '--checks',
          'sshd-permit-root-login',
          ...(json ? ['--json'] : []),
        ],
        { encoding: 'utf8', env: { ...process.env, SSH_AUTH_SOCK: '' }, timeout: 60_000 },
      );
    const text = run(false);
    expect(text.status).toBe(2);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(/^scan \S+: done, 1 of 1 host failed$/);
    expect(text.stdout).toMatch(/FAILED while connecting — \w+: /);
    const json = run(true);
    expect(json.status).toBe(2);
    const r = JSON.parse(json.stdout) as {
      outcome: string;
      hosts: { status: string; stoppedIn: string; error: { message: string } }[];
    };
    expect(r.outcome).toBe('done, 1 of 1 host failed');
    expect(r.hosts).toMatchObject([{ status: 'failed', stoppedIn: 'connecting' }]);
    expect(r.hosts[0]!.error.message).toContain(`127.0.0.1:${port}`);
    rmSync(keys.dir, { recursive: true, force: true });
  }, 120_000);
});
