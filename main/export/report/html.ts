/**
 * Typed HTML element helpers for the report: the only way markup is made. An element's name is one of TAGS (never
 * script, style by name, iframe, object, img or a form control), an attribute's name one of ATTRS (never an event
 * handler, `src` or `style`), and every text node and attribute value goes through htmlText (shared/text/html.ts),
 * the one escaping function; a link goes only to a fragment of the document (`#id`). The two raw parts a document
 * has are of this module's making: the stylesheet (`Css`, made only by `css()` from constant text and base64) and
 * the doctype.
 */
import { htmlText } from '../../../shared/text/html.js';
import type { SvgEl } from '../confluence/chart.js';

declare const MARKUP: unique symbol;
/** Markup made by these helpers (never from a string). */
export interface Markup {
  readonly [MARKUP]: true;
  readonly html: string;
}
const markup = (html: string): Markup => ({ html }) as Markup;

export type Child = Markup | string | number | null | undefined | false | readonly Child[];

export const TAGS = [
  'html',
  'head',
  'body',
  'title',
  'meta',
  'header',
  'footer',
  'main',
  'section',
  'nav',
  'h1',
  'h2',
  'h3',
  'h4',
  'p',
  'div',
  'span',
  'strong',
  'em',
  'small',
  'code',
  'pre',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'ul',
  'ol',
  'li',
  'a',
  'br',
  'dl',
  'dt',
  'dd',
  'figure',
  'figcaption',
] as const;
export type Tag = (typeof TAGS)[number];

export const SVG_TAGS = ['svg', 'title', 'rect', 'text', 'line', 'polyline', 'circle', 'g'] as const;

/** The attributes an element may carry. */
export interface Attrs {
  class?: string;
  id?: string;
  href?: `#${string}`;
  colspan?: number;
  lang?: string;
  charset?: 'utf-8';
  'http-equiv'?: 'Content-Security-Policy';
  name?: string;
  content?: string;
  title?: string;
  role?: string;
  'aria-label'?: string;
  'data-audience'?: string;
  'data-verdict'?: string;
}
export const ATTRS = [
  'class',
  'id',
  'href',
  'colspan',
  'lang',
  'charset',
  'http-equiv',
  'name',
  'content',
  'title',
  'role',
  'aria-label',
  'data-audience',
  'data-verdict',
] as const satisfies readonly (keyof Attrs)[];
/** SVG presentation attributes a chart may carry (charts are of our making: ../confluence/chart.ts). */
export const SVG_ATTRS: ReadonlySet<string> = new Set([
  'xmlns',
  'width',
  'height',
  'viewBox',
  'font-family',
  'font-size',
  'font-weight',
  'fill',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'points',
  'stroke',
  'stroke-width',
  'text-anchor',
  'role',
  'aria-label',
]);
const VOID = new Set<string>(['meta', 'br']);

function attrs(
  a: Readonly<Record<string, string | number | undefined>>,
  allowed: ReadonlySet<string>,
): string {
  let out = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    if (!allowed.has(k)) throw new Error(`attribute ${k} is not allowed in a report`);
    const s = String(v);
    if (k === 'href' && !s.startsWith('#')) throw new Error('a report links only within itself');
    out += ` ${k}="${htmlText(s)}"`;
  }
  return out;
}

function children(c: Child, block: boolean): string {
  if (c === null || c === undefined || c === false) return '';
  if (typeof c === 'string') return htmlText(c, block);
  if (typeof c === 'number') return htmlText(String(c));
  if (Array.isArray(c)) return (c as readonly Child[]).map((x) => children(x, block)).join('');
  return (c as Markup).html;
}

const TAG_SET = new Set<string>(TAGS);
const ATTR_SET = new Set<string>(ATTRS);

/** An element with its attributes and children (text escaped). */
export function el(tag: Tag, a: Attrs | null, ...kids: Child[]): Markup {
  if (!TAG_SET.has(tag)) throw new Error(`element ${tag} is not allowed in a report`);
  const open = `<${tag}${attrs((a ?? {}) as Record<string, string | number | undefined>, ATTR_SET)}>`;
  if (VOID.has(tag)) return markup(open);
  // A newline right after <pre> is dropped by every HTML parser: one more keeps the first one.
  const body = children(kids, tag === 'pre');
  return markup(`${open}${tag === 'pre' && body.startsWith('\n') ? '\n' : ''}${body}</${tag}>`);
}

/** Text whose line breaks are shown as <br>. */
export function lines(s: string): Markup {
  return markup(
    s
      .split('\n')
      .map((l) => htmlText(l))
      .join('<br>'),
  );
}

/** A chart (../confluence/chart.ts) as inline SVG. */
export function svg(node: SvgEl, label: string): Markup {
  const walk = (n: SvgEl, top: boolean): string => {
    if (!(SVG_TAGS as readonly string[]).includes(n.name))
      throw new Error(`element ${n.name} is not allowed in a chart`);
    const a = top
      ? { xmlns: 'http://www.w3.org/2000/svg', role: 'img', 'aria-label': label, ...n.attrs }
      : n.attrs;
    return `<${n.name}${attrs(a, SVG_ATTRS)}>${n.text !== undefined ? htmlText(n.text) : ''}${n.children
      .map((c) => walk(c, false))
      .join('')}</${n.name}>`;
  };
  return markup(walk(node, true));
}

declare const CSS: unique symbol;
/** A stylesheet of this module's making. */
export interface Css {
  readonly [CSS]: true;
  readonly text: string;
}

/**
 * A stylesheet from constant rules, base64 data and other stylesheets: no `<` can be in it (so it cannot close the
 * style element) and each piece of data is checked to be base64.
 */
export function css(rules: TemplateStringsArray, ...parts: (string | Css)[]): Css {
  let text = rules[0] ?? '';
  parts.forEach((b, i) => {
    if (typeof b === 'string' && !/^[A-Za-z0-9+/]*={0,2}$/.test(b))
      throw new Error('stylesheet data must be base64');
    text += (typeof b === 'string' ? b : b.text) + (rules[i + 1] ?? '');
  });
  if (text.includes('<')) throw new Error('a stylesheet may not hold <');
  return { text } as Css;
}

/** The stylesheet as a <style> element. */
export function style(c: Css): Markup {
  return markup(`<style>${c.text}</style>`);
}

/** The whole document. */
export function documentHtml(root: Markup): string {
  return `<!DOCTYPE html>\n${root.html}\n`;
}
