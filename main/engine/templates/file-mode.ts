/** Template `file_mode`: permission bits and ownership of a file or of the files of a fileset. */
import { FACTS, type FactId } from '../../../shared/facts/registry.js';
import type { FileModeRule } from '../../../shared/checks/rules.js';
import type { FileFact } from '../../../shared/facts/snapshot.js';
import type { Evidence } from '../../../shared/model/results.js';
import type { EvalContext } from '../context.js';
import { FactUnavailable, outcome, type Outcome } from '../outcome.js';
import { globToRegExp } from '../parsers/glob.js';
import { targetText as tt } from '../parsers/text.js';

export const fmtMode = (m: number) => (m & 0o7777).toString(8).padStart(4, '0');
const oct = (s: string) => parseInt(s, 8);

function describe(rule: FileModeRule): string {
  const parts: string[] = [];
  if (rule.max_mode) parts.push(`mode ${rule.max_mode} or stricter`);
  if (rule.max_mode_by_group)
    for (const [g, m] of Object.entries(rule.max_mode_by_group)) parts.push(`(${m} when group ${g})`);
  if (rule.deny_bits) parts.push(`none of the bits ${rule.deny_bits}`);
  if (rule.owner) parts.push(`owner ${rule.owner.join('|')}`);
  if (rule.group) parts.push(`group ${rule.group.join('|')}`);
  return `${rule.path ?? FACTS[rule.fact as FactId].description}: ${parts.join(', ')}`;
}

export function evalFileMode(ctx: EvalContext, rule: FileModeRule): Outcome {
  const id = rule.fact as FactId;
  const expected = describe(rule);
  const all: FileFact[] = FACTS[id].kind === 'file' ? [ctx.file(id)] : ctx.fileset(id).files;
  const re = rule.path ? globToRegExp(rule.path) : null;
  const files = all.filter((f) => typeof f?.path === 'string' && f.exists && (!re || re.test(f.path)));
  if (files.length === 0) {
    const missing = rule.missing ?? 'not_applicable';
    const what = rule.path ?? 'no matching file';
    return outcome(
      missing,
      expected,
      `${what} not present`,
      missing === 'fail' ? `${what} does not exist` : `${what} does not exist; nothing to check`,
    );
  }
  const bad: string[] = [];
  const evidence: Evidence[] = [];
  const seen: string[] = [];
  for (const f of files) {
    if (!f.stat) {
      if (f.problem === 'denied')
        throw new FactUnavailable(
          id,
          ctx.snapshot.privileged ? 'denied' : 'privilege',
          `cannot stat ${f.path}`,
        );
      throw new FactUnavailable(id, 'error', `no stat for ${f.path}`);
    }
    const st = f.stat;
    if (st.type === 'link') {
      evidence.push({ factId: id, path: f.path, excerpt: 'symbolic link; mode not checked' });
      continue;
    }
    const problems: string[] = [];
    const max = rule.max_mode_by_group?.[st.group] ?? rule.max_mode;
    if (max !== undefined && (st.mode & 0o7777 & ~oct(max)) !== 0)
      problems.push(`mode ${fmtMode(st.mode)} exceeds ${max}`);
    if (rule.deny_bits !== undefined && (st.mode & oct(rule.deny_bits)) !== 0)
      problems.push(`mode ${fmtMode(st.mode)} has bits of ${rule.deny_bits}`);
    // Owner and group names are the target's: shown in their text form (f.path is a text form already).
    const owner = tt(st.user);
    const group = tt(st.group);
    if (rule.owner && !rule.owner.includes(st.user)) problems.push(`owner ${owner}`);
    if (rule.group && !rule.group.includes(st.group)) problems.push(`group ${group}`);
    const line = `${f.path} ${fmtMode(st.mode)} ${owner}:${group}`;
    seen.push(line);
    if (problems.length > 0) {
      bad.push(`${f.path}: ${problems.join(', ')}`);
      evidence.unshift({
        factId: id,
        path: f.path,
        excerpt: `${fmtMode(st.mode)} ${owner}:${group} (${problems.join(', ')})`,
      });
    } else
      evidence.push({
        factId: id,
        path: f.path,
        excerpt: `${fmtMode(st.mode)} ${owner}:${group}`,
      });
  }
  if (bad.length === 0)
    return outcome(
      'pass',
      expected,
      seen.join('; ') || 'only symbolic links',
      `${seen.length} file(s) checked, all within limits`,
      evidence,
    );
  return outcome(
    'fail',
    expected,
    bad.join('; '),
    `${bad.length} of ${seen.length} file(s) too permissive or wrongly owned`,
    evidence,
  );
}
