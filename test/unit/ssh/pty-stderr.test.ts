/**
 * splitPtyStderr: only a well-formed stderr section at the very end of a pty run's stdout is taken off; anything
 * that merely looks like one (a script printing the marker, damaged hex, a section followed by more output) stays
 * in stdout untouched. The section is produced for real by sudoPtyCommand's wrapper run in a local sh.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { makeMarkers, PTY_STDERR_CAP, splitPtyStderr, sudoPtyCommand } from '../../../main/ssh/sudo-commands.js';

const m = makeMarkers('0123456789abcdef0123456789abcdef');
const marker = `\nfe-err-${m.nonce}-hex\n`;

/** The pty wrapper in a local sh without a terminal: sudo is `false`, so it falls back and reads the script. */
function runFallback(script: string): { code: number; after: Buffer } {
  const body = Buffer.from(script);
  let out: Buffer;
  let code = 0;
  try {
    out = execFileSync('sh', ['-c', sudoPtyCommand(m, 'false', body.length)], { input: Buffer.concat([Buffer.from('y\n'), body]) });
  } catch (e) {
    const x = e as { stdout: Buffer; status: number };
    out = x.stdout;
    code = x.status;
  }
  const text = out.toString('latin1');
  const ready = `fe-ready-${m.nonce}-none\n`;
  return { code, after: Buffer.from(text.slice(text.indexOf(ready) + ready.length), 'latin1') };
}

describe('pty stderr section', () => {
  it('the wrapper holds stderr back and hands it over after stdout, with the script exit status', () => {
    const { code, after } = runFallback('echo out1; echo err1 >&2; echo out2; printf "\\000\\377" >&2; exit 7\n');
    expect(code).toBe(7);
    const s = splitPtyStderr(after, m);
    expect(s.stdout.toString()).toBe('out1\nout2\n');
    expect(s.stderr.equals(Buffer.from('err1\n\x00\xff', 'latin1'))).toBe(true);
    expect(s.stderrTruncated).toBe(false);
  });

  it('no stderr: no section, stdout unchanged', () => {
    const { code, after } = runFallback('echo only-out\n');
    expect(code).toBe(0);
    expect(after.toString()).toBe('only-out\n');
    expect(splitPtyStderr(after, m)).toEqual({ stdout: after, stderr: Buffer.alloc(0), stderrTruncated: false });
  });

  it('a stderr writer past the cap is not killed (its exit status stays its own) and the cut is flagged', () => {
    const { code, after } = runFallback(`head -c ${PTY_STDERR_CAP * 4} /dev/zero >&2; echo "rc=$?"\n`);
    expect(code).toBe(0);
    const s = splitPtyStderr(after, m);
    expect(s.stdout.toString()).toBe('rc=0\n');
    expect(s.stderr.length).toBe(PTY_STDERR_CAP);
    expect(s.stderrTruncated).toBe(true);
  });

  it('leaves stdout alone when the tail only looks like a section', () => {
    const cases = [
      `out${marker} 6f 6b\nmore output\n`, // not at the end
      `out${marker} 6f 6`, // odd number of hex digits
      `out${marker} 6f zz\n`, // not hex
      `out\nfe-err-${'f'.repeat(32)}-hex\n 6f 6b\n`, // another run's nonce
    ];
    for (const c of cases) {
      const b = Buffer.from(c, 'latin1');
      const s = splitPtyStderr(b, m);
      expect(s.stdout.equals(b)).toBe(true);
      expect(s.stderr.length).toBe(0);
    }
  });

  it('keeps at most the given cap', () => {
    const s = splitPtyStderr(Buffer.from(`x${marker} 61 62 63 64\n`, 'latin1'), m, 2);
    expect(s).toEqual({ stdout: Buffer.from('x'), stderr: Buffer.from('ab'), stderrTruncated: true });
  });
});
