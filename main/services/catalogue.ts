/** The check catalogue as the UI sees it: metadata only, the rules stay in main. */
import type { CatalogueService } from '../api/services.js';
import type { Catalogue } from '../catalogue/load.js';
import type { Check } from '../../shared/checks/schema.js';

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

export function catalogueService(cat: Catalogue): CatalogueService {
  const checks = cat.checks.map(checkSummary);
  return { list: () => ({ version: cat.version, checks }) };
}
