/**
 * Secrets through the whole collector, under dash, bash and busybox: canary values planted in files of facts with
 * the registry's own secret rules never appear in the raw output (as text or decoded), while the facts still say
 * what a check needs (a value is set, mode, owner, a hash of key material). Then the restricted-sudo read path, as
 * `nobody` with a stand-in `sudo` that reads root-only files from a mirror: the same redaction there.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFacts } from '../../../main/collector/collect.js';
import { parseCollectorOutput } from '../../../main/collector/parse.js';
import type { FactRegistry } from '../../../main/collector/protocol.js';
import { buildCollectorScript } from '../../../main/collector/script.js';
import { LocalTransport } from '../../../main/transport/local.js';
import { FACTS, type FactDef } from '../../../shared/facts/registry.js';
import { REDACTED as R } from '../../../shared/facts/secrets.js';
import type { FactSnapshot, FileFact, FileSetFact } from '../../../shared/facts/snapshot.js';
import { canariesIn } from '../../support/canaries.js';
import { cleanupHelpers, HAS_SETPRIV, IS_ROOT, openTempDir, shellVariants } from './helpers.js';

const PEM = '-----BEGIN OPENSSH PRIVATE KEY-----\nCANARY_PEM\n-----END OPENSSH PRIVATE KEY-----\n';
const KEYTAB = Buffer.concat([Buffer.from([0x05, 0x02, 0, 0, 0, 0x30]), Buffer.from('CANARY_KEYTAB'), Buffer.alloc(8)]);

interface Tree {
  root: string;
  registry: FactRegistry;
  ids: string[];
}

function def(id: keyof typeof FACTS): FactDef {
  return FACTS[id] as FactDef;
}

/** Test facts with the registry's rules over files in `root` (sub-directory `d`). */
function plant(root: string, d: string, mode: number): Tree {
  const at = (name: string) => join(root, d, name);
  mkdirSync(join(root, d), { mode: 0o755 });
  const w = (name: string, body: string | Buffer) => writeFileSync(at(name), body, { mode });
  w('sssd.conf', '[domain/x]\nid_provider = ldap\nldap_default_authtok_type = password\nldap_default_authtok = CANARY1\n');
  w('nslcd.conf', 'uri ldap://ldap.example\nbinddn cn=proxy,dc=example\nbindpw CANARY2\n');
  w('ldap.conf', 'BASE dc=example\nrootbindpw CANARY3\n');
  w('ldap.secret', 'CANARY4\n');
  w('empty.secret', '');
  w('smb cred', 'username=svc\npassword=CANARY5\n');
  // Credentials in a directory only root may search: listed through sudo find when not root.
  mkdirSync(at('creds'), { mode: 0o700 });
  w('creds/backup', 'username=backup\npassword=CANARY8\n');
  w('plain.conf', 'setting = 1\n');
  w('krb5.keytab', KEYTAB);
  w('id_key', PEM);
  // The mount table is readable by everyone, as /etc/fstab is.
  writeFileSync(
    at('fstab'),
    `//srv/share /mnt cifs credentials=${at('smb\\040cred')},password=CANARY6 0 0\n//srv/b /b cifs cred=${at('creds/backup')} 0 0\n//srv/x /x cifs credentials=${at('gone')} 0 0\n`,
    { mode: 0o644 },
  );
  w('big.conf', `bindpw CANARY7\n${'# padding\n'.repeat(500)}`);
  const like = (id: keyof typeof FACTS, over: Partial<FactDef>): FactDef => ({ ...def(id), ...over }) as FactDef;
  const registry: FactRegistry = {
    ...FACTS,
    't.sssd': like('auth.sssd', { patterns: [at('sssd.conf')] } as Partial<FactDef>),
    't.ldap': like('auth.ldap', { patterns: [at('nslcd.conf'), at('ldap.conf')] } as Partial<FactDef>),
    't.secret': like('auth.secret_files', { patterns: [at('ldap.secret'), at('empty.secret')] } as Partial<FactDef>),
    't.smb': like('auth.smb_credentials', {
      patterns: [at('smb*'), at('creds/*')],
      namedIn: { table: at('fstab'), options: ['credentials', 'cred'] },
    } as Partial<FactDef>),
    't.keytabs': like('auth.keytabs', { patterns: [at('*.keytab')] } as Partial<FactDef>),
    't.fstab': like('fs.fstab', { path: at('fstab') } as Partial<FactDef>),
    // No rule: key material is still kept back, whatever fact reads it.
    't.plain': { kind: 'fileset', patterns: [at('id_key'), at('krb5.keytab'), at('plain.conf')], maxBytes: 4096, maxFiles: 4, description: 'no rule' },
    't.big': like('auth.ldap', { patterns: [at('big.conf')], maxBytes: 1024 } as Partial<FactDef>),
  };
  return { root, registry, ids: ['t.sssd', 't.ldap', 't.secret', 't.smb', 't.keytabs', 't.fstab', 't.plain', 't.big'] };
}

const set = (s: FactSnapshot, id: string) => s.facts[id] as FileSetFact;
const file = (s: FactSnapshot, id: string, i = 0) => set(s, id).files[i] as FileFact;
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** What every run must show, plain or through sudo. */
function expectSecretsKept(s: FactSnapshot, root: string, d: string): void {
  const sssd = file(s, 't.sssd');
  expect(sssd).toMatchObject({ secret: 'values', content: `[domain/x]\nid_provider = ldap\nldap_default_authtok_type = password\nldap_default_authtok = ${R}\n` });
  expect(sssd.sha256).toBeUndefined();
  expect(set(s, 't.ldap').files.map((f) => f.content)).toEqual([`uri ldap://ldap.example\nbinddn cn=proxy,dc=example\nbindpw ${R}\n`, `BASE dc=example\nrootbindpw ${R}\n`]);
  const [secret, empty] = set(s, 't.secret').files as [FileFact, FileFact];
  expect(secret).toMatchObject({ secret: 'file', exists: true, stat: { size: 1, mode: 0o600 } });
  expect(empty).toMatchObject({ secret: 'file', stat: { size: 0 } });
  expect(secret.content).toBeUndefined();
  expect(secret.sha256).toBeUndefined();
  const smb = set(s, 't.smb').files;
  // The patterns' matches first; the fstab references to them (with \040 for the blank) are not repeated; the
  // missing file fstab names is listed as absent.
  expect(smb.map((f) => [f.path, f.exists])).toEqual([
    [join(root, d, 'smb cred'), true],
    [join(root, d, 'creds/backup'), true],
    [join(root, d, 'gone'), false],
  ]);
  expect(smb[0]).toMatchObject({ secret: 'values', content: `username=svc\npassword=${R}\n` });
  expect(smb[1]).toMatchObject({ secret: 'values', content: `username=backup\npassword=${R}\n` });
  for (const f of smb) expect(f.sha256, f.path).toBeUndefined();
  const keytab = file(s, 't.keytabs');
  expect(keytab.content).toBeUndefined();
  const [key, tab, plain] = set(s, 't.plain').files as [FileFact, FileFact, FileFact];
  for (const f of [key, tab]) {
    expect(f, f.path).toMatchObject({ secret: 'key' });
    expect(f.content).toBeUndefined();
  }
  // A file without secrets, read whole (straight from the file, or through sudo): sent, and hashed by the
  // workstation from what arrived.
  expect(plain).toMatchObject({ content: 'setting = 1\n', sha256: sha('setting = 1\n') });
  expect(plain.secret).toBeUndefined();
  const big = file(s, 't.big');
  expect(big.contentTruncated).toBe(true);
  expect(big.content?.startsWith(`bindpw ${R}\n# padding\n`)).toBe(true);
}

let dir: string;
beforeAll(() => {
  dir = openTempDir('fe-secrets-run-');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  cleanupHelpers();
});

for (const v of shellVariants())
  describe.skipIf(v.missing !== undefined)(`secrets through the collector under ${v.name}${v.missing ? ` (skipped: ${v.missing})` : ''}`, () => {
    it('sends no canary; redacted values, key material and secret files are marked; hashes only of key material', async () => {
      const t = plant(dir, `plain-${v.name}`, 0o600);
      const { snapshot: s, run } = await collectFacts(new LocalTransport(v.opts), t.ids, { registry: t.registry });
      expect(run.stderr.toString()).toBe('');
      expect(s.complete, JSON.stringify(s.issues)).toBe(true);
      expect(canariesIn(run.stdout)).toEqual([]);
      expectSecretsKept(s, dir, `plain-${v.name}`);
      const fstab = s.facts['t.fstab'] as FileFact;
      expect(fstab.content).toContain(`,password=${R} 0 0\n`);
      expect(fstab.sha256).toBeUndefined();
      // Key material: stat and hash (readable here), never the content.
      const [key, keytab] = set(s, 't.plain').files as [FileFact, FileFact, FileFact];
      expect(key.sha256).toBe(sha(PEM));
      expect(keytab.sha256).toBe(sha(KEYTAB));
      expect(file(s, 't.keytabs').sha256).toBe(sha(KEYTAB));
    });
  });

// The restricted-sudo path: as nobody, the root-only files (0600) are read through a stand-in sudo that allows
// cat, stat and find and reads the same bytes from a mirror nobody may read. It logs every command it runs.
const FAKE_SUDO = `#!/bin/sh
[ "$1" = -n ] || exit 1
shift
if [ "$1" = -l ]; then
  shift
  if [ $# -eq 0 ]; then printf 'User nobody may run the following commands on t:\\n    (root) NOPASSWD: /usr/bin/cat, /usr/bin/stat, /usr/bin/find\\n'; exit 0; fi
  case $1 in cat | stat | find) printf '/usr/bin/%s\\n' "$*"; exit 0 ;; *) exit 1 ;; esac
fi
printf '%s\\n' "$*" >>"$FE_SUDO_LOG"
for a do
  shift
  case $a in "$FE_LOCKED"/*) a="$FE_MIRROR$\{a#"$FE_LOCKED"}" ;; esac
  set -- "$@" "$a"
done
# find prints the mirror's paths: as the locked ones, which is what a real sudo find shows.
case $1 in find) "$@" | sed "s|^$FE_MIRROR|$FE_LOCKED|"; exit 0 ;; esac
"$@"
`.replace('$\\{', '${');

describe.skipIf(!IS_ROOT || !HAS_SETPRIV)(`secrets through restricted sudo reads${IS_ROOT && HAS_SETPRIV ? '' : ' (skipped: needs root and setpriv)'}`, () => {
  for (const v of shellVariants()) {
    it.skipIf(v.missing !== undefined)(`under ${v.name}: the same redaction, read twice (look, then send), no hash of redacted content`, () => {
      const d = `sudo-${v.name}`;
      const t = plant(dir, d, 0o600);
      // The mirror: the same files, readable only through the stand-in (it runs as nobody too).
      const mirror = join(dir, `mirror-${v.name}`);
      const locked = join(dir, d);
      execFileSync('cp', ['-a', locked, mirror]);
      execFileSync('chmod', ['-R', 'a+rX', mirror]);
      const bin = join(dir, `bin-${v.name}`);
      mkdirSync(bin, { mode: 0o755 });
      writeFileSync(join(bin, 'sudo'), FAKE_SUDO, { mode: 0o755 });
      const log = join(dir, `sudo-${v.name}.log`);
      writeFileSync(log, '', { mode: 0o666 });
      chmodSync(log, 0o666);
      const built = buildCollectorScript(t.ids, { registry: t.registry, sudoReads: true });
      const [cmd = 'sh', ...args] = v.opts.shell ?? ['sh'];
      const basePath = v.opts.env?.PATH ?? process.env.PATH ?? '';
      // The machine's setpriv (busybox's has no --reuid), whatever PATH the variant uses.
      const setpriv = execFileSync('sh', ['-c', 'command -v setpriv']).toString().trim();
      const out = execFileSync(setpriv, ['--reuid=65534', '--regid=65534', '--clear-groups', '--', cmd, ...args, '-s'], {
        input: built.script,
        env: { ...process.env, ...v.opts.env, PATH: `${bin}:${basePath}`, FE_LOCKED: locked, FE_MIRROR: mirror, FE_SUDO_LOG: log },
      });
      expect(canariesIn(out)).toEqual([]);
      const s = parseCollectorOutput(out, { boundary: built.boundary, source: 'local', registry: t.registry });
      expect(s.complete, JSON.stringify(s.issues)).toBe(true);
      expect(s.privileged).toBe(false);
      expect(s.sudo?.commands).toContain(`/usr/bin/cat ${join(locked, 'sssd.conf')}`);
      expectSecretsKept(s, dir, d);
      // Through sudo the workstation hashes what arrived whole, never a redacted content.
      expect(file(s, 't.sssd').sha256).toBeUndefined();
      // Key material: the sudo read looked and sent nothing; no hash (maxBytes 0 facts are never read).
      expect(file(s, 't.plain').secret).toBe('key');
      const ran = readFileSync(log, 'utf8').trim().split('\n');
      const reads = (name: string) => ran.filter((l) => l === `cat ${join(locked, name)}`).length;
      expect(reads('sssd.conf')).toBe(2);
      expect(reads('id_key')).toBe(1);
      // Listed through sudo find and named in fstab: read once to look, once to send, not twice over.
      expect(reads('creds/backup')).toBe(2);
      expect(ran).toContain(`find ${join(locked, 'creds')} -mindepth 1 -maxdepth 1 -name *`);
      // The keytab is looked at once for the fact without a rule, never for the stat-only one; a secret file is
      // never read at all, not even through sudo.
      expect(reads('krb5.keytab')).toBe(1);
      expect(ran.filter((l) => l.endsWith('.secret'))).toEqual([]);
    });
  }
});
