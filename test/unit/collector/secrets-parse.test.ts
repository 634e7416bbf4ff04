/** The workstation side of secrets: `withheld` frames, hashes never kept for a fact with a rule, registry rules sane. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseCollectorOutput } from '../../../main/collector/parse.js';
import { buildCollectorScript, withSecrets } from '../../../main/collector/script.js';
import { FACTS, type FactDef } from '../../../shared/facts/registry.js';
import { keysRegex, REDACTED, redactedLines } from '../../../shared/facts/secrets.js';
import type { FileFact, FileSetFact } from '../../../shared/facts/snapshot.js';
import { canariesIn } from '../../support/canaries.js';

const B = 'cd'.repeat(16);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const SHA = 'a'.repeat(64);

function parse(id: string, body: string[]) {
  const kind = (FACTS[id as keyof typeof FACTS] as FactDef).kind;
  const lines = [`${B} foureyes-collector 1 b64 ${id}`, `${B} begin ${id} ${kind}`, ...body, '', `${B} end ${id} 0`, `${B} done`, ''];
  return parseCollectorOutput(Buffer.from(lines.join('\n')), { boundary: B, source: 'import' });
}

const entry = (path: string, size = 10) => [`${B} entry x`, b64(path), `${B} stat x`, b64(`81a4 644 0 0 ${size}\nroot\nroot\n`)];
const withId = (id: string, l: string[]) => l.map((x) => x.replace(` x`, ` ${id}`));

describe('secrets in parsed collector output', () => {
  it('withheld key material: no content, marked key, the hash kept', () => {
    const s = parse('pam.files', withId('pam.files', [...entry('/etc/pam.d/k'), `${B} sha x ${SHA}`, `${B} withheld x key`]));
    const f = (s.facts['pam.files'] as FileSetFact).files[0];
    expect(s.complete).toBe(true);
    expect(f).toMatchObject({ secret: 'key', sha256: SHA, exists: true });
    expect(f?.content).toBeUndefined();
  });

  it('withheld unchecked: an error, so no check reads an empty content as the file', () => {
    const s = parse('auth.ldap', withId('auth.ldap', [...entry('/etc/nslcd.conf'), `${B} withheld x unchecked`]));
    expect((s.facts['auth.ldap'] as FileSetFact).files[0]).toMatchObject({ secret: 'unchecked', problem: 'error' });
  });

  it('a malformed withheld, or content after it, damages the frame', () => {
    const bad = parse('pam.files', withId('pam.files', [...entry('/etc/pam.d/k'), `${B} withheld x maybe`]));
    expect(bad.facts['pam.files']).toMatchObject({ problem: 'error', detail: 'damaged frame: malformed "withheld"' });
    const both = parse('pam.files', withId('pam.files', [...entry('/etc/pam.d/k'), `${B} withheld x key`, `${B} content x`, b64('-----BEGIN')]));
    expect(both.facts['pam.files']).toMatchObject({ problem: 'error' });
  });

  it('a fact with a rule keeps no hash, whoever sent one; redacted content is cut by the file size; a secret file is marked', () => {
    const s = parse('fs.fstab', withId('fs.fstab', [...entry('/etc/fstab', 70_000), `${B} sha x ${SHA}`, `${B} content x`, b64(`//s/x /m cifs password=${REDACTED} 0 0\n`)]));
    const f = s.facts['fs.fstab'] as FileFact;
    expect(f).toMatchObject({ secret: 'values', contentTruncated: true });
    expect(f.sha256).toBeUndefined();
    expect(redactedLines(f.content ?? '')).toEqual([{ line: 1, text: `//s/x /m cifs password=${REDACTED} 0 0` }]);
    const sec = parse('auth.secret_files', withId('auth.secret_files', [...entry('/etc/ldap.secret', 1), `${B} sha x ${SHA}`]));
    const sf = (sec.facts['auth.secret_files'] as FileSetFact).files[0];
    expect(sf).toMatchObject({ secret: 'file', stat: { size: 1 } });
    expect(sf?.sha256).toBeUndefined();
  });

  it('registry rules: key globs become plain EREs; a secret file keeps no content; namedIn is checked', () => {
    expect(keysRegex(['bindpw', '*_password', 'a.b'])).toBe('^(bindpw|.*_password|a[.]b)$');
    expect(() => keysRegex(['Bind\\pw'])).toThrow(/lower-case/);
    for (const [id, d] of Object.entries(FACTS) as [string, FactDef][]) {
      if ((d.kind === 'file' || d.kind === 'fileset') && d.secrets?.kind === 'file') expect(d.maxBytes, id).toBe(0);
    }
    const file: FactDef = { kind: 'fileset', patterns: ['/x'], maxBytes: 10, maxFiles: 1, secrets: { kind: 'file' }, description: 'x' };
    expect(() => withSecrets(file, '_fact')).toThrow(/maxBytes 0/);
    const named: FactDef = { kind: 'fileset', patterns: ['/x'], maxBytes: 10, maxFiles: 1, namedIn: { table: 'fstab', options: ['credentials'] }, description: 'x' };
    expect(() => withSecrets(named, '_fact')).toThrow(/absolute/);
    const s = buildCollectorScript(['auth.sssd', 'pam.files']).script;
    expect(s).toContain("_XM=keys _XK='^(.*authtok.*|.*_password)$' _XX='^(.*authtok_type)$'; _fact fileset auth.sssd ");
    expect(s).toMatch(/\n {2}_P=\d+; _fact fileset pam\.files /);
  });
});

describe('the canary detector the secret tests rely on', () => {
  it('finds a canary as text, and inside a base64 or od field even where the line break cuts it', () => {
    // 57 bytes per base64 line: the canary starts at byte 50 and so crosses the first line break.
    const secret = Buffer.from(`${'x'.repeat(50)}CANARYSPLIT9${'y'.repeat(40)}\n`);
    const b64Field = execFileSync('base64', { input: secret });
    expect(b64Field.toString().split('\n')[0]).not.toMatch(/CANARY/);
    expect(canariesIn(Buffer.concat([Buffer.from(`${B} content x\n`), b64Field, Buffer.from(`${B} end x 0\n`)]))).toEqual(['CANARYSPLIT9']);
    // od writes 16 bytes per line.
    expect(canariesIn(execFileSync('od', ['-An', '-v', '-tx1'], { input: secret }))).toEqual(['CANARYSPLIT9']);
    expect(canariesIn(Buffer.from('{"content":"bindpw CANARYJSON1"}'))).toEqual(['CANARYJSON1']);
    expect(canariesIn(Buffer.from(`bindpw ${REDACTED}\n${b64('bindpw [REDACTED]\n')}\n`))).toEqual([]);
  });
});
