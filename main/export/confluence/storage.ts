/**
 * Confluence storage format, built with xmlbuilder2 (never from strings). A page is a standalone XML document whose
 * root `<foureyes-page>` declares the `ac:` and `ri:` namespaces; what is uploaded as the page body is the content
 * of that root (`storageBody`). Every text goes through text.ts; the only macros that can be written are those of
 * MACROS (`macro()` refuses any other name), so nothing from a target can open an element or a macro.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { builderText, cdataSections } from './text.js';

export const NS_AC = 'http://atlassian.com/content';
export const NS_RI = 'http://atlassian.com/resource/identifier';
export const PAGE_ROOT = 'foureyes-page';

/** The macros a page may hold. Never `html`, `html-include` or any macro that renders markup from its body. */
export const MACROS = ['status', 'code', 'info', 'note', 'warning', 'expand', 'toc', 'children'] as const;
export type MacroName = (typeof MACROS)[number];

/** Colours of the status macro. */
export type StatusColour = 'Grey' | 'Red' | 'Yellow' | 'Green' | 'Blue' | 'Purple';

export type El = XMLBuilder;

/** A new page document; returns its root element. */
export function newPage(): El {
  return create({ version: '1.0', encoding: 'UTF-8' })
    .ele(PAGE_ROOT)
    .att('xmlns:ac', NS_AC)
    .att('xmlns:ri', NS_RI);
}

/** The standalone XML document of a page (serialised with xmlbuilder2's well-formedness check). */
export function pageXml(root: El): string {
  return `${root.doc().end({ prettyPrint: false, wellFormed: true })}\n`;
}

/** The page body to upload: the content of the root element of a document made by `pageXml`. */
export function storageBody(xml: string): string {
  const open = `<${PAGE_ROOT} xmlns:ac="${NS_AC}" xmlns:ri="${NS_RI}">`;
  const start = xml.indexOf(open);
  const end = xml.lastIndexOf(`</${PAGE_ROOT}>`);
  if (start < 0 || end < start) return '';
  return xml.slice(start + open.length, end);
}

/** An element holding `text` (sanitised). */
export function el(parent: El, name: string, text?: string): El {
  const e = parent.ele(name);
  if (text !== undefined && text !== '') e.txt(builderText(text));
  return e;
}

/** A text node (sanitised). */
export function text(parent: El, s: string): El {
  if (s !== '') parent.txt(builderText(s));
  return parent;
}

/** Text with its line breaks as `<br/>`. */
export function lines(parent: El, s: string): El {
  s.split('\n').forEach((line, i) => {
    if (i > 0) parent.ele('br');
    text(parent, line);
  });
  return parent;
}

function param(m: El, name: string, value: string): void {
  m.ele(NS_AC, 'ac:parameter').att(NS_AC, 'ac:name', name).txt(builderText(value));
}

/** A structured macro of the allowlist with its parameters; returns the macro element. */
export function macro(parent: El, name: MacroName, params: Record<string, string> = {}): El {
  if (!(MACROS as readonly string[]).includes(name)) throw new Error(`macro ${name} is not allowed`);
  const m = parent.ele(NS_AC, 'ac:structured-macro').att(NS_AC, 'ac:name', name);
  for (const [k, v] of Object.entries(params)) param(m, k, v);
  return m;
}

/** The rich-text body of a macro (info, note, warning, expand). */
export function richBody(m: El): El {
  return m.ele(NS_AC, 'ac:rich-text-body');
}

/** A status lozenge. */
export function status(parent: El, title: string, colour: StatusColour): El {
  return macro(parent, 'status', { colour, title });
}

/** A code macro holding `code` (its visible form) in CDATA sections, `]]>` split between two of them. */
export function code(parent: El, body: string, opts: { title?: string; language?: string } = {}): El {
  const m = macro(parent, 'code', {
    language: opts.language ?? 'text',
    ...(opts.title !== undefined ? { title: opts.title } : {}),
    linenumbers: 'false',
  });
  const b = m.ele(NS_AC, 'ac:plain-text-body');
  for (const s of cdataSections(body)) b.dat(s);
  return m;
}

/** An info, note or warning panel holding a paragraph of text. */
export function panel(parent: El, kind: 'info' | 'note' | 'warning', body: string): El {
  const m = macro(parent, kind);
  lines(el(richBody(m), 'p'), body);
  return m;
}

/** A link to another page of the same space by its title. */
export function pageLink(parent: El, title: string, label?: string): El {
  const l = parent.ele(NS_AC, 'ac:link');
  l.ele(NS_RI, 'ri:page').att(NS_RI, 'ri:content-title', builderText(title));
  if (label !== undefined) {
    const b = l.ele(NS_AC, 'ac:plain-text-link-body');
    for (const s of cdataSections(label)) b.dat(s);
  }
  return l;
}

/** A link to an attachment of the page, with its label. */
export function attachmentLink(parent: El, filename: string, label: string): El {
  const l = parent.ele(NS_AC, 'ac:link');
  l.ele(NS_RI, 'ri:attachment').att(NS_RI, 'ri:filename', builderText(filename));
  const b = l.ele(NS_AC, 'ac:plain-text-link-body');
  for (const s of cdataSections(label)) b.dat(s);
  return l;
}

/** An image attachment of the page. */
export function image(parent: El, filename: string, alt: string): El {
  const i = parent.ele(NS_AC, 'ac:image').att(NS_AC, 'ac:alt', builderText(alt));
  i.ele(NS_RI, 'ri:attachment').att(NS_RI, 'ri:filename', builderText(filename));
  return i;
}

/** A table with a header row and rows of cells; a cell is text or a function that fills it. */
export type Cell = string | ((td: El) => void);
export function table(parent: El, head: readonly string[], rows: readonly (readonly Cell[])[]): El {
  const t = parent.ele('table').ele('tbody');
  const hr = t.ele('tr');
  for (const h of head) el(hr, 'th', h);
  for (const row of rows) {
    const tr = t.ele('tr');
    for (const c of row) {
      const td = tr.ele('td');
      if (typeof c === 'string') lines(td, c);
      else c(td);
    }
  }
  return t;
}
