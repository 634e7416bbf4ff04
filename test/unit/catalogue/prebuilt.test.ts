/** The prebuilt catalogue: used only while it matches the YAML it came from, and then equal to parsing the YAML. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinCatalogueDir, buildCatalogue, readCatalogueDir } from '../../../main/catalogue/load.js';
import { readPrebuilt, writePrebuilt } from '../../../main/catalogue/prebuilt.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('prebuilt catalogue', () => {
  it('round-trips to the same checks, digests and version as the YAML', () => {
    dir = mkdtempSync(join(tmpdir(), 'fe-prebuilt-'));
    const src = builtinCatalogueDir();
    const parts = readCatalogueDir(src);
    const file = join(dir, 'catalogue.json');
    writePrebuilt(src, parts, file);
    const back = readPrebuilt(src, file);
    expect(back).not.toBeNull();
    const a = buildCatalogue(parts, [src]);
    const b = buildCatalogue(back!, [src]);
    expect(b.version).toBe(a.version);
    expect(b.checks).toEqual(a.checks);
    // The digests come with the prebuilt form (computed by the build), equal to hashing the checks.
    expect(back!.every((p) => p.digests !== undefined)).toBe(true);
    for (const c of a.checks) expect(b.digest(c.id)).toBe(a.digest(c.id));
    expect(back!.map((p) => p.file)).toEqual(parts.map((p) => p.file));
  });

  it('is ignored once a catalogue file is edited, added or the JSON is damaged', () => {
    dir = mkdtempSync(join(tmpdir(), 'fe-prebuilt-'));
    const src = join(dir, 'checks');
    cpSync(builtinCatalogueDir(), src, { recursive: true });
    const file = join(dir, 'catalogue.json');
    writePrebuilt(src, readCatalogueDir(src), file);
    expect(readPrebuilt(src, file)).not.toBeNull();
    appendFileSync(join(src, 'sshd.yaml'), '\n');
    expect(readPrebuilt(src, file)).toBeNull();
    writePrebuilt(src, readCatalogueDir(src), file);
    writeFileSync(join(src, 'zz-extra.yaml'), '[]\n');
    expect(readPrebuilt(src, file)).toBeNull();
    writeFileSync(file, '{"format":2,');
    expect(readPrebuilt(src, file)).toBeNull();
    // Without a digest for every check (as the first format was), it is not used either.
    writePrebuilt(src, readCatalogueDir(src), file);
    const body = JSON.parse(readFileSync(file, 'utf8')) as { parts: { digests: Record<string, string> }[] };
    expect(readPrebuilt(src, file)).not.toBeNull();
    delete body.parts[1]!.digests[Object.keys(body.parts[1]!.digests)[0]!];
    writeFileSync(file, JSON.stringify(body));
    expect(readPrebuilt(src, file)).toBeNull();
    expect(readPrebuilt(src, join(dir, 'absent.json'))).toBeNull();
  });
});
