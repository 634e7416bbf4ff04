import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  builtinCatalogueDir,
  CATALOGUE_DIR_ENV,
  checkDigest,
  factsNeeded,
  loadCatalogue,
} from '../../../main/catalogue/load.js';
import { KNOWN_AREAS } from '../../../shared/checks/schema.js';
import { FoureyesError } from '../../../shared/model/errors.js';

const tmp = mkdtempSync(join(tmpdir(), 'foureyes-catalogue-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
function pack(files: Record<string, unknown>): string {
  const dir = join(tmp, `pack${n++}`);
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, name), typeof content === 'string' ? content : stringify(content));
  return dir;
}
const good = (over: Record<string, unknown> = {}) => ({
  id: 'site-ip-forward',
  title: 'IP forwarding is off',
  family: 'hardening',
  area: 'sysctl',
  severity: 'low',
  rationale: 'Site policy.',
  references: { nist_800_53: ['CM-7'] },
  rule: { type: 'sysctl', key: 'net.ipv4.ip_forward', op: 'eq', value: 0 },
  remediation: { text: 'Turn it off.' },
  ...over,
});

function loadError(dir: string): FoureyesError {
  try {
    loadCatalogue([dir]);
  } catch (e) {
    if (e instanceof FoureyesError) return e;
    throw e;
  }
  throw new Error('expected the catalogue to be rejected');
}

describe('built-in catalogue', () => {
  const cat = loadCatalogue();

  it('loads and validates, with at least 300 checks across the required areas', () => {
    expect(cat.checks.length).toBeGreaterThanOrEqual(300);
    const areas = new Set(cat.checks.map((c) => c.area));
    for (const a of [
      'sshd',
      'accounts',
      'password-policy',
      'sudo',
      'services',
      'filesystem',
      'firewall',
      'sysctl',
      'audit',
      'logging',
      'central-auth',
      'time',
    ])
      expect(areas).toContain(a);
    for (const a of areas) expect(KNOWN_AREAS as readonly string[]).toContain(a);
  });

  it('every check has a rationale, NIST references and a remediation with text, impact, shell and Ansible', () => {
    for (const c of cat.checks) {
      expect(c.rationale.length, c.id).toBeGreaterThan(20);
      expect(c.references.nist_800_53?.length ?? 0, c.id).toBeGreaterThan(0);
      expect(c.remediation.text.length, c.id).toBeGreaterThan(10);
      expect(c.remediation.impact?.length ?? 0, `${c.id}: remediation.impact`).toBeGreaterThan(10);
      // An attestation is fixed by people, not on the host: prose and its impact only; it reads no fact.
      if (c.rule.type === 'attestation') {
        expect(c.facts, c.id).toEqual([]);
        continue;
      }
      expect(c.remediation.shell, c.id).toBeTruthy();
      expect(c.remediation.ansible, c.id).toBeTruthy();
      expect(c.facts.length, c.id).toBeGreaterThan(0);
    }
  });

  it('ids are slugs, never section numbers; CIS numbers only appear as references', () => {
    for (const c of cat.checks) {
      expect(c.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      for (const ref of c.references.cis ?? []) expect(ref).toMatch(/^\d+(\.\d+)*$/);
    }
  });

  it('has a version and stable per-check digests', () => {
    expect(cat.version).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
    const c = cat.byId.get('sshd-permit-root-login')!;
    expect(cat.digest(c.id)).toMatch(/^[0-9a-f]{64}$/);
    expect(cat.digest(c.id)).toBe(loadCatalogue().digest(c.id));
    expect(checkDigest({ ...c, severity: 'low' })).not.toBe(cat.digest(c.id));
    expect(() => cat.digest('no-such-check')).toThrow(FoureyesError);
  });

  it('factsNeeded is the union of the facts read, plus the host facts', () => {
    const only = [cat.byId.get('sshd-permit-root-login')!, cat.byId.get('sysctl-aslr-full')!];
    expect(factsNeeded(only)).toEqual([
      'host.id',
      'host.os_release',
      'host.package_manager',
      'sshd.config',
      'sshd.effective',
      'sysctl.config',
      'sysctl.kernel',
    ]);
    expect(factsNeeded(cat.checks).length).toBeGreaterThan(30);
  });
});

describe('user check packs', () => {
  it('are loaded after the built-in checks and change the catalogue version', () => {
    const cat = loadCatalogue([pack({ 'site.yaml': [good()] })]);
    expect(cat.byId.get('site-ip-forward')?.facts).toEqual(['sysctl.config', 'sysctl.net']);
    expect(cat.checks.at(-1)?.id).toBe('site-ip-forward');
    expect(cat.version).not.toBe(loadCatalogue().version);
    expect(cat.sources).toHaveLength(2);
  });

  it('an empty file or a comment-only file is an empty list', () => {
    expect(loadCatalogue([pack({ 'a.yaml': '', 'b.yml': '# nothing yet\n' })]).checks.length).toBe(
      loadCatalogue().checks.length,
    );
  });
});

describe('invalid check files name the file, the check id and the field', () => {
  const cases: [string, unknown, RegExp][] = [
    ['bad enum', [good({ severity: 'urgent' })], /check 'site-ip-forward': field severity: Invalid option/],
    [
      'typo in a field name',
      [good({ severty: 'low' })],
      /check 'site-ip-forward': field severty: unknown field/,
    ],
    ['section number as id', [good({ id: '5.2.7' })], /check '5\.2\.7': field id: kebab-case slug expected/],
    [
      'unknown fact id in a rule',
      [
        good({
          rule: {
            type: 'all',
            rules: [{ type: 'lines', fact: 'ssh.config', pattern: 'x', expect: 'present' }],
          },
        }),
      ],
      /field rule\.rules\[0\]\.fact: unknown fact id 'ssh\.config'/,
    ],
    [
      'unknown fact id in facts',
      [good({ facts: ['pam.files', 'pam.nothing'] })],
      /field facts\[1\]: unknown fact id 'pam\.nothing'/,
    ],
    [
      'unknown evaluator',
      [good({ rule: { type: 'evaluator', name: 'does_not_exist' } })],
      /field rule\.name: unknown evaluator 'does_not_exist'/,
    ],
    [
      'bad evaluator parameter',
      [
        good({
          rule: { type: 'evaluator', name: 'accounts_unique', params: { database: 'shadow', field: 'id' } },
        }),
      ],
      /field rule\.params\.database: Invalid option/,
    ],
    [
      'invalid regular expression',
      [good({ rule: { type: 'lines', fact: 'pam.files', pattern: 'pam_(sss', expect: 'present' } })],
      /field rule\.pattern: invalid regular expression/,
    ],
    [
      'sysctl key the collector does not gather',
      [good({ rule: { type: 'sysctl', key: 'net.ipv4.conf.eth0.forwarding', op: 'eq', value: 0 } })],
      /field rule\.key: sysctl key 'net\.ipv4\.conf\.eth0\.forwarding' is not collected by fact sysctl\.net/,
    ],
    [
      'Ansible task that is not YAML',
      [good({ remediation: { text: 't', ansible: '- name: x\n  a: [unclosed' } })],
      /field remediation\.ansible: not valid YAML/,
    ],
    [
      'unknown rule type',
      [good({ rule: { type: 'regex', fact: 'pam.files' } })],
      /field rule\.type: Invalid discriminator/,
    ],
    ['missing required field', [{ ...good(), title: undefined }], /field title: /],
    ['check without an id', [{ ...good(), id: undefined }], /check '#1': field id/],
  ];
  for (const [name, content, re] of cases) {
    it(name, () => {
      const dir = pack({ 'site.yaml': content });
      const e = loadError(dir);
      expect(e.code).toBe('bad_input');
      expect(e.message).toContain(join(dir, 'site.yaml'));
      expect(e.message).toMatch(re);
    });
  }

  it('duplicate ids across files name both files', () => {
    const dir = pack({ 'a.yaml': [good()], 'b.yaml': [good()] });
    expect(loadError(dir).message).toMatch(
      /b\.yaml: check 'site-ip-forward': field id: duplicate id, already defined in .*a\.yaml/,
    );
  });

  it('a user check may not reuse a built-in id', () => {
    expect(loadError(pack({ 'a.yaml': [good({ id: 'sshd-permit-root-login' })] })).message).toMatch(
      /duplicate id, already defined in .*sshd\.yaml/,
    );
  });

  it('YAML syntax errors and a non-list top level name the file', () => {
    expect(loadError(pack({ 'a.yaml': '- id: x\n  title: [unclosed\n' })).message).toMatch(
      /a\.yaml: not valid YAML/,
    );
    expect(loadError(pack({ 'a.yaml': 'id: x\n' })).message).toMatch(/a\.yaml: expected a list of checks/);
  });

  it('a missing pack directory is a bad_input error', () => {
    expect(loadError(join(tmp, 'nope')).message).toMatch(/does not exist/);
  });
});

describe('catalogue directory', () => {
  it('honours FOUREYES_CATALOGUE_DIR and rejects a non-directory', () => {
    const dir = pack({ 'only.yaml': [good()] });
    expect(builtinCatalogueDir({ [CATALOGUE_DIR_ENV]: dir })).toBe(dir);
    expect(
      loadCatalogue([], { builtinDir: builtinCatalogueDir({ [CATALOGUE_DIR_ENV]: dir }) }).checks.map(
        (c) => c.id,
      ),
    ).toEqual(['site-ip-forward']);
    expect(() => builtinCatalogueDir({ [CATALOGUE_DIR_ENV]: join(dir, 'only.yaml') })).toThrow(
      /is not a directory/,
    );
  });

  it('finds the source tree beside the module when running from source', () => {
    expect(builtinCatalogueDir({})).toMatch(/main[/\\]catalogue[/\\]checks$/);
  });
});
