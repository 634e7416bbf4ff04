/**
 * A byte scan of everything the CLI prints for humans about the lab's hostile host: a full `foureyes assess` (every
 * check, as root and unprivileged), `foureyes results` of that scan, and `foureyes import` of the collector output
 * taken from the host. The host holds terminal escapes, BEL, NUL-free C0 bytes, C1 controls and bidi overrides in
 * file names, its hostname, banner and identification line. No such byte reaches the terminal raw; the escaped forms
 * do (so the scan is known to have seen the hostile text at all).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build.js';
import { sshArgs } from './ssh-cli.js';
import { ensureLab, labAvailable, labHost, labUnavailableReason, type LabManifest } from './lab.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
}

function run(cmd: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const t = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
    });
  });
}

/**
 * Every byte or character a terminal may act on, other than the CLI's own newlines: C0 controls but LF, DEL, C1
 * controls (as UTF-8) and the bidi embedding, override and isolate characters. Returns them with their offsets.
 */
function rawControls(bytes: Buffer): string[] {
  const found: string[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if ((b < 0x20 && b !== 0x0a) || b === 0x7f) found.push(`byte 0x${b.toString(16).padStart(2, '0')} at ${i}`);
  }
  const text = bytes.toString('utf8');
  for (const m of text.matchAll(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069\u061c\u200e\u200f]/g)) {
    found.push(`U+${(m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')} at char ${m.index}`);
  }
  return found;
}

describe.skipIf(!labAvailable())(
  `byte scan of the CLI's human output for the hostile host${labAvailable() ? '' : ` (skipped: ${labUnavailableReason()})`}`,
  () => {
    let m: LabManifest;
    let dir: string;
    beforeAll(async () => {
      ensureBuilt();
      m = await ensureLab();
      dir = mkdtempSync(join(tmpdir(), 'fe-bytescan-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const target = () => {
      const h = labHost(m, 'hostile');
      return { h, base: [`${h.user}@${h.address}`, '-i', m.keys.private, '--known-hosts', m.knownHosts] };
    };

    for (const sudo of [false, true]) {
      it(`assess (every check${sudo ? ', --sudo' : ''}) and results print no raw control from the target`, async () => {
        const { base } = target();
        const ws = join(dir, `ws-${sudo ? 'sudo' : 'plain'}.sqlite`);
        const assess = await run('node', [BIN, 'assess', ...base, ...(sudo ? ['--sudo'] : []), '--workspace', ws]);
        expect([0, 1], assess.stderr.toString()).toContain(assess.code);
        expect(rawControls(assess.stdout)).toEqual([]);
        expect(rawControls(assess.stderr)).toEqual([]);
        const out = assess.stdout.toString('utf8');
        // The hostile text got through, escaped: the SUID name with its escapes and the hostname's.
        expect(out).toContain('\\x1b[31mX\\x1b]0;t\\x07');
        if (sudo) expect(out).toContain('id-\\x1b[31mred\\x1b]0;pwned\\x07');

        const results = await run('node', [BIN, 'results', '--workspace', ws]);
        expect(results.code, results.stderr.toString()).toBe(0);
        expect(rawControls(results.stdout)).toEqual([]);
        expect(rawControls(results.stderr)).toEqual([]);
        expect(results.stdout.toString('utf8')).toContain('\\x1b[31mX\\x1b]0;t\\x07');
      });
    }

    it('import of the collector output taken from the host prints no raw control from the target', async () => {
      const { h } = target();
      const script = await run('node', [BIN, 'collector', '-o', join(dir, 'collector.sh')]);
      expect(script.code, script.stderr.toString()).toBe(0);
      // The collector run by the OpenSSH client, its output kept as bytes (the target's bytes may be any).
      const output = await new Promise<Buffer>((resolve, reject) => {
        const child = spawn('ssh', [...sshArgs(m, h), 'sh -s'], { stdio: ['pipe', 'pipe', 'ignore'] });
        const chunks: Buffer[] = [];
        const t = setTimeout(() => child.kill('SIGKILL'), 120_000);
        child.stdout.on('data', (d: Buffer) => chunks.push(d));
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(t);
          if (code === 0) resolve(Buffer.concat(chunks));
          else reject(new Error(`collector over ssh exited ${String(code)}`));
        });
        child.stdin.end(readFileSync(join(dir, 'collector.sh')));
      });
      const file = join(dir, 'hostile.out');
      writeFileSync(file, output);
      const imp = await run('node', [BIN, 'import', file, '--workspace', join(dir, 'ws-import.sqlite')]);
      expect([0, 1], imp.stderr.toString()).toContain(imp.code);
      expect(rawControls(imp.stdout)).toEqual([]);
      expect(rawControls(imp.stderr)).toEqual([]);
      expect(imp.stdout.toString('utf8')).toContain('\\x1b[31mX\\x1b]0;t\\x07');
    });
  },
);
