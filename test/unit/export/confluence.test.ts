/**
 * The Confluence bundle over a real workspace with hostile target text (fixture.ts): every page a well-formed XML
 * document (xmllint) with the ac: and ri: namespaces declared, only allowlisted macros, the text read back as its
 * visible form, titles unique, the tree in the manifest; the integrity manifest verifies and catches one changed
 * byte, a removed file, an added file and a wrong signature, in a folder and in a zip; --final refuses while a
 * finding is not approved; no passphrase or private key in any file.
 */
import { createPublicKey } from 'node:crypto';
import { unzipSync, zipSync } from 'fflate';
import { readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unlockPrivateKey } from '../../../main/people/keys.js';
import { unlock } from '../../../main/people/people.js';
import { recordAudit } from '../../../main/audit/trail.js';
import { findingService } from '../../../main/findings/service.js';
import { publicKeyOf } from '../../../main/people/public-keys.js';
import {
  confluenceBundle,
  verifyBundle,
  writeConfluenceBundle,
  type ConfluenceBundle,
} from '../../../main/export/confluence/index.js';
import { MACROS, storageBody } from '../../../main/export/confluence/storage.js';
import { visible } from '../../../main/export/confluence/text.js';
import { svgToPng } from '../../../main/export/png.js';
import {
  HOSTILE_TARGET,
  PERSON_HOSTILE,
  PASS,
  TIME,
  exportFixture,
  type ExportFixture,
  editApprovedFinding,
} from './fixture.js';
import { pageTexts, wellFormed } from './confluence-xml.js';

/** What a page must not hold raw: C0 controls but tab and newline, bidi overrides and isolates, U+FFFE/FFFF. */
const forbidden = (s: string): string[] =>
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
const tool = { name: 'Foureyes' as const, version: '0.1.0' };
let fx: ExportFixture;
let b: ConfluenceBundle;

/** A 1x1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

beforeAll(() => {
  fx = exportFixture();
  const svc = findingService(fx.ws, { recordAudit: recordAudit(fx.ws), publicKeyOf: publicKeyOf(fx.ws) });
  const ann = unlock(fx.ws, 'Ann', PASS.ann);
  svc.attach(ann, fx.findingId, { name: '<img src=x onerror=alert(1)> &amp;.png', bytes: PNG });
  svc.attach(ann, fx.findingId, { name: '../../etc/passwd]]>.txt', bytes: Buffer.from('log line & <b>\n') });
  b = confluenceBundle(fx.ws, fx.catalogue, {
    tool,
    now: () => TIME,
    engagementId: fx.engagementId,
    final: false,
    acting: unlock(fx.ws, 'Ann', PASS.ann),
  });
});
afterAll(() => fx?.cleanup());

describe('Confluence pages', () => {
  it('are well-formed XML with the namespaces declared, only allowlisted macros, and the hostile text visible', () => {
    expect(b.pages.length).toBeGreaterThanOrEqual(7);
    for (const p of b.pages) {
      const r = wellFormed(p.xml);
      expect(r, p.file).toEqual({ ok: true, error: '' });
      expect(p.xml).toContain('xmlns:ac="http://atlassian.com/content"');
      expect(p.xml).toContain('xmlns:ri="http://atlassian.com/resource/identifier"');
      const t = pageTexts(p.xml);
      for (const m of t.macros) expect(MACROS as readonly string[]).toContain(m);
      expect(t.markup, p.file).toBe(0);
      expect(storageBody(p.xml).startsWith('<')).toBe(true);
    }
    const engagement = fx.ws.engagements.require(fx.engagementId).name;
    expect(b.pages.map((p) => p.title)).toContain(`${engagement}: Host: ${visible(HOSTILE_TARGET)}`);
    const finding = b.pages.find((p) => p.title.includes(': Finding: '))!;
    const text = pageTexts(finding.xml).text;
    // Line breaks in table cells are <br/> elements: the text read back is the visible form without them.
    const flat = (s: string) => s.replace(/\n/g, '');
    const stored = fx.ws.findings.hosts.forFinding(fx.findingId)[0]!.actual;
    expect(stored.startsWith('found <script>')).toBe(true);
    expect(flat(text).includes(flat(visible(stored)))).toBe(true);
    expect(flat(text).includes(flat(visible(`Notes ${PERSON_HOSTILE}`)))).toBe(true);
    expect(forbidden(text)).toEqual([]);
    const titles = b.pages.map((p) => p.title.toLowerCase());
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('carries the attachments of a finding under names of its own, linked and shown from its page', () => {
    const finding = b.pages.find((p) => p.title.includes(': Finding: '))!;
    expect(finding.attachments).toEqual(['finding-0-1.png', 'finding-0-2.txt']);
    expect(b.files.find((f) => f.path === 'attachments/finding-0-1.png')!.bytes.equals(PNG)).toBe(true);
    expect(b.files.map((f) => f.path).filter((p) => p.includes('passwd') || p.includes('onerror'))).toEqual(
      [],
    );
    expect(finding.xml).toContain('<ri:attachment ri:filename="finding-0-1.png"/>');
    const text = pageTexts(finding.xml).text;
    expect(text).toContain(visible('<img src=x onerror=alert(1)> &amp;.png'));
    expect(text).toContain('passwd]]>.txt');
  });

  it('lists the tree in the manifest, parents before children', () => {
    const m = JSON.parse(b.files.find((f) => f.path === 'manifest.json')!.bytes.toString('utf8')) as {
      pages: { id: string; parent: string | null; file: string; attachments: string[] }[];
    };
    const seen = new Set<string>();
    for (const p of m.pages) {
      if (p.parent !== null) expect(seen.has(p.parent)).toBe(true);
      seen.add(p.id);
      expect(b.files.some((f) => f.path === p.file)).toBe(true);
    }
    expect(m.pages.filter((p) => p.parent === null)).toHaveLength(1);
    expect(m.pages[0]!.attachments).toContain('scores.svg');
    const svg = b.files.find((f) => f.path === 'attachments/scores.svg')!.bytes.toString('utf8');
    expect(wellFormed(svg).ok).toBe(true);
  });

  it('carries the chart as SVG and as PNG (twice its size, text drawn with the bundled font), shown as an attachment', () => {
    const m = JSON.parse(b.files.find((f) => f.path === 'manifest.json')!.bytes.toString('utf8')) as {
      pages: { attachments: string[] }[];
      charts: { svg: string; png: string; width: number; height: number }[];
      attachments: { name: string; mediaType: string; size: number }[];
    };
    const svg = b.files.find((f) => f.path === 'attachments/scores.svg')!.bytes.toString('utf8');
    const png = b.files.find((f) => f.path === 'attachments/scores.png')!.bytes;
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
      true,
    );
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    const [w, h] = [Number(/ width="(\d+)"/.exec(svg)![1]), Number(/ height="(\d+)"/.exec(svg)![1])];
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([2 * w, 2 * h]);
    expect(m.charts).toEqual([
      { title: expect.any(String), svg: 'scores.svg', png: 'scores.png', width: 2 * w, height: 2 * h },
    ]);
    expect(m.pages[0]!.attachments).toEqual(['scores.svg', 'scores.png']);
    expect(m.attachments.find((a) => a.name === 'scores.png')).toEqual({
      name: 'scores.png',
      file: 'attachments/scores.png',
      mediaType: 'image/png',
      size: png.length,
    });
    const summary = b.pages[0]!.xml;
    expect(summary).toContain('<ri:attachment ri:filename="scores.png"/></ac:image>');
    expect(summary).toContain('<ri:attachment ri:filename="scores.svg"/>');
    // The labels are drawn: without its text elements the chart rasterises to other pixels; and the same SVG gives
    // the same PNG.
    expect(svgToPng(svg).bytes.equals(png)).toBe(true);
    const bare = svg.replace(/<text[^>]*>[^<]*<\/text>/g, '');
    expect(bare.length).toBeLessThan(svg.length);
    expect(svgToPng(bare).bytes.equals(png)).toBe(false);
  });
});

describe('bundle verify', () => {
  it('verifies a folder and a zip, and names a changed byte, a removed file, an added file, a wrong signature', () => {
    const dir = join(fx.dir, 'bundle');
    writeConfluenceBundle(b, dir, false);
    expect(verifyBundle(dir)).toMatchObject({ ok: true, changed: [], missing: [], extra: [], problem: null });
    const zip = join(fx.dir, 'bundle.zip');
    writeConfluenceBundle(b, zip, true);
    expect(verifyBundle(zip).ok).toBe(true);

    const page = join(dir, b.pages[1]!.file);
    const bytes = readFileSync(page);
    const at = bytes.length - 3;
    bytes[at] = bytes[at]! ^ 1;
    writeFileSync(page, bytes);
    expect(verifyBundle(dir)).toMatchObject({ ok: false, changed: [b.pages[1]!.file] });
    bytes[at] = bytes[at]! ^ 1;
    writeFileSync(page, bytes);
    unlinkSync(join(dir, 'README.txt'));
    expect(verifyBundle(dir)).toMatchObject({ ok: false, missing: ['README.txt'], changed: [] });
    writeFileSync(join(dir, 'README.txt'), b.files.find((f) => f.path === 'README.txt')!.bytes);
    writeFileSync(join(dir, 'pages', 'extra.xml'), '<x/>');
    expect(verifyBundle(dir)).toMatchObject({ ok: false, extra: ['pages/extra.xml'] });
    rmSync(join(dir, 'pages', 'extra.xml'));
    expect(verifyBundle(dir).ok).toBe(true);

    const entries = unzipSync(readFileSync(zip));
    const entry = b.pages[2]!.file;
    entries[entry]![200] = entries[entry]![200]! ^ 1;
    const tampered = join(fx.dir, 'tampered.zip');
    writeFileSync(tampered, zipSync(entries));
    expect(verifyBundle(tampered)).toMatchObject({ ok: false, changed: [entry], missing: [], extra: [] });

    const integrity = join(dir, 'integrity.json');
    const orig = readFileSync(integrity, 'utf8');
    const m = JSON.parse(orig) as { signature: string };
    const sig = Buffer.from(m.signature, 'base64');
    sig[5] = sig[5]! ^ 0x40;
    writeFileSync(integrity, orig.replace(m.signature, sig.toString('base64')));
    const bad = verifyBundle(dir);
    expect(bad.ok).toBe(false);
    expect(bad.problem).toMatch(/signature does not verify with Ann's key/);
  });

  it('`--final` is refused while a finding is not approved, naming it', () => {
    editApprovedFinding(fx.ws, fx.findingId);
    const unapproved = fx.ws.findings.list(fx.engagementId).filter((x) => x.reviewState !== 'approved');
    expect(unapproved.length).toBeGreaterThan(0);
    expect(() =>
      confluenceBundle(fx.ws, fx.catalogue, {
        tool,
        engagementId: fx.engagementId,
        final: true,
        acting: unlock(fx.ws, 'Ann', PASS.ann),
      }),
    ).toThrow(new RegExp(`not approved: ${unapproved[0]!.id.slice(0, 8)}`));
  });

  it('holds no passphrase and no private key in any file', () => {
    const secrets = [PASS.ann, PASS.bea, 'PRIVATE KEY'];
    const rows = fx.ws.db
      .prepare('SELECT name, public_key, private_key FROM person WHERE private_key IS NOT NULL')
      .all() as {
      name: string;
      public_key: string;
      private_key: string;
    }[];
    const plain = rows.map((r) => {
      const k = unlockPrivateKey(
        r.private_key,
        r.name === 'Ann' ? PASS.ann : PASS.bea,
        r.name,
        createPublicKey(r.public_key),
      );
      return (k.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64').slice(20, 60);
    });
    expect(plain).toHaveLength(2);
    for (const f of b.files) {
      const s = f.bytes.toString('utf8');
      for (const x of [...secrets, ...plain, ...rows.map((r) => r.private_key.split('\n')[1]!)])
        expect(s, f.path).not.toContain(x);
      expect(f.bytes.toString('base64')).not.toContain(Buffer.from(PASS.ann).toString('base64'));
    }
  });
});
