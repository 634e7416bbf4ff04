import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FactSnapshot, PathsFact } from '../../../shared/facts/snapshot.js';
import { isFoureyesError } from '../../../shared/model/errors.js';
import { parseCollectorOutput } from '../../../main/collector/parse.js';
import { WALK_ID } from '../../../main/collector/protocol.js';
import { openTempDir, registryWith } from './helpers.js';
import { realOutput } from './synth.js';

let real: { output: Buffer; boundary: string; ids: string[] };
let base: FactSnapshot;
const AT = '2025-01-01T00:00:00.000Z';
// A walk over hostile names too: the walk frame's records are fuzzed with the rest.
const walkDir = openTempDir('fe-fuzz-walk-');
const registry = registryWith({
  't.ww': { kind: 'paths', under: walkDir, test: '-type f -perm -0002', maxItems: 100, maxBytes: 4096, label: 'ww', description: 'ww' },
});

beforeAll(async () => {
  for (const n of ['app\n<svg onload=alert(1)>.conf', '-x\x1b[31m', 'plain']) {
    writeFileSync(join(walkDir, n), 'x');
    chmodSync(join(walkDir, n), 0o666);
  }
  real = await realOutput(['accounts.group', 'sysctl.kernel', 't.ww'], registry);
  base = parse(real.output) as FactSnapshot;
  expect(base.complete).toBe(true);
  expect((base.facts['t.ww'] as PathsFact).paths).toHaveLength(3);
});
afterAll(() => rmSync(walkDir, { recursive: true, force: true }));

/** Parses; a `collector` FoureyesError (not collector output) is an allowed answer, anything else thrown fails. */
function parse(b: Buffer, boundary: string | undefined = real.boundary): FactSnapshot | 'not-collector' {
  try {
    return parseCollectorOutput(b, { ...(boundary ? { boundary } : {}), source: 'ssh', collectedAt: AT, registry });
  } catch (e) {
    if (isFoureyesError(e) && e.code === 'collector') return 'not-collector';
    throw e;
  }
}

/** Byte offsets where lines start. */
function lineStarts(b: Buffer): number[] {
  const out = [0];
  for (let i = b.indexOf(10); i >= 0 && i + 1 < b.length; i = b.indexOf(10, i + 1)) out.push(i + 1);
  return out;
}

/** [start, end) byte ranges of each fact frame, from its begin line to the end of its end line. */
function frameRanges(b: Buffer, boundary: string): Map<string, [number, number]> {
  const text = b.toString('latin1');
  const out = new Map<string, [number, number]>();
  for (const m of text.matchAll(new RegExp(`^${boundary} begin (\\S+) \\S+$`, 'gm'))) {
    const id = m[1] as string;
    const endRe = new RegExp(`\\n\\n?${boundary} end ${id.replace(/\./g, '\\.')} \\d+\\n`, 'g');
    endRe.lastIndex = m.index;
    const e = endRe.exec(text);
    if (e) out.set(id, [m.index, e.index + e[0].length]);
  }
  return out;
}

describe('parser properties (fast-check)', () => {
  it('never throws anything but "not collector output" on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), (bytes, withBoundary) => {
        const r = parse(Buffer.from(bytes), withBoundary ? real.boundary : undefined);
        expect(r).toBe('not-collector');
      }),
      { numRuns: 300 },
    );
  });

  it('never reports complete for a valid preamble followed by random bytes', () => {
    const preamble = real.output.subarray(0, real.output.indexOf(10) + 1);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        const r = parse(Buffer.concat([preamble, Buffer.from(bytes)]));
        expect(r).not.toBe('not-collector');
        expect((r as FactSnapshot).complete).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('never reports complete for output truncated at any offset', () => {
    const o = real.output;
    for (let k = 0; k < o.length; k++) {
      const r = parse(o.subarray(0, k));
      if (r !== 'not-collector') expect(r.complete, `cut at ${k}`).toBe(false);
      else expect(k, 'only a cut inside the preamble loses it').toBeLessThanOrEqual(o.indexOf(10));
    }
  });

  it('survives byte flips anywhere, within a time bound', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }), (flips) => {
        const b = Buffer.from(real.output);
        for (const [pos, v] of flips) b[pos % b.length] = v;
        const t0 = performance.now();
        parse(b);
        parse(b, undefined);
        expect(performance.now() - t0).toBeLessThan(1000);
      }),
      { numRuns: 300 },
    );
  });

  it('confines inserted forged headers (other or guessed boundary) to the frame they land in', () => {
    const starts = lineStarts(real.output);
    const ranges = frameRanges(real.output, real.boundary);
    // One frame per fact, the paths fact's in the walk frame.
    expect([...ranges.keys()].sort()).toEqual([...real.ids.filter((id) => id !== 't.ww'), WALK_ID].sort());
    const forged = fc.constantFrom(
      `${'0'.repeat(32)} done`,
      `${real.boundary.slice(0, -1)}0 end accounts.group 0`,
      `${real.boundary.toUpperCase()} begin host.id command`,
      `${randomBytes(16).toString('hex')} rc host.id 0`,
      ` ${real.boundary} done`,
      `${real.boundary}x done`,
    );
    fc.assert(
      fc.property(fc.constantFrom(...starts), forged, (at, line) => {
        const b = Buffer.concat([real.output.subarray(0, at), Buffer.from(line + '\n'), real.output.subarray(at)]);
        const r = parse(b) as FactSnapshot;
        for (const [id, [s, e]] of ranges) {
          // A line inserted strictly inside a frame may damage that frame only.
          if (at > s && at < e) continue;
          const fact = id === WALK_ID ? 't.ww' : id;
          expect(r.facts[fact], fact).toEqual(base.facts[fact]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the first of duplicated frames inserted between frames', () => {
    const ranges = [...frameRanges(real.output, real.boundary).values()];
    const boundaries = ranges.map(([, e]) => e);
    fc.assert(
      fc.property(fc.constantFrom(...ranges), fc.constantFrom(...boundaries), ([s, e], at) => {
        const frame = real.output.subarray(s, e);
        const b = Buffer.concat([real.output.subarray(0, at), frame, real.output.subarray(at)]);
        const r = parse(b) as FactSnapshot;
        expect(r.facts).toEqual(base.facts);
        expect(r.complete).toBe(true);
        expect(r.issues.some((i) => i.message.startsWith('duplicate frame'))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('parser time and memory on large hostile input (hang guard, not a speed claim)', () => {
  const MB5 = 5 * 1024 * 1024;
  const timed = (b: Buffer, boundary?: string): { ms: number; r: FactSnapshot | 'not-collector' } => {
    const t0 = performance.now();
    const r = parse(b, boundary);
    return { ms: performance.now() - t0, r };
  };

  it('handles 5 MB of random bytes', () => {
    const { ms, r } = timed(randomBytes(MB5));
    expect(r).toBe('not-collector');
    expect(ms).toBeLessThan(5000);
  });

  it('handles 5 MB without a newline, of newlines, of headers, and of one data field', () => {
    const pre = real.output.subarray(0, real.output.indexOf(10) + 1);
    const B = real.boundary;
    const cases: Buffer[] = [
      Buffer.concat([pre, Buffer.alloc(MB5, 0x41)]),
      Buffer.concat([pre, Buffer.alloc(MB5, 0x0a)]),
      Buffer.concat([pre, Buffer.from(`${B} begin accounts.group file\n${B} entry accounts.group\n`.repeat(MB5 / 90))]),
      Buffer.concat([pre, Buffer.from(`${B} begin host.id command\n${B} stdout host.id\n` + ('A'.repeat(76) + '\n').repeat(MB5 / 77))]),
      Buffer.concat([pre, Buffer.from(`${'f'.repeat(32)} x\n`.repeat(MB5 / 35))]),
    ];
    for (const [i, b] of cases.entries()) {
      const { ms, r } = timed(b);
      expect(ms, `case ${i}`).toBeLessThan(5000);
      expect(r).not.toBe('not-collector');
      const snap = r as FactSnapshot;
      expect(snap.complete).toBe(false);
      expect(snap.issues.length).toBeLessThanOrEqual(200);
      expect(JSON.stringify(snap).length, `case ${i} result size`).toBeLessThan(3 * 1024 * 1024);
    }
  });
});
