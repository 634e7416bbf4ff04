/** The check catalogue as the UI sees it: metadata only, the rules stay in main. */
import type { CatalogueService } from '../api/services.js';
import type { Catalogue } from '../catalogue/load.js';

export function catalogueService(cat: Catalogue): CatalogueService {
  const checks = cat.checks.map((c) => ({
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
  }));
  return { list: () => ({ version: cat.version, checks }) };
}
