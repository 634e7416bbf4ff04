import { describe, expect, it } from 'vitest';
import type { Check } from '../../../shared/checks/schema.js';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { evaluateCheck } from '../../../main/engine/evaluate.js';
import { snap } from './fixtures/build.js';

const base = loadCatalogue().byId.get('password-policy-max-days') as Check;
const restricted: Check = { ...base, id: 'only-rhel', platforms: ['rhel-family'] };
const DEFS = { 'accounts.login_defs': 'PASS_MAX_DAYS 90\n' };

describe('platforms', () => {
  it('a check restricted to another platform is not applicable, with the host platform in the reason', () => {
    const r = evaluateCheck(snap({ os: 'debian', files: DEFS }), restricted);
    expect(r.verdict).toBe('not_applicable');
    expect(r.reason).toContain('host is debian');
  });

  it('the same check runs on a matching platform', () => {
    expect(evaluateCheck(snap({ os: 'rhel', files: DEFS }), restricted).verdict).toBe('pass');
  });

  it('unknown or missing os-release: restricted checks are not applicable, unrestricted ones still run', () => {
    for (const os of ['alpine', 'none'] as const) {
      const r = evaluateCheck(snap({ os, files: DEFS }), restricted);
      expect(r.verdict).toBe('not_applicable');
      expect(r.reason).toMatch(/platform could not be determined/);
      expect(evaluateCheck(snap({ os, files: DEFS }), base).verdict).toBe('pass');
    }
  });

  it('by_platform picks the platform case; ubuntu uses the debian case', () => {
    const check = loadCatalogue().byId.get('logging-auth-log') as Check;
    const debianLog = '/var/log/auth.log|1|640|root|adm|1\n';
    const rhelLog = '/var/log/secure|1|600|root|root|1\n';
    expect(evaluateCheck(snap({ os: 'ubuntu', cmds: { 'log.files': debianLog } }), check).verdict).toBe(
      'pass',
    );
    expect(evaluateCheck(snap({ os: 'ubuntu', cmds: { 'log.files': rhelLog } }), check).verdict).toBe('fail');
    expect(evaluateCheck(snap({ os: 'rhel', cmds: { 'log.files': rhelLog } }), check).verdict).toBe('pass');
    const alpine = evaluateCheck(snap({ os: 'alpine', cmds: { 'log.files': rhelLog } }), check);
    expect(alpine.verdict).toBe('not_applicable');
    expect(alpine.reason).toMatch(/no rule for platform/);
  });
});

describe('platform inside combinators', () => {
  it('a by_platform rule without a case makes the whole check not applicable, even inside `all`', () => {
    const check = loadCatalogue().byId.get('password-policy-faillock') as Check;
    // deny in faillock.conf alone would satisfy the other two conditions of the `all`.
    const r = evaluateCheck(
      snap({ os: 'alpine', files: { 'pam.faillock': 'deny = 3\n' }, sets: { 'pam.files': {} } }),
      check,
    );
    expect(r.verdict).toBe('not_applicable');
    expect(r.reason).toMatch(/no rule for platform unrecognised distribution \(ID=alpine\)/);
  });
});
