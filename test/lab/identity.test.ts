/**
 * `foureyes assess` shows what the lab's hostile host says it is (hostname, OS release, kernel, SSH
 * identification and pre-login banner) with every control character made visible on the terminal, and gives the
 * same text exactly in --json.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../main/cli/report.js';
import { ensureLab, labHost, type LabManifest } from './lab.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
const ESC = '\x1b';

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const t = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('what the hostile host says it is, from the CLI', () => {
  let m: LabManifest;
  let dir: string;
  beforeAll(async () => {
    m = await ensureLab();
    dir = mkdtempSync(join(tmpdir(), 'fe-identity-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints hostname, OS, kernel, SSH server and banner escaped; --json has them in their lossless text form', async () => {
    const h = labHost(m, 'hostile');
    const args = ['assess', `${h.user}@${h.address}`, '-i', m.keys.private, '--known-hosts', m.knownHosts];
    const ws = ['--workspace', join(dir, 'ws.sqlite'), '--checks', 'sshd-banner'];
    const text = await cli([...args, ...ws]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).not.toContain(ESC);
    expect(text.stdout).not.toContain('\x07');
    expect(text.stdout.split('\n')[0]).toMatch(/^scan \S+: done$/);
    expect(text.stdout).toContain('  target says: <script>alert(1)</script>\\x1b[31mX\\x1b]0;t\\x07 · ');
    expect(text.stdout).toMatch(/\n {2}ssh server: SSH-2\.0-OpenSSH_\S+/);
    expect(text.stdout).toContain(
      '  ssh banner:\n  | Authorised use only <b>ACME</b> <script>alert(4)</script> \\x1b[31mRED\\x1b[0m \\x1b]0;banner-title\\x07\n',
    );

    const json = await cli([...args, ...ws, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout) as ScanReport;
    expect(r.hosts[0]!.identity).toMatchObject({
      // The text form of shared/text/target-text.ts: every byte kept, `\xNN` for control and invalid bytes.
      hostname: '<script>alert(1)</script>\\x1b[31mX\\x1b]0;t\\x07',
      sshBanner: 'Authorised use only <b>ACME</b> <script>alert(4)</script> \\x1b[31mRED\\x1b[0m \\x1b]0;banner-title\\x07\n',
      osRelease: expect.stringContaining(' nul:\\x00: bad-utf8:\\xff\\xfe:'),
      kernel: expect.stringMatching(/^Linux /),
    });
    expect(r.hosts[0]!.results).toMatchObject([{ checkId: 'sshd-banner', verdict: 'pass' }]);
  }, 180_000);
});
