/**
 * The one rendering of target bytes: text form in, marked escapes out, the same for every view. (Type-checked with
 * the renderer, tsconfig.web.json: React's types must not reach the Node test project.)
 */
import fc from 'fast-check';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { nameText } from '../../../../shared/facts/names.js';
import { formSegments, rawSegments } from '../../../../shared/text/escapes.js';
import { decodeTarget, textForm } from '../../../../shared/text/target-text.js';
import { SafeText, TargetText } from '../../../../renderer/src/components/TargetText.js';

const html = (text: string, block = false): string =>
  renderToStaticMarkup(createElement(TargetText, { text, block }));
const b = (xs: number[] | string): Uint8Array =>
  typeof xs === 'string' ? Uint8Array.from(xs, (c) => c.charCodeAt(0)) : Uint8Array.from(xs);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('formSegments', () => {
  it('marks bytes, whole control characters and backslashes, and leaves the rest as text', () => {
    const form = nameText(b('id-\x1b[31mred\\x1b\xff'));
    expect(form).toBe('id-\\x1b[31mred\\\\x1b\\xff');
    expect(formSegments(form).map((s) => [s.kind, s.text])).toEqual([
      ['text', 'id-'],
      ['char', '\\x1b'],
      ['text', '[31mred'],
      ['backslash', '\\\\'],
      ['text', 'x1b'],
      ['byte', '\\xff'],
    ]);
  });

  it('keeps the bytes of one character together and names it', () => {
    const s = formSegments(nameText(utf8('a\u202eb')));
    expect(s[1]).toEqual({
      kind: 'char',
      text: '\\xe2\\x80\\xae',
      title:
        'U+202E from the target (bytes e2 80 ae): a bidirectional control, which can reorder what is shown',
    });
    expect(formSegments('\\x1b')[0]).toMatchObject({
      title: 'byte 0x1b from the target: ESC, a control character',
    });
    expect(formSegments('\\xe2\\x82')).toEqual([
      {
        kind: 'byte',
        text: '\\xe2',
        title: 'byte 0xe2 from the target: not valid UTF-8, shown as its value',
      },
      {
        kind: 'byte',
        text: '\\x82',
        title: 'byte 0x82 from the target: not valid UTF-8, shown as its value',
      },
    ]);
  });

  it('shows a backslash that starts no escape as it is, and escapes raw control characters it meets', () => {
    expect(formSegments('^\\s*umask \\q')).toEqual([{ kind: 'text', text: '^\\s*umask \\q' }]);
    expect(formSegments('a\x1bb\nc').map((s) => s.text)).toEqual(['a', '\\x1b', 'b', '\\x0a', 'c']);
    expect(formSegments('a\nb\tc', true)).toEqual([{ kind: 'text', text: 'a\nb\tc' }]);
  });

  it('gives back exactly the text form it was given, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (x) => {
        const form = nameText(x);
        expect(
          formSegments(form)
            .map((s) => s.text)
            .join(''),
        ).toBe(form);
        const block = textForm(decodeTarget(x), 'block');
        expect(
          formSegments(block, true)
            .map((s) => s.text)
            .join(''),
        ).toBe(block);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('TargetText and SafeText', () => {
  it('render an escape as a marked span with its title, markup as text', () => {
    expect(html('<b>x</b>\\x1b\\\\x1b\\xff')).toBe(
      '<span class="safe-text target-text">&lt;b&gt;x&lt;/b&gt;' +
        '<span class="ctl ctl-char" title="byte 0x1b from the target: ESC, a control character" data-escape="char">\\x1b</span>' +
        '<span class="ctl ctl-backslash" title="a backslash from the target, written \\\\ so that it cannot be read as an escape" data-escape="backslash">\\\\</span>' +
        'x1b' +
        '<span class="ctl ctl-byte" title="byte 0xff from the target: not valid UTF-8, shown as its value" data-escape="byte">\\xff</span></span>',
    );
    expect(html('line 1\nline 2', true)).toBe(
      '<pre class="safe-text target-text block">line 1\nline 2</pre>',
    );
  });

  it('mark the same escape the same way whether it came as a name, a content or a raw string', () => {
    const esc =
      '<span class="ctl ctl-char" title="byte 0x1b from the target: ESC, a control character" data-escape="char">\\x1b</span>';
    expect(html(nameText(b('\x1b')))).toContain(esc);
    expect(html(textForm(decodeTarget(b('\x1b')), 'block'), true)).toContain(esc);
    const raw = renderToStaticMarkup(createElement(SafeText, { text: 'a\x1b\\x1b' }));
    expect(raw).toBe(
      '<span class="safe-text plain-text">a<span class="ctl ctl-char" title="byte 0x1b in this text: ESC, a control character" data-escape="char">\\x1b</span>\\x1b</span>',
    );
    expect(rawSegments('a\\x1b')).toEqual([{ kind: 'text', text: 'a\\x1b' }]);
  });

  it('never lets a raw control character or a lone surrogate into the page', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (s) => {
        for (const out of [
          html(s),
          html(s, true),
          renderToStaticMarkup(createElement(SafeText, { text: s })),
        ])
          // eslint-disable-next-line no-control-regex
          expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\p{Cs}]/u);
      }),
      { numRuns: 500 },
    );
  });
});
