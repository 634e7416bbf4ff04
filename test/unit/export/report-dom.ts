/**
 * The report's HTML read back with a real HTML parser (parse5): parse errors, elements, attributes and text; and what
 * every report must be, whatever went into it.
 */
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { expect } from 'vitest';
import { TAGS } from '../../../main/export/report/html.js';
import { REPORT_CSP } from '../../../main/export/report/report.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

export interface ReadBack {
  errors: string[];
  /** Every element, in document order. */
  elements: { tag: string; attrs: Record<string, string> }[];
  /** Text of every text node but the stylesheet's, joined. */
  text: string;
  /** The text of the <style> elements. */
  styles: string[];
  /** The text of the element with this id, if any. */
  byId: Map<string, string>;
}

const isElement = (n: Node): n is Element => 'tagName' in n;

function textOf(n: Node): string {
  if (n.nodeName === '#text') return (n as DefaultTreeAdapterMap['textNode']).value;
  if (isElement(n) && n.tagName === 'style') return '';
  return 'childNodes' in n ? n.childNodes.map(textOf).join('') : '';
}

export function readHtml(html: string): ReadBack {
  const errors: string[] = [];
  const doc = parse(html, {
    onParseError: (e) => void errors.push(`${e.code} at ${e.startLine}:${e.startCol}`),
  });
  const out: ReadBack = { errors, elements: [], text: '', styles: [], byId: new Map() };
  const walk = (n: Node) => {
    if (isElement(n)) {
      const attrs = Object.fromEntries(n.attrs.map((a) => [a.name, a.value]));
      out.elements.push({ tag: n.tagName, attrs });
      if (n.tagName === 'style') out.styles.push(textOf({ ...n, tagName: 'x' } as Element));
      if (attrs.id !== undefined) out.byId.set(attrs.id, textOf(n));
    }
    if ('childNodes' in n) for (const c of n.childNodes) walk(c);
  };
  walk(doc);
  out.text = textOf(doc);
  return out;
}

const SVG = ['svg', 'title', 'rect', 'text', 'line', 'polyline', 'circle', 'g'];

/** Raw characters a reader could not see or that reorder text. */
export const rawHidden = (s: string): string[] =>
  [...s].filter((c) => {
    const n = c.codePointAt(0)!;
    return (
      (n < 0x20 && n !== 9 && n !== 10) ||
      (n >= 0x7f && n <= 0x9f) ||
      (n >= 0x202a && n <= 0x202e) ||
      (n >= 0x2066 && n <= 0x2069) ||
      n === 0x200e ||
      n === 0x200f ||
      n === 0xfffe ||
      n === 0xffff ||
      (n >= 0xd800 && n <= 0xdfff)
    );
  });

/** What every report must be, whatever went into it. */
export function expectSelfContained(html: string, r: ReadBack): void {
  expect(r.errors).toEqual([]);
  expect(html.startsWith('<!DOCTYPE html>\n<html lang="en"')).toBe(true);
  const tags = new Set(r.elements.map((e) => e.tag));
  for (const t of tags) expect([...TAGS, ...SVG, 'style'], t).toContain(t);
  expect(tags.has('script')).toBe(false);
  for (const e of r.elements) {
    for (const [k, v] of Object.entries(e.attrs)) {
      expect(k.startsWith('on'), `${e.tag} ${k}`).toBe(false);
      expect(['src', 'style', 'srcset', 'action', 'formaction', 'xlink:href'], k).not.toContain(k);
      if (k === 'href') expect(v.startsWith('#') || v.startsWith('data:'), v).toBe(true);
    }
  }
  expect(r.elements.filter((e) => e.tag === 'style')).toHaveLength(1);
  const csp = r.elements.filter(
    (e) => e.tag === 'meta' && e.attrs['http-equiv'] === 'Content-Security-Policy',
  );
  expect(csp.map((e) => e.attrs.content)).toEqual([REPORT_CSP]);
  // Nothing loads, and no base URL or form target could be set by anything in the page.
  for (const d of ["default-src 'none'", "base-uri 'none'", "form-action 'none'"])
    expect(REPORT_CSP).toContain(d);
  expect(REPORT_CSP).toBe(
    "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; base-uri 'none'; form-action 'none'",
  );
  for (const s of r.styles) {
    for (const m of s.matchAll(/url\(([^)]*)\)/g))
      expect(m[1]!.startsWith('data:'), m[1]!.slice(0, 40)).toBe(true);
    expect(s).not.toMatch(/@import/);
  }
  expect(rawHidden(r.text)).toEqual([]);
}
