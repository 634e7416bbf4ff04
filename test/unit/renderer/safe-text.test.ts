import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { controlSegments, visibleControls } from '../../../renderer/src/components/controls.js';

describe('control characters from targets are made visible', () => {
  it('escapes C0, DEL, C1 and bidi controls; keeps newline and tab only in blocks', () => {
    const s = 'a\x1b[31mb\x00c\x07\x7f\x85\u202eevil\u2066\n\t';
    expect(visibleControls(s, false)).toBe('a\\x1b[31mb\\x00c\\x07\\x7f\\x85\\u202eevil\\u2066\\x0a\\x09');
    expect(visibleControls(s, true)).toBe('a\\x1b[31mb\\x00c\\x07\\x7f\\x85\\u202eevil\\u2066\n\t');
  });

  it('leaves markup, non-ASCII text and the replacement character as they are', () => {
    const s = '<script>alert(1)</script> Grüße 日本 \ufffd';
    expect(visibleControls(s, false)).toBe(s);
    expect(controlSegments(s, false)).toEqual([{ text: s, control: false }]);
  });

  it('marks exactly the control characters as control segments', () => {
    expect(controlSegments('x\x1by', false)).toEqual([
      { text: 'x', control: false },
      { text: '\\x1b', control: true },
      { text: 'y', control: false },
    ]);
  });

  it('never lets a control character through, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = visibleControls(s, false);
        // eslint-disable-next-line no-control-regex
        expect(out).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]/);
        const block = visibleControls(s, true);
        // eslint-disable-next-line no-control-regex
        expect(block).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]/);
      }),
    );
  });
});
