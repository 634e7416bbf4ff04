/**
 * Template `sshd_option`. Source of truth: `sshd -T` (fact sshd.effective) when it ran successfully, else the
 * parsed sshd_config files (fact sshd.config) with OpenSSH defaults for unset options. `actual` and the evidence
 * say which source decided.
 */
import type { SshdOptionRule } from '../../../shared/checks/rules.js';
import type { Evidence } from '../../../shared/model/results.js';
import { compare, describeExpectation, splitList } from '../compare.js';
import type { EvalContext } from '../context.js';
import { textSources } from '../context.js';
import { outcome, type Outcome } from '../outcome.js';
import { globToRegExp } from '../parsers/glob.js';
import {
  looksLikeSshdT,
  parseSshdConfig,
  parseSshdT,
  type SshdConfig,
  type SshdTEntry,
} from '../parsers/sshd.js';
import {
  SSHD_ALGORITHM_LISTS,
  SSHD_DEFAULTS,
  SSHD_TIME_OPTIONS,
  SSHD_VALUE_ALIASES,
  parseSshdTime,
} from '../parsers/sshd-defaults.js';
import { excerpt, targetText as tt } from '../parsers/text.js';

type SshdView =
  | { source: 'effective'; map: Map<string, SshdTEntry[]>; note: Evidence }
  | { source: 'config'; cfg: SshdConfig; note: Evidence }
  | { source: 'absent'; why: string };

function sshdView(ctx: EvalContext): SshdView {
  return ctx.memo('sshd.view', () => {
    let why: string;
    const u = ctx.unavailable('sshd.effective');
    if (u === null) {
      const eff = ctx.command('sshd.effective');
      const map = parseSshdT(eff.stdout);
      if (eff.problem === undefined && eff.exitCode === 0 && looksLikeSshdT(map)) {
        return {
          source: 'effective',
          map,
          note: { factId: 'sshd.effective', excerpt: 'source: sshd -T (effective configuration)' },
        };
      }
      why =
        eff.problem === 'missing'
          ? 'sshd binary not found'
          : `sshd -T failed (exit ${String(eff.exitCode)}): ${excerpt(eff.stdout.split('\n')[0] ?? '', 200)}`;
    } else why = u.kind === 'privilege' ? 'sshd -T needs root' : `sshd -T unavailable: ${u.why}`;
    const files = textSources(ctx, 'sshd.config');
    if (files.length === 0) return { source: 'absent', why };
    const cfg = parseSshdConfig(files.map((f) => ({ path: f.path ?? '', content: f.content })));
    if (!cfg.found) return { source: 'absent', why: `${why}; /etc/ssh/sshd_config not present` };
    return {
      source: 'config',
      cfg,
      note: { factId: 'sshd.config', excerpt: `source: sshd_config files (${why})` },
    };
  });
}

interface Resolved {
  value: string | undefined;
  /** Human account of where the value came from. */
  where: string;
  evidence: Evidence[];
}

function normalise(option: string, value: string): string {
  const alias = SSHD_VALUE_ALIASES[option]?.[value.toLowerCase()];
  return alias ?? value;
}

// Applies `+`, `-`, `^` list modifiers against the default list.
function resolveAlgorithms(option: string, value: string): string {
  const def = SSHD_DEFAULTS[option];
  if (def === undefined || !/^[+\-^]/.test(value)) return value;
  const items = splitList(value.slice(1));
  const base = splitList(def);
  if (value.startsWith('+')) return [...base, ...items.filter((i) => !base.includes(i))].join(',');
  if (value.startsWith('^')) return [...items, ...base.filter((b) => !items.includes(b))].join(',');
  const res = items.map((i) => globToRegExp(i, true));
  return base.filter((b) => !res.some((re) => re.test(b))).join(',');
}

function resolve(view: Exclude<SshdView, { source: 'absent' }>, option: string, override?: string): Resolved {
  if (view.source === 'effective') {
    const entries = view.map.get(option);
    if (!entries || entries.length === 0) {
      const d = override ?? SSHD_DEFAULTS[option];
      return {
        value: d,
        where: `not printed by sshd -T${d !== undefined ? `; default ${d || '(empty)'}` : ''}`,
        evidence: [],
      };
    }
    const value = entries
      .map((e) => e.value)
      .join(option.startsWith('allow') || option.startsWith('deny') ? ' ' : ',');
    return {
      value: normalise(option, entries.length === 1 ? (entries[0] as SshdTEntry).value : value),
      where: 'sshd -T',
      evidence: entries
        .slice(0, 5)
        .map((e) => ({ factId: 'sshd.effective', line: e.line, excerpt: excerpt(e.text) })),
    };
  }
  const s = view.cfg.global.get(option);
  const evidence: Evidence[] = [];
  for (const m of view.cfg.matchBlocks) {
    for (const ms of m.settings) {
      if (ms.keyword === option && evidence.length < 10) {
        evidence.push({
          factId: 'sshd.config',
          path: ms.path,
          line: ms.line,
          excerpt: excerpt(`inside "Match ${m.criteria}" (line ${m.line}): ${ms.text.trim()}`),
        });
      }
    }
  }
  if (!s) {
    const d = override ?? SSHD_DEFAULTS[option];
    return {
      value: d,
      where: `not set in sshd_config${d !== undefined ? `; OpenSSH default ${d || '(empty)'}` : ''}`,
      evidence,
    };
  }
  const later = (view.cfg.occurrences.get(option) ?? []).slice(1, 4);
  for (const l of later)
    evidence.push({
      factId: 'sshd.config',
      path: l.path,
      line: l.line,
      excerpt: excerpt(`ignored (first value wins): ${l.text.trim()}`),
    });
  const value = SSHD_ALGORITHM_LISTS.has(option) ? resolveAlgorithms(option, s.value) : s.value;
  return {
    value: normalise(option, value),
    where: `${s.path}:${s.line}`,
    evidence: [
      { factId: 'sshd.config', path: s.path, line: s.line, excerpt: excerpt(s.text.trim()) },
      ...evidence,
    ],
  };
}

/** What update-crypto-policies writes into opensshserver.config: the algorithm lists and the RSA key size. */
const CRYPTO_POLICY_OPTIONS: ReadonlySet<string> = new Set([
  ...SSHD_ALGORITHM_LISTS,
  'gssapikexalgorithms',
  'requiredrsasize',
]);

export function evalSshdOption(ctx: EvalContext, rule: SshdOptionRule): Outcome {
  const option = rule.option.toLowerCase();
  const expected = describeExpectation(rule.option, rule.op, rule.value);
  const view = sshdView(ctx);
  if (view.source === 'absent') {
    // An unreadable sshd_config (rather than an absent one) has already thrown from textSources.
    return outcome(
      'not_applicable',
      expected,
      'no sshd configuration',
      `OpenSSH server not configured on this host (${view.why})`,
    );
  }
  const r = resolve(view, option, rule.default);
  const toNumber = SSHD_TIME_OPTIONS.has(option) ? parseSshdTime : undefined;
  const cmp = compare(r.value, rule.op, rule.value, toNumber ? { toNumber } : {});
  const shown = r.value === undefined ? '(not set)' : r.value === '' ? '(empty)' : tt(r.value);
  const actual = `${rule.option} ${shown} (${r.where})`;
  const evidence = [...r.evidence, view.note];
  const matchNote = r.evidence.some((e) => e.excerpt.startsWith('inside "Match'))
    ? '; Match blocks set it differently for some connections (see evidence)'
    : '';
  // Not set in the files read, but an Include names a file outside them: that file may set it (sshd -T would say).
  // A crypto-policies back-end (RHEL, Fedora) holds only algorithm lists and key sizes: other options stay known.
  const unread =
    view.source === 'config' && r.where.startsWith('not set')
      ? view.cfg.unread.filter(
          (u) => !u.pattern.startsWith('/etc/crypto-policies/') || CRYPTO_POLICY_OPTIONS.has(option),
        )
      : [];
  if (unread.length > 0) {
    const names = unread.map((u) => `${tt(u.pattern)} (Include at ${tt(u.path)}:${u.line})`).join(', ');
    return outcome(
      'manual',
      expected,
      `${actual}; not read: ${names}`,
      `${rule.option} is not set in the files read, and ${names} was not collected and may set it; sshd -T (root) shows the effective value`,
      [
        ...evidence,
        ...unread
          .slice(0, 3)
          .map((u) => ({
            factId: 'sshd.config',
            path: u.path,
            line: u.line,
            excerpt: excerpt(`Include ${u.pattern}`),
          })),
      ],
    );
  }
  if (cmp.ok)
    return outcome('pass', expected, actual, `${rule.option} is ${shown}, as required${matchNote}`, evidence);
  const items =
    cmp.items && cmp.items.length > 0
      ? ` (${rule.op === 'none_of' ? 'offending' : 'missing'}: ${cmp.items.map(tt).join(', ')})`
      : '';
  return outcome(
    'fail',
    expected,
    actual + items,
    `${rule.option} is ${shown}; expected ${expected}${matchNote}`,
    evidence,
  );
}
