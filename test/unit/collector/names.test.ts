/** The lossless text form of target names (shared/facts/names.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameBytes, nameText } from '../../../shared/facts/names.js';
import { visibleControls } from '../../../renderer/src/components/controls.js';
import { guardForm } from '../../../shared/text/target-text.js';
import { formSegments } from '../../../shared/text/escapes.js';

const b = (s: string | number[]): Buffer => (typeof s === 'string' ? Buffer.from(s, 'latin1') : Buffer.from(s));

describe('nameText / nameBytes', () => {
  it('keeps printable UTF-8 and writes control, format and invalid bytes as \\xNN, backslash as \\\\', () => {
    expect(nameText(Buffer.from('/etc/app\n<svg onload=alert(1)>.conf'))).toBe('/etc/app\\x0a<svg onload=alert(1)>.conf');
    expect(nameText(b('/usr/local/bin/\x1b[31mred\x1b[0m'))).toBe('/usr/local/bin/\\x1b[31mred\\x1b[0m');
    expect(nameText(b('a\r\tb\x7f'))).toBe('a\\x0d\\x09b\\x7f');
    expect(nameText(b([0x66, 0xff, 0xfe, 0x2e, 0x63]))).toBe('f\\xff\\xfe.c');
    expect(nameText(Buffer.from('back\\slash'))).toBe('back\\\\slash');
    expect(nameText(Buffer.from('-leading dash, space'))).toBe('-leading dash, space');
    expect(nameText(Buffer.from('über/日本/😀'))).toBe('über/日本/😀');
    // C1 control, bidi override, zero-width joiner, BOM, line separator: as their UTF-8 bytes.
    expect(nameText(Buffer.from('\u0085|\u202e|\u200d|\ufeff|\u2028'))).toBe(
      '\\xc2\\x85|\\xe2\\x80\\xae|\\xe2\\x80\\x8d|\\xef\\xbb\\xbf|\\xe2\\x80\\xa8',
    );
    // Overlong, surrogate and out-of-range sequences are not UTF-8.
    expect(nameText(b([0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80, 0xe2, 0x82]))).toBe(
      '\\xc0\\xaf\\xed\\xa0\\x80\\xf4\\x90\\x80\\x80\\xe2\\x82',
    );
  });

  it('round-trips any bytes, and different names never share a text form', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), (x, y) => {
        const tx = nameText(x);
        expect(Buffer.from(nameBytes(tx) ?? []).equals(Buffer.from(x))).toBe(true);
        if (!Buffer.from(x).equals(Buffer.from(y))) expect(nameText(y)).not.toBe(tx);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const bytes = Buffer.from(s, 'utf8');
        expect(Buffer.from(nameBytes(nameText(bytes)) ?? []).equals(bytes)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('holds no character any display path would change: the display guard, control escaping, the segments', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (x) => {
        const t = nameText(x);
        expect(visibleControls(t, false)).toBe(t);
        expect(guardForm(t)).toBe(t);
        expect(formSegments(t).map((s) => s.text).join('')).toBe(t);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses text that is not a text form', () => {
    for (const t of ['a\\', 'a\\q', 'a\\x4', 'a\\xZZ', 'a\\x41', 'new\nline', 'bidi\u202e', '\ud800']) expect(nameBytes(t), t).toBeUndefined();
    expect(Buffer.from(nameBytes('') ?? [1]).length).toBe(0);
  });
});
