/**
 * The profile files (main/catalogue/profiles/*.yaml): every entry names a check of the catalogue, benchmark
 * sections are dotted numbers in benchmark order, no (section, check) pair repeats, and a profile that extends
 * another lists only sections the other does not; each resolves with the profile loader.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { profileSet, readProfilesDir, resolveProfile } from '../../../main/catalogue/profiles.js';

interface Entry {
  section?: string;
  check: string;
}
interface Profile {
  id: string;
  title: string;
  benchmark?: string;
  version?: string;
  level?: number;
  extends?: string;
  checks: Entry[];
}

const DIR = join(import.meta.dirname, '../../../main/catalogue/profiles');
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
const profiles = new Map(files.map((f) => [f.replace(/\.yaml$/, ''), parse(readFileSync(join(DIR, f), 'utf8')) as Profile]));
const catalogue = loadCatalogue();
const known = new Set(catalogue.checks.map((c) => c.id));
const SECTION = /^\d+(\.\d+)*$/;

function compareSections(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

describe('profile files', () => {
  it('are present', () => {
    expect([...profiles.keys()]).toEqual(
      expect.arrayContaining(['aaa', 'cis-debian12-l1-server', 'cis-debian12-l2-server', 'cis-rhel9-l1-server']),
    );
  });

  it('resolve against the catalogue', () => {
    const loaded = readProfilesDir(DIR, true);
    const set = profileSet(loaded);
    for (const p of loaded) expect(resolveProfile(p, set, catalogue).resolved.checkIds.length, p.profile.id).toBeGreaterThan(0);
  });

  for (const [name, p] of profiles) {
    describe(name, () => {
      it('has a header matching its file and a list of checks', () => {
        expect(p.id).toBe(name);
        expect(typeof p.title).toBe('string');
        expect(Array.isArray(p.checks)).toBe(true);
        expect(p.checks.length).toBeGreaterThan(0);
        if (p.benchmark !== undefined) expect(p.version).toMatch(/^v\d+\.\d+\.\d+$/);
        if (p.extends !== undefined) expect(profiles.has(p.extends)).toBe(true);
      });

      it('names only checks of the catalogue', () => {
        const unknown = p.checks.map((e) => e.check).filter((id) => !known.has(id));
        expect(unknown).toEqual([]);
      });

      it(p.benchmark ? 'gives every entry a benchmark section, in benchmark order' : 'gives no sections', () => {
        if (!p.benchmark) {
          expect(p.checks.filter((e) => e.section !== undefined)).toEqual([]);
          return;
        }
        for (const e of p.checks) expect(e.section, e.check).toMatch(SECTION);
        const sections = p.checks.map((e) => e.section!);
        expect(sections).toEqual([...sections].sort(compareSections));
      });

      it('repeats no (section, check) pair', () => {
        const pairs = p.checks.map((e) => `${e.section ?? ''} ${e.check}`);
        expect(pairs.filter((k, i) => pairs.indexOf(k) !== i)).toEqual([]);
      });

      if (p.extends !== undefined) {
        it(`shares no section with ${p.extends}`, () => {
          const base = new Set(profiles.get(p.extends!)?.checks.map((e) => e.section));
          expect(p.checks.filter((e) => base.has(e.section)).map((e) => e.section)).toEqual([]);
        });
      }
    });
  }
});
