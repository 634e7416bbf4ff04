/** Templates `lines` (files, filesets or command output, comments skipped) and `command_output` (raw output lines). */
import { FACTS, type FactId } from '../../../shared/facts/registry.js';
import type { CommandOutputRule, LinesRule } from '../../../shared/checks/rules.js';
import type { Evidence } from '../../../shared/model/results.js';
import { textSources, type EvalContext, type TextSource } from '../context.js';
import { outcome, type Outcome } from '../outcome.js';
import { globToRegExp } from '../parsers/glob.js';
import { excerpt, splitLines, targetText } from '../parsers/text.js';

interface Scan {
  matches: Evidence[];
  count: number;
  searched: string[];
  truncated: boolean;
}

/** A source's non-empty lines, trimmed: split once per snapshot for every check that scans that source. */
function trimmedLines(ctx: EvalContext, src: TextSource): { n: number; t: string }[] {
  return ctx.memo(`lines\0${src.factId}\0${src.path ?? ''}`, () =>
    splitLines(src.content)
      .map(({ n, text }) => ({ n, t: text.trim() }))
      .filter((l) => l.t !== ''),
  );
}

const REGEXES = new Map<string, RegExp>();
/** The catalogue's patterns compiled once (stateless ones only: a `g` or `y` flag keeps state between tests). */
export function patternRegExp(pattern: string, flags = ''): RegExp {
  if (/[gy]/.test(flags)) return new RegExp(pattern, flags);
  const key = `${flags}/${pattern}`;
  let re = REGEXES.get(key);
  if (!re) {
    re = new RegExp(pattern, flags);
    if (REGEXES.size < 10_000) REGEXES.set(key, re);
  }
  return re;
}

function scan(ctx: EvalContext, sources: TextSource[], re: RegExp, comment: string): Scan {
  const out: Scan = { matches: [], count: 0, searched: [], truncated: false };
  for (const src of sources) {
    out.searched.push(src.path ?? src.factId);
    if (src.truncated) out.truncated = true;
    for (const { n, t } of trimmedLines(ctx, src)) {
      if (comment !== '' && t.startsWith(comment)) continue;
      if (!re.test(t)) continue;
      out.count++;
      if (out.matches.length < 20)
        out.matches.push({
          factId: src.factId,
          ...(src.path ? { path: src.path } : {}),
          line: n,
          excerpt: excerpt(t),
        });
    }
  }
  return out;
}

function decide(s: Scan, expect: 'present' | 'absent', pattern: string, what: string): Outcome {
  const expected =
    expect === 'present'
      ? `a line matching /${pattern}/ in ${what}`
      : `no line matching /${pattern}/ in ${what}`;
  const where =
    s.searched.length === 0
      ? 'no file present'
      : s.searched.slice(0, 8).join(', ') + (s.searched.length > 8 ? ', …' : '');
  const trunc = s.truncated ? ' (content was truncated by the collector cap)' : '';
  const found = s.matches
    .map((m) => m.excerpt)
    .slice(0, 3)
    .join(' | ');
  if (s.count > 0) {
    const actual = `${s.count} matching line(s): ${found}`;
    return expect === 'present'
      ? outcome('pass', expected, actual, `found ${s.count} matching line(s)`, s.matches)
      : outcome('fail', expected, actual, `found ${s.count} line(s) that must not be there`, s.matches);
  }
  const actual = `no matching line (searched: ${where})${trunc}`;
  const ev: Evidence[] = s.searched
    .slice(0, 5)
    .map((p) => ({ factId: 'searched', path: p, excerpt: 'searched, no match' }));
  return expect === 'present'
    ? outcome('fail', expected, actual, `no line matching the requirement in ${where}${trunc}`, ev)
    : outcome('pass', expected, actual, `no offending line in ${where}${trunc}`, ev);
}

export function evalLines(ctx: EvalContext, rule: LinesRule): Outcome {
  const filter = rule.path ? (p: string) => globToRegExp(rule.path as string).test(p) : undefined;
  const sources = textSources(ctx, rule.fact as FactId, filter);
  const s = scan(ctx, sources, patternRegExp(rule.pattern, rule.flags ?? ''), rule.comment ?? '#');
  const out = decide(s, rule.expect, rule.pattern, rule.path ?? rule.fact);
  for (const e of out.evidence) if (e.factId === 'searched') e.factId = rule.fact;
  return out;
}

/** PID 1 in the process list (`ps -eo user=,pid=,ppid=,comm=,args=`), when it was collected and shows it. */
function initProcess(ctx: EvalContext): { comm: string; evidence: Evidence } | null {
  if (ctx.unavailable('proc.list') !== null) return null;
  const ps = ctx.command('proc.list');
  if (ps.problem === 'missing') return null;
  for (const { n, text } of splitLines(ps.stdout)) {
    const f = text.trim().split(/\s+/);
    if (f[1] === '1' && f[3] !== undefined)
      return { comm: f[3], evidence: { factId: 'proc.list', line: n, excerpt: excerpt(text.trim()) } };
  }
  return null;
}

/**
 * A rule on systemd unit state (a fact read with systemctl) on a host without systemctl: unless PID 1 is systemd (a
 * broken host: error), systemd is not the service manager, so no unit file says whether the service starts or
 * runs. That is for a person to see in the init the host uses (manual, the reason naming PID 1), not an error.
 */
function withoutSystemd(ctx: EvalContext, rule: CommandOutputRule): Outcome | null {
  const def = FACTS[rule.fact as FactId];
  if (def.kind !== 'command' || !(def.requires as readonly string[]).includes('systemctl')) return null;
  const init = initProcess(ctx);
  if (init?.comm === 'systemd') return null;
  const which = init ? `PID 1 is ${targetText(init.comm)}, systemctl is not installed` : 'systemctl is not installed';
  const o = outcome(
    'manual',
    `${rule.expect} /${rule.pattern}/`,
    `no systemd: ${which}`,
    `systemd is not this host's service manager (${which}): no unit state to read; ` +
      (rule.expect === 'absent'
        ? 'check by hand that the init in use does not start the service'
        : 'check by hand that the init in use starts the service at boot'),
    init ? [init.evidence] : [],
  );
  if (rule.expect === 'present') return o;
  const na = `systemd is not this host's service manager (${which}): the systemd units the check forbids cannot be enabled or active`;
  return { ...o, forbidsUnitsWithoutSystemd: na };
}

export function evalCommandOutput(ctx: EvalContext, rule: CommandOutputRule): Outcome {
  const cmd = ctx.command(rule.fact as FactId);
  if (cmd.problem === 'missing') {
    const noSystemd = withoutSystemd(ctx, rule);
    if (noSystemd) return noSystemd;
    return outcome(
      'error',
      `${rule.expect} /${rule.pattern}/`,
      'command not available on the host',
      `the command for ${rule.fact} is not installed on the host`,
    );
  }
  const s = scan(
    ctx,
    [{ factId: rule.fact, content: cmd.stdout, truncated: cmd.stdoutTruncated === true }],
    patternRegExp(rule.pattern, rule.flags ?? ''),
    '',
  );
  const out = decide(s, rule.expect, rule.pattern, `output of ${rule.fact}`);
  out.evidence = out.evidence.filter((e) => e.factId !== 'searched');
  return out;
}
