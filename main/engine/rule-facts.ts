/** The facts a rule reads: used by the loader to fill `Check.facts` and by the collector (via factsNeeded). */
import type { Rule } from '../../shared/checks/rules.js';
import { isFactId, type FactId } from '../../shared/facts/registry.js';
import { evaluatorByName } from './evaluators/index.js';
import { sysctlFact } from './templates/sysctl.js';

export function factsOfRule(rule: Rule, out: Set<FactId> = new Set()): Set<FactId> {
  const add = (id: string) => {
    if (isFactId(id)) out.add(id);
  };
  switch (rule.type) {
    case 'all':
    case 'any':
    case 'none':
      for (const r of rule.rules) factsOfRule(r, out);
      break;
    case 'by_platform':
      for (const r of Object.values(rule.cases)) if (r) factsOfRule(r, out);
      if (rule.default) factsOfRule(rule.default, out);
      break;
    case 'sshd_option':
      add('sshd.effective');
      add('sshd.config');
      break;
    case 'sysctl':
      add(sysctlFact(rule.key));
      add('sysctl.config');
      break;
    case 'package':
      add('pkg.list');
      break;
    case 'mount_option':
      add('fs.mounts');
      break;
    case 'evaluator': {
      const def = evaluatorByName(rule.name);
      const parsed = def?.factsOf ? def.params.safeParse(rule.params ?? {}) : undefined;
      const facts = parsed?.success && def?.factsOf ? def.factsOf(parsed.data) : (def?.facts ?? []);
      for (const f of facts) add(f);
      break;
    }
    case 'attestation':
      break;
    default:
      add(rule.fact);
  }
  return out;
}
