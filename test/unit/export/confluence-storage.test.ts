/**
 * The page tree of storage.ts refuses what would not be well-formed storage format, whatever a caller passes: an
 * element in a namespace other than its prefix's, a name that is not a plain XML name, a character XML 1.0 forbids,
 * `]]>` inside a CDATA section. What it writes reads back with libxml2, text and attributes escaped.
 */
import { describe, expect, it } from 'vitest';
import {
  NS_AC,
  NS_RI,
  code,
  el,
  newPage,
  pageXml,
  storageBody,
} from '../../../main/export/confluence/storage.js';
import { pageTexts, wellFormed } from './confluence-xml.js';

describe('the storage-format page tree', () => {
  it('writes escaped text and attributes that libxml2 reads back', () => {
    const root = newPage();
    el(root, 'p', `a & b < c > d " e ' f`);
    root.ele(NS_RI, 'ri:page').att(NS_RI, 'ri:content-title', `T & "x" <y>`);
    code(root, 'x]]>y');
    const xml = pageXml(root);
    expect(wellFormed(xml)).toEqual({ ok: true, error: '' });
    expect(xml).toContain('<p>a &amp; b &lt; c &gt; d &quot; e &apos; f</p>');
    expect(xml).toContain('ri:content-title="T &amp; &quot;x&quot; &lt;y&gt;"');
    expect(pageTexts(xml).text).toContain(`a & b < c > d " e ' f`);
    expect(pageTexts(xml).text).toContain('x]]>y');
    expect(storageBody(xml).startsWith('<p>')).toBe(true);
    // A tab or newline in an attribute value reads back as itself, not as a space.
    const t = newPage();
    t.ele(NS_RI, 'ri:page').att(NS_RI, 'ri:content-title', 'a\tb\nc');
    expect(pageXml(t)).toContain('ri:content-title="a&#9;b&#10;c"');
    expect(wellFormed(pageXml(t)).ok).toBe(true);
  });

  it('refuses an undeclared or mismatched prefix, a name that is not plain, a forbidden character, ]]> in CDATA', () => {
    const root = newPage();
    expect(() => root.ele(NS_RI, 'ac:structured-macro')).toThrow(/not in the namespace/);
    expect(() => root.ele('ac:structured-macro')).toThrow(/not in the namespace/);
    expect(() => root.ele(NS_AC, 'x:macro')).toThrow(/not a name/);
    expect(() => root.ele('p onload')).toThrow(/not a name/);
    expect(() => root.ele('p').att('on"x', 'y')).toThrow(/not a name/);
    expect(() => root.ele('p').txt('bell \u0007')).toThrow(/forbids/);
    expect(() => root.ele('p').txt('lone \ud800 surrogate')).toThrow(/forbids/);
    expect(() => root.ele('p').att('title', '\uffff')).toThrow(/forbids/);
    expect(() => root.ele(NS_AC, 'ac:plain-text-body').dat('a]]>b')).toThrow(/\]\]>/);
    // A pair of surrogates (one astral character) is text like any other.
    expect(() => root.ele('p').txt('\ud83d\ude00')).not.toThrow();
  });
});
