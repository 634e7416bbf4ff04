/** Reading the Confluence pages back with libxml2 (xmllint): well-formedness with namespaces, macros, elements, text. */
import { spawnSync } from 'node:child_process';

function xmllint(args: string[], xml: string): { status: number; out: string; err: string } {
  const r = spawnSync('xmllint', [...args, '-'], {
    input: xml,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Whether libxml2 reads `xml` as a namespace-well-formed document (an undeclared prefix is an error). */
export function wellFormed(xml: string): { ok: boolean; error: string } {
  const r = xmllint(['--noout', '--nonet'], xml);
  return { ok: r.status === 0 && r.err === '', error: r.err.slice(0, 2000) };
}

const xpath = (xml: string, expr: string): string => {
  const r = xmllint(['--nonet', '--xpath', expr], xml);
  return r.status === 0 ? r.out : '';
};

/** The names of every structured macro, how many elements a target's markup could have opened (script, iframe, b, img, a, style), and the whole text (CDATA included). */
export function pageTexts(xml: string): { macros: string[]; markup: number; text: string } {
  const macros = [
    ...xpath(xml, '//*[local-name()="structured-macro"]/@*[local-name()="name"]').matchAll(/name="([^"]*)"/g),
  ].map((m) => m[1]!);
  const names = ['script', 'iframe', 'b', 'img', 'a', 'style'].map((n) => `local-name()="${n}"`).join(' or ');
  return { macros, markup: Number(xpath(xml, `count(//*[${names}])`)), text: xpath(xml, 'string(/)') };
}
