/** Templates `package`, `mount_option` and `empty_output`. */
import { FACTS, type FactId, type PathsFactDef } from '../../../shared/facts/registry.js';
import type { EmptyOutputRule, MountOptionRule, PackageRule } from '../../../shared/checks/rules.js';
import type { Evidence } from '../../../shared/model/results.js';
import type { EvalContext } from '../context.js';
import { outcome, type Outcome } from '../outcome.js';
import { globToRegExp } from '../parsers/glob.js';
import { mountAt, parseMounts } from '../parsers/mounts.js';
import { parsePackages } from '../parsers/packages.js';
import { excerpt, splitLines, targetText as tt } from '../parsers/text.js';
import { MAX_EVIDENCE } from '../limits.js';

export function evalPackage(ctx: EvalContext, rule: PackageRule): Outcome {
  const names = rule.names.join(', ');
  const expected = rule.expect === 'installed' ? `one of ${names} installed` : `none of ${names} installed`;
  const cmd = ctx.command('pkg.list');
  if (cmd.problem === 'missing' || (cmd.stdout.trim() === '' && cmd.exitCode !== 0)) {
    return outcome(
      'error',
      expected,
      'no package list',
      'no package list could be read (neither dpkg-query nor rpm worked)',
    );
  }
  const pkgs = ctx.memo('pkg.list', () => parsePackages(cmd.stdout));
  const installed = rule.names.flatMap((n) => (pkgs.get(n) ?? []).filter((p) => p.installed));
  const evidence: Evidence[] = installed.map((p) => ({
    factId: 'pkg.list',
    line: p.line,
    excerpt: excerpt(p.text),
  }));
  const list = tt([...new Set(installed.map((p) => `${p.name} ${p.version}`))].join(', '));
  if (rule.expect === 'installed') {
    return installed.length > 0
      ? outcome('pass', expected, `installed: ${list}`, `${list} installed`, evidence)
      : outcome('fail', expected, `none of ${names} installed`, `no package of ${names} is installed`);
  }
  return installed.length === 0
    ? outcome('pass', expected, `none of ${names} installed`, 'none of the packages is installed')
    : outcome('fail', expected, `installed: ${list}`, `${list} installed but should not be`, evidence);
}

export function evalMountOption(ctx: EvalContext, rule: MountOptionRule): Outcome {
  const opts = rule.options.join(',');
  const expected =
    rule.options.length === 0
      ? `${rule.mount_point} is a separate mount`
      : `${rule.mount_point} mounted with ${opts}`;
  const f = ctx.file('fs.mounts');
  const mounts = ctx.memo('fs.mounts', () => parseMounts(f.content ?? ''));
  const m = mountAt(mounts, rule.mount_point);
  if (!m) {
    const missing = rule.missing_mount ?? 'fail';
    return outcome(
      missing,
      expected,
      `nothing mounted on ${rule.mount_point}`,
      missing === 'fail'
        ? `${rule.mount_point} is not a separate mount`
        : `${rule.mount_point} is not a separate mount; options do not apply`,
    );
  }
  const evidence: Evidence[] = [
    { factId: 'fs.mounts', path: f.path, line: m.line, excerpt: excerpt(m.text) },
  ];
  const lacking = rule.options.filter((o) => !m.options.includes(o));
  const actual = tt(`${m.mountPoint} ${m.fstype} ${m.options.join(',')}`);
  if (lacking.length === 0)
    return outcome(
      'pass',
      expected,
      actual,
      `${rule.mount_point} is mounted${opts ? ` with ${opts}` : ''}`,
      evidence,
    );
  return outcome('fail', expected, actual, `${rule.mount_point} lacks ${lacking.join(', ')}`, evidence);
}

export function evalEmptyOutput(ctx: EvalContext, rule: EmptyOutputRule): Outcome {
  const allow = (rule.allow ?? []).map((g) => globToRegExp(g));
  const def = FACTS[rule.fact as FactId];
  if (def.kind === 'paths') return evalNoPaths(ctx, rule.fact as FactId, def, allow);
  const expected =
    allow.length > 0
      ? `no output from ${rule.fact} other than ${allow.length} allowed entries`
      : `no output from ${rule.fact}`;
  const cmd = ctx.command(rule.fact as FactId);
  if (cmd.problem === 'missing')
    return outcome(
      'error',
      expected,
      'command not available on the host',
      `the command for ${rule.fact} is not installed on the host`,
    );
  const found: { n: number; text: string }[] = [];
  let allowed = 0;
  for (const l of splitLines(cmd.stdout)) {
    const t = l.text.trim();
    if (t === '') continue;
    if (allow.some((re) => re.test(t))) allowed++;
    else found.push({ n: l.n, text: t });
  }
  const trunc = cmd.stdoutTruncated ? ' (output truncated by the collector cap)' : '';
  if (found.length === 0)
    return outcome(
      'pass',
      expected,
      `nothing unexpected${allowed ? ` (${allowed} allowed entries)` : ''}${trunc}`,
      `no unexpected entries${trunc}`,
    );
  const evidence: Evidence[] = found
    .slice(0, 20)
    .map((l) => ({ factId: rule.fact, line: l.n, excerpt: excerpt(l.text) }));
  const shown =
    found
      .slice(0, 10)
      .map((l) => tt(l.text))
      .join(', ') + (found.length > 10 ? `, … (${found.length - 10} more)` : '');
  return outcome(
    'fail',
    expected,
    `${found.length} unexpected: ${shown}`,
    `${found.length} unexpected entr${found.length === 1 ? 'y' : 'ies'}${trunc}`,
    evidence,
  );
}

/** Characters of names listed in `actual`; the evidence names each one (up to MAX_EVIDENCE) whole. */
const ACTUAL_NAMES_CHARS = 900;

/**
 * `empty_output` over a paths fact: every name the walk found is unexpected unless an allow glob matches it.
 * Names are exact (their lossless text form): each is one evidence item, with the fact's label as the excerpt.
 */
function evalNoPaths(ctx: EvalContext, id: FactId, def: PathsFactDef, allow: RegExp[]): Outcome {
  const expected =
    allow.length > 0
      ? `no ${def.label} name in ${id} other than ${allow.length} allowed entries`
      : `no ${def.label} name in ${id}`;
  const p = ctx.paths(id);
  if (p.problem === 'missing')
    return outcome('error', expected, 'find not available on the host', `find is not installed on the host, so ${id} could not be collected`);
  const found = p.paths.filter((name) => !allow.some((re) => re.test(name)));
  const allowed = p.paths.length - found.length;
  const notes = [
    ...(p.truncated ? ['the list was cut at the collector cap'] : []),
    ...(p.incomplete ? ['some directories could not be searched'] : []),
  ];
  const note = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  if (found.length === 0)
    return outcome(
      'pass',
      expected,
      `nothing unexpected${allowed ? ` (${allowed} allowed entries)` : ''}${note}`,
      `no unexpected entries${note}`,
    );
  const shown: string[] = [];
  let chars = 0;
  for (const name of found) {
    if (shown.length > 0 && chars + name.length > ACTUAL_NAMES_CHARS) break;
    shown.push(name);
    chars += name.length + 2;
  }
  const rest = found.length - shown.length;
  const evidence: Evidence[] = found.slice(0, MAX_EVIDENCE).map((name) => ({ factId: id, path: name, excerpt: def.label }));
  return outcome(
    'fail',
    expected,
    `${found.length} unexpected: ${shown.join(', ')}${rest > 0 ? `, … (${rest} more)` : ''}`,
    `${found.length} unexpected ${def.label} entr${found.length === 1 ? 'y' : 'ies'}${note}`,
    evidence,
  );
}
