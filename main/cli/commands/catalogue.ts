/**
 * `foureyes catalogue`: the checks of the catalogue (built-in plus the check packs given), the profiles that choose
 * them, or (`--stats`) the counts per family, area, platform, template and profile with the checks that lack part of
 * their remediation.
 */
import { loadCatalogueQuick } from '../../catalogue/catalogue.js';
import { availableProfiles, chooseProfile } from '../../catalogue/profiles.js';
import { catalogueStats } from '../../catalogue/stats.js';
import { term, termJson } from '../term.js';

export interface CatalogueOptions {
  stats?: boolean;
  profiles?: boolean;
  profile?: string;
  pack?: string[];
  json?: boolean;
}

const out = (s: string): void => {
  process.stdout.write(s);
};

function table(title: string, m: Record<string, number>): string {
  const rows = Object.entries(m).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const w = Math.max(...rows.map(([k]) => term(k).length), 4);
  return `${title}\n${rows.map(([k, n]) => `  ${term(k).padEnd(w)}  ${String(n).padStart(4)}`).join('\n')}\n`;
}

export async function catalogue(o: CatalogueOptions): Promise<number> {
  const cat = await loadCatalogueQuick(o.pack ?? []);
  const profiles = availableProfiles(cat);
  if (o.stats) {
    const s = catalogueStats(cat, profiles);
    if (o.json) {
      out(`${termJson(s)}\n`);
      return 0;
    }
    out(`catalogue ${term(s.version)}: ${s.total} checks from ${s.sources.map(term).join(', ')}\n\n`);
    out(table('per family', s.byFamily));
    out(table('per area', s.byArea));
    out(table('per platform', s.byPlatform));
    out(table('per template', s.byTemplate));
    out('per profile\n');
    for (const [id, p] of Object.entries(s.byProfile))
      out(`  ${term(id).padEnd(26)} ${String(p.checks).padStart(4)} checks${p.sections ? `, ${p.sections} sections` : ''}  ${term(p.title)}${p.error ? `  (unusable: ${term(p.error)})` : ''}\n`);
    out(`\nremediation in prose, shell and Ansible: ${s.remediation.complete} of ${s.total}\n`);
    for (const l of s.remediation.lacking) out(`  ${term(l.id)}: no ${l.missing.join(', ')}\n`);
    for (const l of s.incomplete) out(`  ${term(l.id)}: no ${l.missing.join(', ')}\n`);
    return 0;
  }
  if (o.profiles) {
    const list = profiles.list.map((p) => ({
      id: p.profile.id,
      title: p.profile.title,
      file: p.file,
      builtin: p.builtin,
      ...(p.profile.extends ? { extends: p.profile.extends } : {}),
    }));
    if (o.json) out(`${termJson(list)}\n`);
    else for (const p of list) out(`${term(p.id).padEnd(26)} ${term(p.title)}${p.builtin ? '' : `  (${term(p.file)})`}\n`);
    return 0;
  }
  const chosen = o.profile !== undefined ? chooseProfile(o.profile, cat) : undefined;
  const checks = chosen ? chosen.checks : cat.checks;
  if (o.json) {
    out(`${termJson({ version: cat.version, ...(chosen ? { profile: chosen.resolved } : {}), checks })}\n`);
    return 0;
  }
  for (const c of checks) out(`${term(c.id).padEnd(44)} ${c.severity.padEnd(8)} ${term(c.area).padEnd(16)} ${term(c.title)}\n`);
  out(`${checks.length} checks${chosen ? ` (profile ${term(chosen.resolved.id)}, digest ${chosen.resolved.digest.slice(0, 12)})` : ''}\n`);
  return 0;
}
