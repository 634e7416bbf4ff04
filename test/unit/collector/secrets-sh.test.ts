/**
 * The collector's secret handling on the target, function by function, under dash, bash and busybox (busybox's
 * own awk, grep, tr and head): `_red` on hostile key/value and mount-option lines, `_sniff` on private key
 * material, `_ssz` on a secret file's stat. No canary value may come out of `_red`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCRIPT_LIB } from '../../../main/collector/script-lib.js';
import { SUDO_LIB } from '../../../main/collector/script-sudo.js';
import { shQuote } from '../../../main/collector/sh-quote.js';
import { FACTS } from '../../../shared/facts/registry.js';
import { keysRegex, REDACTED as R, type SecretRule } from '../../../shared/facts/secrets.js';
import { cleanupHelpers, openTempDir, shellVariants, type ShellVariant } from './helpers.js';

const dir = openTempDir('fe-secrets-sh-');
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  cleanupHelpers();
});

let seq = 0;
/** Runs `body` after the collector's library and `_init`, with `input` in the file "$IN". */
function run(v: ShellVariant, body: string, input: Buffer | string = ''): Buffer {
  const inFile = join(dir, `in-${seq++}`);
  writeFileSync(inFile, input);
  const script = ['B=' + 'ab'.repeat(16), 'TMO=0', 'SR=0', SCRIPT_LIB, SUDO_LIB, '_init', `IN=${shQuote(inFile)}`, body].join('\n');
  const [cmd = 'sh', ...args] = v.opts.shell ?? ['sh'];
  return execFileSync(cmd, [...args, '-c', script], { env: v.opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
}

function ruleVars(rule: SecretRule): string {
  if (rule.kind === 'file') return '_XM=file';
  const keep = rule.kind === 'keys' && rule.keep ? ` _XX=${shQuote(keysRegex(rule.keep))}` : '';
  return `_XM=${rule.kind} _XK=${shQuote(keysRegex(rule.keys))}${keep}`;
}

const rule = (id: keyof typeof FACTS): SecretRule => {
  const d = FACTS[id];
  if (!('secrets' in d) || !d.secrets) throw new Error(`${id} has no secret rule`);
  return d.secrets;
};

// [input, expected output] as byte strings (latin1): every CANARY must go.
const SSSD: [string, string][] = [
  ['ldap_default_authtok = CANARY1\n', `ldap_default_authtok = ${R}\n`],
  ['  ldap_default_authtok\t=\tCANARY2 with blanks = and more\n', `  ldap_default_authtok\t=\t${R}\n`],
  ['LDAP_Default_AuthTok=CANARY3\r\n', `LDAP_Default_AuthTok=${R}\r\n`],
  ['# ldap_default_authtok = CANARY4 (the old one)\n', `# ldap_default_authtok = ${R}\n`],
  [';ldap_default_authtok: CANARY5\n', `;ldap_default_authtok: ${R}\n`],
  ['ldap default authtok = CANARY6\n', `ldap default authtok = ${R}\n`],
  ['ad_machine_password = CANARY7\n  CANARY8 continued\n\tCANARY9\nnext = 1\n', `ad_machine_password = ${R}\n  ${R}\n\t${R}\nnext = 1\n`],
  ['ldap_default_authtok_type = obfuscated_password\n', 'ldap_default_authtok_type = obfuscated_password\n'],
  ['krb5_store_password_if_offline = True\n', 'krb5_store_password_if_offline = True\n'],
  ['ldap_default_authtok =\nldap_default_authtok =   \r\n', 'ldap_default_authtok =\nldap_default_authtok =   \r\n'],
  ['ldap_default_authtok = "CANARY10 quoted"\n', `ldap_default_authtok = ${R}\n`],
  ['ldap_default_authtok = CAN\u0000ARY11\n', `ldap_default_authtok = ${R}\n`],
  // A UTF-8 byte order mark before the first key (the cases are byte strings: latin1).
  ['\u00ef\u00bb\u00bfldap_default_authtok = CANARY12\n', `\u00ef\u00bb\u00bfldap_default_authtok = ${R}\n`],
  ['[domain/x]\nid_provider = ldap\nldap_default_authtok = CANARY13', `[domain/x]\nid_provider = ldap\nldap_default_authtok = ${R}\n`],
];

const LDAP: [string, string][] = [
  ['bindpw CANARY21\n', `bindpw ${R}\n`],
  ['BindPW\t\tCANARY22 pass=word # trailing\r\n', `BindPW\t\t${R}\r\n`],
  ['   rootbindpw   CANARY23=x\n', `   rootbindpw   ${R}\n`],
  ['#bindpw CANARY24\n', `#bindpw ${R}\n`],
  ['rootpwmodpw CANARY25\n', `rootpwmodpw ${R}\n`],
  ['binddn cn=proxy,dc=example,dc=com\nbindpw\nbase dc=example\n', 'binddn cn=proxy,dc=example,dc=com\nbindpw\nbase dc=example\n'],
  ['bindpw \u00ff\u00feCANARY26\n', `bindpw ${R}\n`],
];

const FSTAB: [string, string][] = [
  ['//srv/share /mnt cifs username=bob,password=CANARY31,uid=0 0 0\n', `//srv/share /mnt cifs username=bob,password=${R},uid=0 0 0\n`],
  ['//s/x /m cifs user=a,PASSWORD=CANARY32,pass=CANARY33\r\n', `//s/x /m cifs user=a,PASSWORD=${R},pass=${R}\r\n`],
  ['#//s/x /m cifs password2=CANARY34 0 0\n', `#//s/x /m cifs password2=${R} 0 0\n`],
  ['//s/x /m cifs opt=password=CANARY35,vers=3\n', `//s/x /m cifs opt=password=${R},vers=3\n`],
  ['//s/x /m cifs credentials=/etc/samba/cred,password=\n', '//s/x /m cifs credentials=/etc/samba/cred,password=\n'],
  ['/dev/sda1 / ext4 errors=remount-ro,xpassword=kept 0 1\n', '/dev/sda1 / ext4 errors=remount-ro,xpassword=kept 0 1\n'],
];

const SMB: [string, string][] = [
  ['username=bob\npassword=CANARY41\ndomain=EXAMPLE\n', `username=bob\npassword=${R}\ndomain=EXAMPLE\n`],
  ['Password = CANARY42 =x\r\npass=CANARY43\n', `Password = ${R}\r\npass=${R}\n`],
];

const CASES: [string, SecretRule, [string, string][]][] = [
  ['sssd.conf (auth.sssd)', rule('auth.sssd'), SSSD],
  ['nslcd.conf and ldap.conf (auth.ldap)', rule('auth.ldap'), LDAP],
  ['fstab mount options (fs.fstab)', rule('fs.fstab'), FSTAB],
  ['SMB credential files (auth.smb_credentials)', rule('auth.smb_credentials'), SMB],
];

const PEM = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';

for (const v of shellVariants())
  describe.skipIf(v.missing !== undefined)(`secrets on the target under ${v.name}${v.missing ? ` (skipped: ${v.missing})` : ''}`, () => {
    for (const [what, r, cases] of CASES) {
      it(`_red: ${what}, hostile lines`, () => {
        const input = cases.map(([i]) => i).join('');
        const expected = cases.map(([, o]) => o).join('');
        const out = run(v, `${ruleVars(r)}; _red <"$IN"`, Buffer.from(input, 'latin1'));
        expect(out.toString('latin1')).toBe(expected);
        expect(out.toString('latin1')).not.toContain('CANARY');
      });

      it(`_red: ${what}, one line at a time`, () => {
        for (const [i, o] of cases) {
          const out = run(v, `${ruleVars(r)}; _red <"$IN"`, Buffer.from(i, 'latin1')).toString('latin1');
          expect(out, JSON.stringify(i)).toBe(o);
        }
      });
    }

    it('_red: a value of 100,000 bytes on one line', () => {
      const out = run(v, `${ruleVars(rule('auth.ldap'))}; _red <"$IN"`, `bindpw ${'CANARY'.repeat(16_667)}\nuri ldap://x\n`);
      expect(out.toString()).toBe(`bindpw ${R}\nuri ldap://x\n`);
    });

    it('_sniff: private key material anywhere, keytabs by their first bytes; plain text passes', () => {
      const status = (input: Buffer | string, vars = '') => run(v, `${vars} _sniff <"$IN"; echo $?`, input).toString().trim();
      expect(status(PEM)).toBe('1');
      expect(status('-----BEGIN RSA PRIVATE KEY-----\nMIIE\n')).toBe('1');
      expect(status('-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIE\n')).toBe('1');
      expect(status(`-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n${PEM.replace('OPENSSH ', 'EC ')}`)).toBe('1');
      expect(status('PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n')).toBe('1');
      expect(status(Buffer.from([0x05, 0x02, 0, 0, 0, 0x40, 0x43, 0x41, 0x4e]))).toBe('1');
      expect(status(Buffer.from([0x05, 0x01, 0, 0x0a]))).toBe('1');
      expect(status('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')).toBe('0');
      expect(status('[sssd]\nservices = nss, pam\n')).toBe('0');
      expect(status('')).toBe('0');
      // A fact with a rule and no awk to apply it: not sent.
      expect(status('bindpw x\n', '_XM=keys AW=;')).toBe('2');
    });

    it('_k_fileset: one grep and one stat for all its files give each what it gets alone', () => {
      const d = join(dir, `set-${seq++}`);
      mkdirSync(join(d, 'sub'), { recursive: true });
      const files: Record<string, Buffer | string> = {
        'plain.conf': 'PermitRootLogin no\n',
        'key.pem': PEM,
        'nl\nkey.pem': PEM,
        'nl\nplain.conf': 'x\n',
        'tab.keytab': Buffer.from([0x05, 0x02, 0, 0, 0, 0x40]),
        "sp 'q' $(x).conf": 'y = 1\n',
        'empty.conf': '',
      };
      for (const [name, body] of Object.entries(files)) writeFileSync(join(d, name), body);
      execFileSync('mkfifo', [join(d, 'fifo')]);
      // What each file gets through the fileset (the grep for all) and through _k_file (one _sniff each).
      const verdicts = (body: string) => {
        const out = run(v, body).toString();
        const got: string[] = [];
        for (const line of out.split('\n')) {
          const m = /^ab+(?:ab)* (withheld|content|absent) x/.exec(line.replace(/^(ab)+/, 'ab'));
          if (m) got.push(m[1] as string);
        }
        return got;
      };
      const names = Object.keys(files).sort();
      const one = names.map((n) => verdicts(`_k_file x 4096 ${shQuote(join(d, n))}`).join(','));
      const all = verdicts(`_k_fileset x 4096 100 ${shQuote(join(d, '*'))}`);
      expect(one).toEqual(names.map((n) => (/key|keytab/.test(n) ? 'withheld' : 'content')));
      expect(all.filter((w) => w === 'withheld')).toHaveLength(3);
      expect(all.filter((w) => w === 'content')).toHaveLength(4);
      expect(all).toHaveLength(7);
      // Only the two names with a newline (which grep -l cannot list) are looked at one by one.
      const counted = run(v, `_sniff() { echo ONE-BY-ONE >&3; return 0; }; _k_fileset x 4096 100 ${shQuote(join(d, '*'))} 3>&1 >/dev/null`);
      expect(counted.toString().match(/ONE-BY-ONE/g)).toHaveLength(2);
      // One stat for the regular files, and one each for the two names with a newline, the FIFO and sub/.
      const stats = run(v, `stat() { echo ONE-STAT >&3; command stat "$@"; }; _k_fileset x 4096 100 ${shQuote(join(d, '*'))} 3>&1 >/dev/null`);
      expect(stats.toString().match(/ONE-STAT/g)).toHaveLength(5);
      // The same frames as stat'ed one by one.
      const byOne = run(v, `_sniffs() { wsb= wsh= wsp=; }; _k_fileset x 4096 100 ${shQuote(join(d, '*'))}`);
      expect(run(v, `_k_fileset x 4096 100 ${shQuote(join(d, '*'))}`).toString('latin1')).toBe(byOne.toString('latin1'));
      expect(run(v, `_k_fileset x 4096 100 ${shQuote(join(d, '*'))}`).toString()).not.toContain(
        Buffer.from(PEM).toString('base64').slice(0, 16),
      );
    });

    it('_ssz: a secret file\'s stat keeps mode and owner, its size only as 0 or 1', () => {
      const ssz = (text: string) => run(v, `_ssz ${shQuote(text)}`).toString();
      expect(ssz('81a0 600 0 0 13\nroot\nroot')).toBe('81a0 600 0 0 1\nroot\nroot\n');
      expect(ssz('81a0 600 0 0 0\nroot\nroot')).toBe('81a0 600 0 0 0\nroot\nroot\n');
      expect(ssz('')).toBe('');
    });
  });
