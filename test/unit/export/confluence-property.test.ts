/**
 * Property: whatever text a target (or an edited workspace) puts into host names, evidence, reasons, finding titles,
 * notes and the engagement's name (markup, `]]>`, `&` and references, C0 controls, bidi overrides, U+FFFE/FFFF, lone
 * surrogates, invalid UTF-8 decoded both ways, full Unicode), every page of the Confluence bundle is a well-formed,
 * namespace-well-formed XML document for libxml2, holds only allowlisted macros and no element the text could have
 * opened, holds no character XML forbids or bidi control raw, and reads back the visible form of what was sent.
 * And: evidence of 1 MiB lines that make a page pass the 2 MiB limit is split into child pages, none over it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTarget } from '../../../shared/text/target-text.js';
import { buildPages, PAGE_LIMIT } from '../../../main/export/confluence/pages.js';
import { MACROS } from '../../../main/export/confluence/storage.js';
import { visible } from '../../../main/export/confluence/text.js';
import { LONG_LINE, injectHostile, useExportData } from './fixture.js';
import { pageTexts, wellFormed } from './confluence-xml.js';

const ex = useExportData();

const piece = fc.oneof(
  fc.constantFrom(
    '<script>alert(1)</script>',
    '<ac:structured-macro ac:name="html"><ac:plain-text-body><![CDATA[<b>x</b>]]></ac:plain-text-body></ac:structured-macro>',
    ']]>',
    ']]]]>>',
    '<![CDATA[',
    '&',
    '&amp;',
    '&#0;',
    '&#x1b;',
    '&nbsp;',
    '&undefined;',
    '"\'',
    '\u0000',
    '\u0001',
    '\u001b[31m',
    '\u007f\u0085',
    '\r\n',
    '\r',
    '\u202e',
    '\u2066\u2069',
    '\u200f',
    '\ufffe',
    '\uffff',
    '\ud800',
    '\udc80',
    '\\x41',
    '\\\\',
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)),
  fc.uint8Array({ maxLength: 12 }).map((b) => decodeTarget(b)),
  fc.uint8Array({ maxLength: 12 }).map((b) => new TextDecoder().decode(b)),
);
const hostile = fc.array(piece, { minLength: 1, maxLength: 8 }).map((a) => a.join(''));

const flat = (s: string) => s.replace(/\n/g, '');
const raw = (s: string): string[] =>
  [...s].filter((c) => {
    const n = c.codePointAt(0)!;
    return (
      (n < 0x20 && n !== 9 && n !== 10) ||
      (n >= 0x202a && n <= 0x202e) ||
      (n >= 0x2066 && n <= 0x2069) ||
      n === 0xfffe ||
      n === 0xffff ||
      (n >= 0xd800 && n <= 0xdfff)
    );
  });

describe('Confluence pages over arbitrary target text', () => {
  it('are well-formed with the namespaces declared, allowlisted macros only, and read back as the visible form', () => {
    fc.assert(
      fc.property(
        fc.record({ host: hostile, evidence: hostile, title: hostile, notes: hostile, engagement: hostile }),
        (s) => {
          const data = injectHostile(ex.base, s);
          const { pages } = buildPages({
            data,
            scanId: data.scans[data.scans.length - 1]!.scan.id,
            final: false,
            checkpoint: ex.checkpoint,
            exportedBy: { name: 'Ann', fingerprint: 'SHA256:x' },
          });
          const titles = pages.map((p) => p.title.toLowerCase());
          expect(new Set(titles).size).toBe(titles.length);
          let all = '';
          for (const p of pages) {
            expect(wellFormed(p.xml), p.file).toEqual({ ok: true, error: '' });
            const t = pageTexts(p.xml);
            for (const m of t.macros) expect(MACROS as readonly string[]).toContain(m);
            expect(t.markup).toBe(0);
            expect(raw(t.text)).toEqual([]);
            all += flat(t.text);
          }
          for (const v of Object.values(s))
            expect(all.includes(flat(visible(v))), JSON.stringify(v)).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  }, 240_000);

  it('keeps titles unique in a space: a repeat (in any case) gets " (2)", " (3)" in page order, long ones cut to 255', () => {
    const data = structuredClone(ex.base);
    const f = data.findings[0]!;
    f.finding.title = 'Same';
    data.findings.push(structuredClone(f), structuredClone(f));
    data.findings[2]!.finding.title = 'SAME';
    data.findings.push({ ...structuredClone(f), finding: { ...f.finding, title: 'x'.repeat(400) } });
    data.findings.push({ ...structuredClone(f), finding: { ...f.finding, title: 'x'.repeat(401) } });
    const { pages } = buildPages({
      data,
      scanId: null,
      final: false,
      checkpoint: ex.checkpoint,
      exportedBy: { name: 'Ann', fingerprint: 'SHA256:x' },
    });
    const e = data.engagement.name;
    const titles = pages.map((p) => p.title).filter((t) => t.includes(': Finding: '));
    expect(titles.slice(0, 3)).toEqual([
      `${e}: Finding: Same`,
      `${e}: Finding: Same (2)`,
      `${e}: Finding: SAME (3)`,
    ]);
    expect([...titles[3]!].length).toBe(255);
    expect(titles[3]!.endsWith('x…')).toBe(true);
    expect(titles[4]!.endsWith('x… (2)')).toBe(true);
    expect([...titles[4]!].length).toBe(255);
  });

  it('splits a page over the 2 MiB limit into child pages, each well-formed and under it, the evidence whole', () => {
    const data = structuredClone(ex.base);
    const f = data.findings[0]!;
    const lines = [0, 1, 2].map((i) => `${i}<]]>&\u0000${LONG_LINE}`);
    f.hosts = lines.map((l, i) => ({
      ...f.hosts[0]!,
      targetName: `h${i}`,
      evidence: [{ factId: 'sshd.config', excerpt: l }],
    }));
    const { pages } = buildPages({
      data,
      scanId: null,
      final: false,
      checkpoint: ex.checkpoint,
      exportedBy: { name: 'Ann', fingerprint: 'SHA256:x' },
    });
    const main = pages.find((p) => p.title.endsWith(`: Finding: ${visible(f.finding.title)}`))!;
    const parts = pages.filter((p) => p.parent === main.id);
    expect(parts.length).toBeGreaterThanOrEqual(1);
    expect(parts.map((p) => p.title)).toEqual(
      parts.map((_, i) => `${main.title} (part ${i + 2} of ${parts.length + 1})`),
    );
    let text = '';
    for (const p of [main, ...parts]) {
      expect(Buffer.byteLength(p.xml)).toBeLessThanOrEqual(PAGE_LIMIT);
      expect(wellFormed(p.xml).ok).toBe(true);
      text += pageTexts(p.xml).text;
    }
    expect(pageTexts(main.xml).macros).toContain('children');
    for (const l of lines) expect(text.includes(visible(l).slice(0, 64))).toBe(true);
    expect((text.match(/L/g) ?? []).length).toBeGreaterThanOrEqual(3 * LONG_LINE.length);
  }, 120_000);
});
