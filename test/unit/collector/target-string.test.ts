/** Target bytes without loss: the target string parsers read and the text form every view shows. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameBytes, nameText } from '../../../shared/facts/names.js';
import {
  boundForm,
  cutForm,
  decodeTarget,
  encodeTarget,
  guardForm,
  textForm,
} from '../../../shared/text/target-text.js';

const b = (xs: number[] | string): Uint8Array =>
  typeof xs === 'string' ? Buffer.from(xs, 'latin1') : Uint8Array.from(xs);

describe('decodeTarget / encodeTarget', () => {
  it('reads valid UTF-8 as it is and keeps each invalid byte (never U+FFFD)', () => {
    expect(decodeTarget(Buffer.from('Grüße \x1b[31m 日本 😀'))).toBe('Grüße \x1b[31m 日本 😀');
    expect(decodeTarget(b('bad-utf8:\xff\xfe:'))).toBe('bad-utf8:\udcff\udcfe:');
    expect(decodeTarget(b([0xe2, 0x82, 0x41]))).toBe('\udce2\udc82A');
    expect(decodeTarget(b('x\xff'))).not.toContain('\ufffd');
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (x) => {
        expect(Buffer.from(encodeTarget(decodeTarget(x))).equals(Buffer.from(x))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('textForm', () => {
  it('is the names form in name mode, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (x) => {
        expect(textForm(decodeTarget(x), 'name')).toBe(nameText(x));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps tab in a line and tab and newline in a block, and gives the bytes back', () => {
    const s = decodeTarget(b('a\tb\\c\x1b\xff\r\nd'));
    expect(textForm(s, 'line')).toBe('a\tb\\\\c\\x1b\\xff\\x0d\\x0ad');
    expect(textForm(s, 'block')).toBe('a\tb\\\\c\\x1b\\xff\\x0d\nd');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (x) => {
        for (const mode of ['line', 'block'] as const) {
          const form = textForm(decodeTarget(x), mode);
          const flat = form.replace(/\t/g, '\\x09').replace(/\n/g, '\\x0a');
          expect(Buffer.from(nameBytes(flat) ?? []).equals(Buffer.from(x))).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('guardForm escapes what is still raw and leaves a text form unchanged', () => {
    expect(guardForm('a\x1b\\x1b\udcff\u202e')).toBe('a\\x1b\\x1b\\xff\\xe2\\x80\\xae');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (x) => {
        const form = textForm(decodeTarget(x), 'block');
        expect(guardForm(form, true)).toBe(form);
      }),
    );
  });
});

describe('cutForm / boundForm', () => {
  it('never cuts inside an escape or a surrogate pair', () => {
    expect(cutForm('ab\\x1bcd', 4)).toBe('ab');
    expect(cutForm('ab\\x1bcd', 6)).toBe('ab\\x1b');
    expect(cutForm('a\\\\b', 2)).toBe('a');
    expect(cutForm('a😀b', 2)).toBe('a');
    expect(boundForm('abcdef', 4)).toBe('abc…');
    expect(boundForm('abc', 4)).toBe('abc');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(120), (x, max) => {
        const form = nameText(x);
        const cut = cutForm(form, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(form.startsWith(cut)).toBe(true);
        expect(nameBytes(cut)).toBeDefined();
      }),
      { numRuns: 1000 },
    );
  });
});
