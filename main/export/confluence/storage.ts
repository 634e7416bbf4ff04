/**
 * Confluence storage format, built as a tree (never from strings). A page is a standalone XML document whose root
 * `<foureyes-page>` declares the `ac:` and `ri:` namespaces; what is uploaded as the page body is the content of that
 * root (`storageBody`). Every text goes through text.ts; the only macros that can be written are those of MACROS
 * (`macro()` refuses any other name), so nothing from a target can open an element or a macro.
 * A page is a plain tree of `El` (a bundle of a few hundred hosts has some 300,000 elements; a DOM per node made it
 * take seconds), written in one pass by `pageXml`: text and attribute values escaped by the `entities` library
 * (`escapeUTF8`: & < > " '), CDATA sections as `cdataSections` split them. The tree refuses what would not be
 * well-formed: an element prefix other than the two declared, a name that is not a plain XML name, a character XML
 * 1.0 forbids, `]]>` inside a CDATA section.
 */
import { escapeUTF8 } from 'entities';
import { cdataSections, visible } from './text.js';

export const NS_AC = 'http://atlassian.com/content';
export const NS_RI = 'http://atlassian.com/resource/identifier';
export const PAGE_ROOT = 'foureyes-page';

/** The macros a page may hold. Never `html`, `html-include` or any macro that renders markup from its body. */
export const MACROS = ['status', 'code', 'info', 'note', 'warning', 'expand', 'toc', 'children'] as const;
export type MacroName = (typeof MACROS)[number];

/** Colours of the status macro. */
export type StatusColour = 'Grey' | 'Red' | 'Yellow' | 'Green' | 'Blue' | 'Purple';

const PREFIXES: Readonly<Record<string, string>> = { ac: NS_AC, ri: NS_RI };
/** Element and attribute names the builders write: plain ASCII names, with one of the declared prefixes. */
const NAME = /^(?:(ac|ri|xmlns):)?[A-Za-z][A-Za-z0-9.-]*$/;
// eslint-disable-next-line no-control-regex
const ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/u;

function checkName(ns: string | null, name: string): void {
  const m = NAME.exec(name);
  if (!m) throw new Error(`storage format: ${JSON.stringify(name)} is not a name this builder writes`);
  const prefix = m[1];
  if (prefix === 'xmlns') return;
  if ((prefix === undefined ? null : (PREFIXES[prefix] ?? '')) !== ns)
    throw new Error(`storage format: ${name} is not in the namespace ${ns ?? '(none)'}`);
}

function checkText(s: string): string {
  if (ILLEGAL.test(s))
    throw new Error('storage format: a character XML 1.0 forbids reached the page builder');
  return s;
}

type Kid = El | { text: string } | { cdata: string };

/** An element of a page being built: its name, attributes and children, in document order. */
export class El {
  readonly attrs: [name: string, value: string][] = [];
  readonly kids: Kid[] = [];
  private constructor(readonly name: string) {}

  static root(name: string): El {
    checkName(null, name);
    return new El(name);
  }

  /** A new child element: `ele(name)` or, prefixed, `ele(namespace, 'ac:name')`. */
  ele(nsOrName: string, name?: string): El {
    const [ns, n] = name === undefined ? [null, nsOrName] : [nsOrName, name];
    checkName(ns, n);
    const e = new El(n);
    this.kids.push(e);
    return e;
  }

  /** An attribute: `att(name, value)` or, prefixed, `att(namespace, 'ac:name', value)`. */
  att(nsOrName: string, nameOrValue: string, value?: string): this {
    const [ns, n, v] = value === undefined ? [null, nsOrName, nameOrValue] : [nsOrName, nameOrValue, value];
    checkName(n.startsWith('xmlns:') ? null : ns, n);
    this.attrs.push([n, checkText(v)]);
    return this;
  }

  txt(text: string): this {
    this.kids.push({ text: checkText(text) });
    return this;
  }

  dat(cdata: string): this {
    if (cdata.includes(']]>')) throw new Error('storage format: a CDATA section cannot hold ]]>');
    this.kids.push({ cdata: checkText(cdata) });
    return this;
  }
}

/** A new page document; returns its root element. */
export function newPage(): El {
  return El.root(PAGE_ROOT).att('xmlns:ac', NS_AC).att('xmlns:ri', NS_RI);
}

function write(e: El, out: string[]): void {
  out.push('<', e.name);
  // Tab and newline as character references: a parser turns them into spaces in an attribute value otherwise.
  for (const [n, v] of e.attrs)
    out.push(' ', n, '="', escapeUTF8(v).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;'), '"');
  if (e.kids.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const k of e.kids) {
    if (k instanceof El) write(k, out);
    else if ('text' in k) out.push(escapeUTF8(k.text));
    else out.push('<![CDATA[', k.cdata, ']]>');
  }
  out.push('</', e.name, '>');
}

/** The standalone XML document of a page. */
export function pageXml(root: El): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  write(root, out);
  out.push('\n');
  return out.join('');
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
  if (text !== undefined && text !== '') e.txt(visible(text));
  return e;
}

/** A text node (sanitised). */
export function text(parent: El, s: string): El {
  if (s !== '') parent.txt(visible(s));
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
  m.ele(NS_AC, 'ac:parameter').att(NS_AC, 'ac:name', name).txt(visible(value));
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
  l.ele(NS_RI, 'ri:page').att(NS_RI, 'ri:content-title', visible(title));
  if (label !== undefined) {
    const b = l.ele(NS_AC, 'ac:plain-text-link-body');
    for (const s of cdataSections(label)) b.dat(s);
  }
  return l;
}

/** A link to an attachment of the page, with its label. */
export function attachmentLink(parent: El, filename: string, label: string): El {
  const l = parent.ele(NS_AC, 'ac:link');
  l.ele(NS_RI, 'ri:attachment').att(NS_RI, 'ri:filename', visible(filename));
  const b = l.ele(NS_AC, 'ac:plain-text-link-body');
  for (const s of cdataSections(label)) b.dat(s);
  return l;
}

/** An image attachment of the page. */
export function image(parent: El, filename: string, alt: string): El {
  const i = parent.ele(NS_AC, 'ac:image').att(NS_AC, 'ac:alt', visible(alt));
  i.ele(NS_RI, 'ri:attachment').att(NS_RI, 'ri:filename', visible(filename));
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
