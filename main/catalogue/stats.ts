/**
 * What a catalogue holds, counted: checks per family, area, platform, template and profile, and how complete the
 * checks are (rationale, references, remediation in prose, shell and Ansible). `foureyes catalogue --stats` prints it.
 */
import { PLATFORMS, type Check } from '../../shared/checks/schema.js';
import type { Catalogue } from './catalogue.js';
import { resolveProfile, type ProfileSet } from './profiles.js';

export interface CatalogueStats {
  version: string;
  total: number;
  sources: string[];
  byFamily: Record<string, number>;
  byArea: Record<string, number>;
  /** Checks that apply to each platform (a check for all platforms counts for each). */
  byPlatform: Record<string, number>;
  /** Checks written by each template; `(by hand)` for the others. */
  byTemplate: Record<string, number>;
  byProfile: Record<
    string,
    { title: string; checks: number; sections: number; benchmark?: string; version?: string; level?: number; error?: string }
  >;
  /** Checks that can fail and have all three remediation forms, and those that lack one (by id). */
  remediation: { complete: number; lacking: { id: string; missing: string[] }[] };
  /** Checks without a rationale or without a reference (none, when the schema holds). */
  incomplete: { id: string; missing: string[] }[];
}

const add = (m: Record<string, number>, k: string): void => {
  m[k] = (m[k] ?? 0) + 1;
};

/** The remediation forms a check lacks (prose, shell, Ansible); none for a check that cannot fail. */
export function missingRemediation(c: Check): string[] {
  const out: string[] = [];
  if (!c.remediation.text) out.push('text');
  if (!c.remediation.shell) out.push('shell');
  if (!c.remediation.ansible) out.push('ansible');
  return out;
}

export function catalogueStats(cat: Catalogue, profiles: ProfileSet): CatalogueStats {
  const s: CatalogueStats = {
    version: cat.version,
    total: cat.checks.length,
    sources: cat.sources,
    byFamily: {},
    byArea: {},
    byPlatform: Object.fromEntries(PLATFORMS.map((p) => [p, 0])),
    byTemplate: {},
    byProfile: {},
    remediation: { complete: 0, lacking: [] },
    incomplete: [],
  };
  for (const c of cat.checks) {
    add(s.byFamily, c.family);
    add(s.byArea, c.area);
    for (const p of c.platforms) add(s.byPlatform, p);
    add(s.byTemplate, c.template?.kind ?? '(by hand)');
    const missing = missingRemediation(c);
    if (missing.length === 0) s.remediation.complete++;
    else s.remediation.lacking.push({ id: c.id, missing });
    const gaps = [
      ...(c.rationale ? [] : ['rationale']),
      ...(Object.values(c.references).some((r) => (r?.length ?? 0) > 0) ? [] : ['references']),
    ];
    if (gaps.length > 0) s.incomplete.push({ id: c.id, missing: gaps });
  }
  for (const p of profiles.list) {
    let resolved;
    try {
      resolved = resolveProfile(p, profiles, cat).resolved;
    } catch (e) {
      s.byProfile[p.profile.id] = { title: p.profile.title, checks: 0, sections: 0, error: e instanceof Error ? e.message : String(e) };
      continue;
    }
    s.byProfile[resolved.id] = {
      title: resolved.title,
      checks: resolved.checkIds.length,
      sections: new Set(Object.values(resolved.sections).flat()).size,
      ...(resolved.benchmark !== undefined ? { benchmark: resolved.benchmark } : {}),
      ...(resolved.version !== undefined ? { version: resolved.version } : {}),
      ...(resolved.level !== undefined ? { level: resolved.level } : {}),
    };
  }
  return s;
}
