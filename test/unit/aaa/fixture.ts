/** A snapshot of an IPA-enrolled host with local leftovers, a directory sudo group and an account whose name holds an escape. */
import { scenarioSnapshot } from '../../../main/catalogue/scenario.js';

export const RSA1024 =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDij1zTo4Ifgpb1ZhWyHtFzpGxzrTp85kbl4IR5rswVLDVcZC8Eu16Gx7XxxXlk6PDnREbIe7XDZkUkJjuNdpMSE+FJmrvquSHUfgBBvAZrmnyf6Z7PxDWfu++PFaUmjyuSvi4gxdB4Hw6yDK9O3P3rt76zYQELn5zKCXs86GlD3Q== old@laptop';
export const ED25519 =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINJKSdFg/Lg8ak/Mrv3Orp8ujOZvyiN3ya3DJaVveU0M alice@ws';

export const snapshot = scenarioSnapshot({
  files: {
    'auth.nsswitch': 'passwd: files sss\ngroup: files sss\nsudoers: files sss\n',
    'auth.ipa': '[global]\nrealm = EXAMPLE.TEST\ndomain = example.test\nserver = ipa1.example.test\n',
    'accounts.passwd':
      'root:x:0:0:root:/root:/bin/bash\n' +
      'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n' +
      'ops:x:1001:1001::/home/ops:/bin/bash\n' +
      'old:x:1002:1002::/home/old:/bin/bash\n' +
      'ev\x1bil:x:1003:1003::/home/evil:/bin/sh\n' +
      'toor:x:0:0::/root2:/bin/bash\n',
    'accounts.group': 'root:x:0:\nsudo:x:27:ops\nops:x:1001:\nold:x:1002:\nwheel:x:10:old\n',
    'accounts.login_defs': 'UID_MIN 1000\n',
  },
  sets: {
    'auth.krb5': { '/etc/krb5.conf': '[libdefaults]\n  default_realm = EXAMPLE.TEST\n' },
    'auth.sssd': {
      '/etc/sssd/sssd.conf':
        '[sssd]\ndomains = example.test\n[domain/example.test]\nid_provider = ipa\nauth_provider = ipa\naccess_provider = ipa\n',
    },
    'sshd.authorized_keys': {
      '/home/ops/.ssh/authorized_keys': `${ED25519}\n`,
      '/home/old/.ssh/authorized_keys': `${RSA1024}\n`,
    },
    'sudo.sudoers': {
      '/etc/sudoers':
        'Defaults use_pty\nroot ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n',
      '/etc/sudoers.d/ops':
        'User_Alias ADMINS = old\nADMINS ALL=(root) NOPASSWD: ALL\n%admins@example.test ALL=(root) /usr/bin/systemctl restart *\n',
    },
    'pam.files': {
      '/etc/pam.d/sshd': 'auth required pam_google_authenticator.so\n@include common-auth\n',
      '/etc/pam.d/common-auth': 'auth [success=2 default=ignore] pam_sss.so\nauth required pam_unix.so\n',
    },
  },
  cmds: {
    'accounts.shadow':
      'root:locked:19000:0:99999:7:::\ndaemon:locked:19000:0:99999:7:::\nops:locked:19000:0:99999:7:::\nold:hash:19000:0:::::\nev\x1bil:empty:19000:0:99999:7:::\ntoor:hash:19000:0:99999:7::19001:\n',
    'accounts.lastlog':
      'Username         Port     From             Latest\nroot                                       **Never logged in**\nops              pts/0    10.0.0.5         Mon Dec  1 10:00:00 +0000 2025\nold              pts/0    10.0.0.6         Mon Jan  2 10:00:00 +0000 2023\n',
  },
});
