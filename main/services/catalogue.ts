/** The check catalogue as the UI sees it: metadata only, the rules stay in main. */
import type { CatalogueService } from '../api/services.js';
import type { Catalogue } from '../catalogue/load.js';
import type { Check } from '../../shared/checks/schema.js';
import type { ProfileSummary } from '../../shared/api/schemas/catalogue.js';
import { availableProfiles, resolveProfile } from '../catalogue/profiles.js';

/** A check's metadata as the contract shows it (catalogue.list and checkDetail). */
export function checkSummary(c: Check) {
  return {
    id: c.id,
    title: c.title,
    family: c.family,
    area: c.area,
    severity: c.severity,
    platforms: c.platforms,
    // Optional frameworks without entries are left out: the contract's record has only arrays.
    references: Object.fromEntries(
      Object.entries(c.references).filter((e): e is [string, string[]] => Array.isArray(e[1])),
    ),
  };
}

/** The profiles a scan can choose, resolved against the catalogue; one with a mistake is listed with it. */
export function profileSummaries(cat: Catalogue, env: NodeJS.ProcessEnv = process.env): ProfileSummary[] {
  let set;
  try {
    set = availableProfiles(cat, env);
  } catch (e) {
    return [{ id: '(profiles)', title: 'Profiles', builtin: false, checkIds: [], disabled: [], tailored: [], digest: null, problem: (e as Error).message }];
  }
  return set.list.map((p): ProfileSummary => {
    const base = { id: p.profile.id, title: p.profile.title, builtin: p.builtin };
    try {
      const { resolved } = resolveProfile(p, set, cat);
      return {
        ...base,
        ...(resolved.benchmark !== undefined ? { benchmark: resolved.benchmark } : {}),
        ...(resolved.version !== undefined ? { version: resolved.version } : {}),
        ...(resolved.level !== undefined ? { level: resolved.level } : {}),
        checkIds: resolved.checkIds,
        disabled: resolved.disabled,
        tailored: Object.keys(resolved.set),
        digest: resolved.digest,
        problem: null,
      };
    } catch (e) {
      return { ...base, checkIds: [], disabled: [], tailored: [], digest: null, problem: (e as Error).message };
    }
  });
}

export function catalogueService(cat: Catalogue): CatalogueService {
  const checks = cat.checks.map(checkSummary);
  // Read at every call: a profile the user adds to their directory is offered without a restart.
  return { list: () => ({ version: cat.version, checks, profiles: profileSummaries(cat) }) };
}
