/**
 * Profiles and tailoring against the real catalogue: parsing with file:line errors, the extends chain, disabled
 * checks, parameters set on template and evaluator checks (the check written again, with its own digest), the
 * digest a scan records, user profile files, and the benchmark references derived from benchmark profiles.
 */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue, type Catalogue } from '../../../main/catalogue/load.js';
import {
  benchmarkReferences,
  chooseProfile,
  parseProfileFile,
  profileSet,
  resolveProfile,
  withBenchmarkReferences,
  type LoadedProfile,
} from '../../../main/catalogue/profiles.js';
import { evaluateCheck } from '../../../main/engine/evaluate.js';
import { scenarioSnapshot } from '../../../main/catalogue/scenario.js';

let cat: Catalogue;
beforeAll(() => {
  cat = loadCatalogue();
});

const parse = (text: string, file = 'p.yaml'): LoadedProfile => parseProfileFile(text, file);
const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '(no error)';
};

describe('profile files', () => {
  it('names file, line and field for a mistake', () => {
    expect(
      message(() => parse('id: mine\ntitle: Mine\nchecks:\n  - { check: sshd-banner }\n  - { chek: x }\n')),
    ).toBe("p.yaml:5: field checks[1].chek: unknown field 'chek'");
    expect(message(() => parse('id: Mine\ntitle: t\n'))).toMatch(/^p\.yaml:1: field id: profile id expected/);
    expect(message(() => parse('id: m\ntitle: t\ncolour: blue\n'))).toBe(
      "p.yaml:3: field colour: unknown field 'colour'",
    );
    expect(
      message(() => parse('id: m\ntitle: t\nchecks:\n  - { section: 1.2, check: sshd-banner }\n')),
    ).toMatch(/^p\.yaml:4: field checks\[0\]\.section: /);
    expect(message(() => parse('id: m\ntitle: [unclosed\n'))).toMatch(/^p\.yaml:\d+: not valid YAML/);
    expect(message(() => parse('- a\n- b\n'))).toBe(
      'p.yaml:1: expected a profile (a mapping with id, title and checks)',
    );
    expect(
      message(() =>
        parse(
          'id: m\ntitle: t\nbenchmark: cis-x\nversion: v1\nchecks:\n  - { section: "1", check: a }\n  - { section: "1", check: a }\n',
        ),
      ),
    ).toBe('p.yaml:7: field checks[1]: a is listed twice for section 1');
  });

  it('a setting for a check the profile does not run is refused with its line; one a child disables is not', () => {
    const p = parse(
      'id: p\ntitle: P\nchecks:\n  - { check: sshd-banner }\nset:\n  sshd-max-auth-tries: { value: 6 }\n',
    );
    expect(message(() => resolveProfile(p, profileSet([p]), cat))).toBe(
      'p.yaml:6: field set.sshd-max-auth-tries: check sshd-max-auth-tries is set here but the profile does not run it: add it to checks, or remove the setting',
    );
    const parent = parse(
      'id: parent\ntitle: Parent\nchecks:\n  - { check: sshd-banner }\n  - { check: sshd-max-auth-tries }\nset:\n  sshd-max-auth-tries: { value: 6 }\n',
      'parent.yaml',
    );
    const child = parse(
      'id: child\ntitle: Child\nextends: parent\ndisable:\n  - { check: sshd-max-auth-tries, reason: not ours }\n',
      'child.yaml',
    );
    expect(resolveProfile(child, profileSet([parent, child]), cat).resolved.checkIds).toEqual([
      'sshd-banner',
    ]);
  });

  it('an unknown check, parent or a cycle is named with its line', () => {
    const a = parse('id: a\ntitle: A\nextends: b\nchecks:\n  - { check: sshd-banner }\n', 'a.yaml');
    const b = parse('id: b\ntitle: B\nextends: a\nchecks:\n  - { check: no-such-check }\n', 'b.yaml');
    expect(message(() => resolveProfile(a, profileSet([a]), cat))).toMatch(
      /^a\.yaml:3: field extends: no profile 'b'/,
    );
    expect(message(() => resolveProfile(a, profileSet([a, b]), cat))).toBe(
      'b.yaml:3: field extends: profiles extend each other in a cycle: a -> b -> a',
    );
    const c = parse(
      'id: c\ntitle: C\nchecks:\n  - { check: sshd-banner }\n  - { check: no-such-check }\n',
      'c.yaml',
    );
    expect(message(() => resolveProfile(c, profileSet([c]), cat))).toBe(
      "c.yaml:5: field checks[1].check: no check 'no-such-check' in the catalogue",
    );
  });
});

describe('tailoring', () => {
  const base = parse(
    [
      'id: base',
      'title: Base',
      'benchmark: cis-test',
      'version: v2.0.0',
      'checks:',
      "  - { section: '5.1.1', check: sshd-max-auth-tries }",
      "  - { section: '5.1.2', check: sshd-banner }",
      "  - { section: '3.1', check: sysctl-ip-forward-disabled }",
      "  - { section: '2.1', check: services-exposed-listeners }",
      '',
    ].join('\n'),
    'base.yaml',
  );
  const child = parse(
    [
      'id: site',
      'title: Site tailoring',
      'extends: base',
      'disable:',
      '  - { check: sshd-banner, reason: The customer shows no banner by policy (decision 2026-11). }',
      'set:',
      '  sshd-max-auth-tries: { value: 6 }',
      "  services-exposed-listeners: { allow: ['tcp/22', 'tcp/443'] }",
      '',
    ].join('\n'),
    'site.yaml',
  );

  it('runs the parent entries minus the disabled, in catalogue order, with the settings applied', () => {
    const { resolved, checks, catalogue } = resolveProfile(child, profileSet([base, child]), cat);
    const order = cat.checks.map((c) => c.id);
    expect(resolved.checkIds).toEqual(
      ['sshd-max-auth-tries', 'sysctl-ip-forward-disabled', 'services-exposed-listeners'].sort(
        (a, b) => order.indexOf(a) - order.indexOf(b),
      ),
    );
    expect(checks.map((c) => c.id)).toEqual(resolved.checkIds);
    expect(resolved.disabled).toEqual([
      { check: 'sshd-banner', reason: 'The customer shows no banner by policy (decision 2026-11).' },
    ]);
    expect(resolved.files).toEqual(['site.yaml', 'base.yaml']);
    expect(resolved.benchmark).toBe('cis-test');
    expect(resolved.sections['sshd-max-auth-tries']).toEqual(['5.1.1']);

    const tries = catalogue.byId.get('sshd-max-auth-tries');
    expect(tries?.rule).toMatchObject({ type: 'sshd_option', option: 'MaxAuthTries', value: 6 });
    expect(tries?.remediation.shell).toContain('MaxAuthTries 6');
    expect(tries?.template?.params).toMatchObject({ value: 6 });
    expect(catalogue.digest('sshd-max-auth-tries')).not.toBe(cat.digest('sshd-max-auth-tries'));
    // Unchanged checks keep the digests their results are compared by.
    expect(catalogue.digest('sysctl-ip-forward-disabled')).toBe(cat.digest('sysctl-ip-forward-disabled'));
    const listeners = catalogue.byId.get('services-exposed-listeners');
    expect(listeners?.rule).toMatchObject({
      type: 'evaluator',
      params: { allow: ['tcp/22', 'tcp/443'], allow_processes: ['sshd'] },
    });
  });

  it('a tailored check decides with the new value: MaxAuthTries 6 fails the default and passes the tailoring', () => {
    const { catalogue } = resolveProfile(child, profileSet([base, child]), cat);
    const sc = (cat.byId.get('sshd-max-auth-tries')?.scenarios?.fail ?? [])[0];
    expect(sc).toBeDefined();
    // The generated fail scenario of the original check (MaxAuthTries 5) passes once 6 is allowed.
    const snap = scenarioSnapshot(sc!);
    expect(evaluateCheck(snap, cat.byId.get('sshd-max-auth-tries')!).verdict).toBe('fail');
    expect(evaluateCheck(snap, catalogue.byId.get('sshd-max-auth-tries')!).verdict).toBe('pass');
  });

  it('password-policy-minlen takes its length from a profile: 12 characters pass a tailoring to 12', () => {
    const site = parse(
      'id: s\ntitle: S\nchecks: all\nset:\n  password-policy-minlen: { value: 12 }\n',
      's.yaml',
    );
    const { catalogue } = resolveProfile(site, profileSet([site]), cat);
    const snap = scenarioSnapshot({
      sets: {
        'pam.pwquality': { '/etc/security/pwquality.conf': 'minlen = 12\n' },
        'pam.files': { '/etc/pam.d/common-password': 'password requisite pam_pwquality.so retry=3\n' },
      },
    });
    expect(evaluateCheck(snap, cat.byId.get('password-policy-minlen')!).verdict).toBe('fail');
    expect(evaluateCheck(snap, catalogue.byId.get('password-policy-minlen')!).verdict).toBe('pass');
  });

  it('the digest changes with any setting or disable, and is the same for the same profile', () => {
    const d1 = resolveProfile(child, profileSet([base, child]), cat).resolved.digest;
    const d2 = resolveProfile(child, profileSet([base, child]), cat).resolved.digest;
    const other = parse(
      child.profile.title === 'x'
        ? ''
        : 'id: site\ntitle: Site\nextends: base\nset:\n  sshd-max-auth-tries: { value: 5 }\n',
      'site.yaml',
    );
    const d3 = resolveProfile(other, profileSet([base, other]), cat).resolved.digest;
    expect(d1).toBe(d2);
    expect(d3).not.toBe(d1);
    expect(d1).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a parameter a check does not have, and a check without parameters, naming the line', () => {
    const bad = parse(
      'id: s\ntitle: S\nextends: base\nset:\n  sshd-max-auth-tries: { valeu: 6 }\n',
      's.yaml',
    );
    expect(message(() => resolveProfile(bad, profileSet([base, bad]), cat))).toMatch(
      /^s\.yaml:5: field set\.sshd-max-auth-tries: check 'sshd-max-auth-tries': field params\.valeu: unknown parameter 'valeu'/,
    );
    const wrongType = parse(
      'id: s\ntitle: S\nextends: base\nset:\n  sshd-max-auth-tries: { op: sometimes }\n',
      's.yaml',
    );
    expect(message(() => resolveProfile(wrongType, profileSet([base, wrongType]), cat))).toMatch(
      /^s\.yaml:5: field set\.sshd-max-auth-tries: .*params\.op/,
    );
    const hand = parse(
      'id: s\ntitle: S\nchecks: all\nset:\n  password-policy-faillock: { value: 3 }\n',
      's.yaml',
    );
    expect(message(() => resolveProfile(hand, profileSet([hand]), cat))).toMatch(
      /has no parameters a profile can set/,
    );
  });

  it('`checks: all` runs the whole catalogue minus what it disables', () => {
    const all = parse(
      'id: everything\ntitle: All\nchecks: all\ndisable:\n  - { check: sshd-banner, reason: not wanted }\n',
    );
    const { resolved } = resolveProfile(all, profileSet([all]), cat);
    expect(resolved.checkIds.length).toBe(cat.checks.length - 1);
    expect(resolved.checkIds).not.toContain('sshd-banner');
  });
});

describe('user profiles and built-in references', () => {
  it('a profile file extends a built-in profile by id; a file reusing a built-in id is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fe-prof-'));
    const file = join(dir, 'site.yaml');
    writeFileSync(
      file,
      'id: customer-site\ntitle: Customer site\nextends: aaa\ndisable:\n  - { check: sshd-banner, reason: shown by the gateway }\n',
    );
    const env = { HOME: dir, XDG_DATA_HOME: join(dir, 'data') };
    const r = chooseProfile(file, cat, env);
    const aaa = chooseProfile('aaa', cat, env);
    expect(r.resolved.id).toBe('customer-site');
    expect(r.resolved.files[0]).toBe(file);
    expect(r.resolved.files[1]).toMatch(/main\/catalogue\/profiles\/aaa\.yaml$/);
    expect(aaa.resolved.checkIds).toContain('sshd-banner');
    expect(r.resolved.checkIds).toEqual(aaa.resolved.checkIds.filter((id) => id !== 'sshd-banner'));
    const clash = join(dir, 'clash.yaml');
    writeFileSync(clash, 'id: aaa\ntitle: Mine\nchecks: all\n');
    expect(message(() => chooseProfile(clash, cat, env))).toMatch(
      /clash\.yaml:1: field id: 'aaa' is already the id of a built-in profile/,
    );
    expect(message(() => chooseProfile('no-such-profile', cat, env))).toMatch(
      /^no profile 'no-such-profile' \(known: .*aaa/,
    );
    expect(message(() => chooseProfile(join(dir, 'missing.yaml'), cat, env))).toMatch(
      /missing\.yaml does not exist/,
    );
    // A user's own profile directory is read by id.
    mkdirSync(join(dir, 'data', 'foureyes', 'profiles'), { recursive: true });
    writeFileSync(
      join(dir, 'data', 'foureyes', 'profiles', 'quick.yaml'),
      'id: quick\ntitle: Quick\nchecks:\n  - { check: sshd-banner }\n',
    );
    expect(chooseProfile('quick', cat, env).resolved.checkIds).toEqual(['sshd-banner']);
    expect(message(() => chooseProfile('/etc/passwd', cat, env, { idOnly: true }))).toMatch(
      /give the id of a built-in profile/,
    );
  });

  it('benchmark profiles give the checks versioned references', () => {
    const p = parse(
      "id: b\ntitle: B\nbenchmark: cis-debian12\nversion: v1.1.0\nchecks:\n  - { section: '5.1.20', check: sshd-permit-root-login }\n  - { section: '5.1.21', check: sshd-permit-root-login }\n",
    );
    const refs = benchmarkReferences([p]);
    expect(refs.get('sshd-permit-root-login')).toEqual({
      'cis-debian12': ['v1.1.0 5.1.20', 'v1.1.0 5.1.21'],
    });
    const [c] = withBenchmarkReferences([cat.byId.get('sshd-permit-root-login')!], refs);
    expect(c?.references['cis-debian12']).toEqual(['v1.1.0 5.1.20', 'v1.1.0 5.1.21']);
  });
});
