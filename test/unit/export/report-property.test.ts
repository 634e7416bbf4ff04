/**
 * Property: whatever text a target (or an edited workspace) puts into host names, evidence, reasons, finding titles,
 * notes, owners and the engagement's name (markup, `</style>`, `<script>`, `"` and `'` to leave an attribute, `&`
 * and references, C0 and C1 controls, bidi overrides, noncharacters, lone surrogates, invalid UTF-8 decoded both
 * ways, full Unicode), the report of every audience parses without one error (parse5), holds only the elements and
 * attributes the report makes (none from the input: no script, no event handler, no src, every href a fragment),
 * no raw control or bidi character in its text, and reads back each input as its visible form.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlVisible } from '../../../shared/text/html.js';
import { boundForm, decodeTarget } from '../../../shared/text/target-text.js';
import { ATTRS, SVG_ATTRS } from '../../../main/export/report/html.js';
import { AUDIENCES, reportHtml } from '../../../main/export/report/report.js';
import { injectHostile, useExportData } from './fixture.js';
import { expectSelfContained, readHtml } from './report-dom.js';

const ex = useExportData();

const piece = fc.oneof(
  fc.constantFrom(
    '<script>alert(1)</script>',
    '</style><script>alert(1)</script><style>',
    '</title><img src=x onerror=alert(1)>',
    '<svg onload=alert(1)><a href="javascript:alert(1)">x</a></svg>',
    '<span class="badge">x</span>',
    '"><b onmouseover="x">',
    "' onfocus='x",
    '<!--',
    '-->',
    '<![CDATA[',
    ']]>',
    '<pre>',
    '</pre></td></tr></table>',
    '&',
    '&amp;',
    '&#0;',
    '&#x1b;',
    '&nbsp;',
    '&lt;script&gt;',
    '\u0000',
    '\u0001',
    '\u001b[31m',
    '\u007f\u0085\u009b',
    '\r',
    '\t',
    '\u202e',
    '\u2066\u2069',
    '\u200f\u061c',
    '\u2028',
    '\ufffe',
    '\uffff',
    '\ufdd0',
    '\u{1fffe}',
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
// Line breaks are shown as <br> in some places and as `\x0a` in others: the unit test covers them.
const hostile = fc
  .array(piece, { minLength: 1, maxLength: 8 })
  .map((a) => a.join('').replace(/\n/g, ' '))
  .filter((s) => s.trim() !== '');

const OUR_ATTRS = new Set<string>([...ATTRS, ...SVG_ATTRS]);

describe('the HTML report over arbitrary target text', () => {
  it('parses cleanly, holds no element or attribute from the input, and reads back the visible form', () => {
    fc.assert(
      fc.property(
        fc.record({
          host: hostile,
          evidence: hostile,
          title: hostile,
          notes: hostile,
          owner: hostile,
          engagement: hostile,
        }),
        fc.constantFrom(...AUDIENCES),
        (s, audience) => {
          const data = injectHostile(ex.base, s);
          const html = reportHtml({
            data,
            scanId: data.scans[data.scans.length - 1]!.scan.id,
            audience,
            final: false,
            checkpoint: ex.checkpoint,
            exportedBy: { name: 'Ann', fingerprint: 'SHA256:x' },
          });
          const r = readHtml(html);
          expectSelfContained(html, r);
          for (const e of r.elements)
            for (const k of Object.keys(e.attrs)) expect(OUR_ATTRS.has(k), k).toBe(true);
          // Classes and ids are the report's own words, never the input's.
          for (const e of r.elements) {
            if (e.attrs.class !== undefined) expect(e.attrs.class).toMatch(/^[a-z0-9 _-]+$/);
            if (e.attrs.id !== undefined) expect(e.attrs.id).toMatch(/^[a-z]+(-\d+)?$/);
            if (e.attrs.href !== undefined) expect(e.attrs.href).toMatch(/^#finding-\d+$/);
          }
          // The executive report shows titles cut to 70 characters (never inside an escape) where it lists them.
          const shown =
            audience === 'engineer'
              ? Object.values(s)
              : audience === 'manager'
                ? [s.title, s.owner, s.engagement]
                : [boundForm(s.title, 70), s.engagement];
          for (const v of shown) expect(r.text.includes(htmlVisible(v)), JSON.stringify(v)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  }, 240_000);
});
