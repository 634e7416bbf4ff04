import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { validateCheck } from '../../../main/catalogue/validate.js';
import { evaluateAll, evaluateCheck, MAX_EVIDENCE } from '../../../main/engine/evaluate.js';
import { scoreResults } from '../../../main/engine/score.js';
import { FACTS } from '../../../shared/facts/registry.js';
import type { Fact, FactSnapshot } from '../../../shared/facts/snapshot.js';
import type { CheckResult } from '../../../shared/model/results.js';
import { snap } from './fixtures/build.js';
import { FIXTURES } from './fixtures/index.js';

const cat = loadCatalogue();

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

// One snapshot holding the first fail scenario of every check (later facts overwrite earlier ones).
function mergedSnapshot(kind: 'pass' | 'fail'): FactSnapshot {
  const s = snap({});
  for (const fx of Object.values(FIXTURES)) Object.assign(s.facts, snap(fx[kind][0]!).facts);
  return s;
}

const synth = (rule: unknown, extra: Record<string, unknown> = {}) =>
  validateCheck(
    {
      id: 'synthetic-check',
      title: 'Synthetic',
      family: 'hardening',
      area: 'sysctl',
      severity: 'low',
      rationale: 'r',
      remediation: { text: 't' },
      rule,
      ...extra,
    },
    'test.yaml',
    0,
  );

describe('evaluateCheck', () => {
  it('is deterministic and does not modify the snapshot', () => {
    const s = deepFreeze(mergedSnapshot('fail'));
    const a = evaluateAll(s, cat.checks);
    const b = evaluateAll(structuredClone(s), cat.checks);
    expect(a).toEqual(b);
    expect(a).toHaveLength(cat.checks.length);
    expect(a.map((r) => r.checkId)).toEqual(cat.checks.map((c) => c.id));
  });

  it('every result carries expected, actual and reason, and bounded evidence', () => {
    for (const kind of ['pass', 'fail'] as const) {
      for (const r of evaluateAll(mergedSnapshot(kind), cat.checks)) {
        expect(r.expected, r.checkId).not.toBe('');
        expect(r.actual, r.checkId).not.toBe('');
        expect(r.reason, r.checkId).not.toBe('');
        expect(r.evidence.length).toBeLessThanOrEqual(MAX_EVIDENCE);
        for (const e of r.evidence) expect(e.excerpt.length).toBeLessThanOrEqual(500);
      }
    }
  });

  it('bounds evidence for huge findings lists and long lines', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `/etc/app${i}/${'x'.repeat(i === 0 ? 5000 : 10)}`).join('\n');
    const r = evaluateCheck(snap({ cmds: { 'proc.list': lines } }), synth({ type: 'empty_output', fact: 'proc.list' }));
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toHaveLength(MAX_EVIDENCE);
    expect(r.evidence[0]!.excerpt.length).toBe(500);
    expect(r.actual.length).toBeLessThanOrEqual(1000);
    expect(r.reason).toContain('5000 unexpected');

    const names = Array.from({ length: 5000 }, (_, i) => `/etc/app${i}/${'x'.repeat(i === 0 ? 4000 : 10)}`);
    const w = evaluateCheck(snap({ paths: { 'fs.etc_world_writable': names } }), cat.byId.get('fs-etc-world-writable')!);
    expect(w.verdict).toBe('fail');
    expect(w.evidence).toHaveLength(MAX_EVIDENCE);
    // A name is evidence whole, however long; the excerpt is the fact's label.
    expect(w.evidence.map((e) => e.path)).toEqual(names.slice(0, MAX_EVIDENCE));
    expect(w.evidence[0]).toEqual({ factId: 'fs.etc_world_writable', path: names[0], excerpt: 'world-writable' });
    expect(w.actual.length).toBeLessThanOrEqual(1000);
    expect(w.reason).toContain('5000 unexpected');
  });

  it('never throws on arbitrary (tampered) snapshots', () => {
    const ids = Object.keys(FACTS);
    const fact = fc.oneof(
      fc.record({
        kind: fc.constant('command'),
        exitCode: fc.oneof(fc.constant(null), fc.integer()),
        stdout: fc.string(),
        stderr: fc.string(),
      }),
      fc.record({
        kind: fc.constant('file'),
        path: fc.string(),
        exists: fc.boolean(),
        content: fc.option(fc.string(), { nil: undefined }),
      }),
      fc.record({ kind: fc.constant('paths'), paths: fc.array(fc.string(), { maxLength: 5 }), truncated: fc.boolean() }),
      fc.record({
        kind: fc.constant('fileset'),
        patterns: fc.constant([]),
        files: fc.array(
          fc.record({
            kind: fc.constant('file'),
            path: fc.constantFrom('/etc/sudoers', '/etc/ssh/sshd_config', '/etc/pam.d/common-auth', '/x'),
            exists: fc.boolean(),
            content: fc.string(),
          }),
          { maxLength: 3 },
        ),
      }),
      fc.anything(),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...ids), fact), fc.boolean(), (facts, privileged) => {
        const s = { ...snap({}), privileged, facts: facts as Record<string, Fact> };
        for (const r of evaluateAll(s, cat.checks))
          expect(['pass', 'fail', 'not_applicable', 'error', 'manual']).toContain(r.verdict);
      }),
      { numRuns: 60 },
    );
  });
});

describe('combinators', () => {
  const s = snap({ cmds: { 'sysctl.net': 'net.ipv4.ip_forward = 1\nnet.ipv4.tcp_syncookies = 1\n' } });
  const fwd = { type: 'sysctl', key: 'net.ipv4.ip_forward', op: 'eq', value: 0 };
  const syn = { type: 'sysctl', key: 'net.ipv4.tcp_syncookies', op: 'eq', value: 1 };
  it('all / any / none', () => {
    expect(evaluateCheck(s, synth({ type: 'all', rules: [fwd, syn] })).verdict).toBe('fail');
    expect(evaluateCheck(s, synth({ type: 'any', rules: [fwd, syn] })).verdict).toBe('pass');
    expect(evaluateCheck(s, synth({ type: 'none', rules: [fwd] })).verdict).toBe('pass');
    expect(evaluateCheck(s, synth({ type: 'none', rules: [syn] })).verdict).toBe('fail');
  });
  it('a definite fail wins over a missing privilege in `all`; `any` waits for the missing fact', () => {
    const sudo = { type: 'evaluator', name: 'sudoers_default', params: { name: 'use_pty' } };
    const u = { ...s, privileged: false };
    expect(evaluateCheck(u, synth({ type: 'all', rules: [fwd, sudo] })).verdict).toBe('fail');
    const any = evaluateCheck(u, synth({ type: 'any', rules: [fwd, sudo] }));
    expect(any).toMatchObject({ verdict: 'manual', needsPrivilege: true });
  });
  it('describe replaces the generated expectation', () => {
    expect(evaluateCheck(s, synth({ ...fwd, describe: 'no routing' })).expected).toBe('no routing');
  });
});

describe('scoreResults', () => {
  const r = (checkId: string, verdict: CheckResult['verdict']): CheckResult => ({
    checkId,
    verdict,
    expected: 'e',
    actual: 'a',
    reason: 'r',
    evidence: [],
  });
  it('weights pass/fail by severity and ignores other verdicts', () => {
    const sev = { a: 'critical', b: 'low', c: 'medium', d: 'info', e: 'high' } as const;
    const res = [
      r('a', 'pass'),
      r('b', 'fail'),
      r('c', 'fail'),
      r('d', 'fail'),
      r('e', 'manual'),
      r('e', 'error'),
      r('x', 'not_applicable'),
    ];
    const s = scoreResults(res, (id) => sev[id as keyof typeof sev]);
    // pass: 10; pass+fail: 10 + 1 + 3 + 0
    expect(s.score).toBe(71.4);
    expect(s.counts).toEqual({ pass: 1, fail: 3, not_applicable: 1, error: 1, manual: 1 });
  });
  it('without severities every result weighs 1; nothing decided gives null', () => {
    expect(scoreResults([r('a', 'pass'), r('b', 'fail'), r('c', 'fail'), r('d', 'pass')]).score).toBe(50);
    expect(scoreResults([r('a', 'manual')]).score).toBeNull();
    expect(scoreResults([]).score).toBeNull();
  });
});
