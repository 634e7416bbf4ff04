/**
 * OpenSSH server defaults (OpenSSH 9.x portable), used when sshd_config does not set an option and `sshd -T`
 * is not available. Lower-case keywords.
 */
export const SSHD_DEFAULTS: Readonly<Record<string, string>> = {
  permitrootlogin: 'prohibit-password',
  passwordauthentication: 'yes',
  permitemptypasswords: 'no',
  maxauthtries: '6',
  maxsessions: '10',
  x11forwarding: 'no',
  allowtcpforwarding: 'yes',
  allowagentforwarding: 'yes',
  clientaliveinterval: '0',
  clientalivecountmax: '3',
  logingracetime: '120',
  banner: 'none',
  hostbasedauthentication: 'no',
  ignorerhosts: 'yes',
  permituserenvironment: 'no',
  loglevel: 'INFO',
  usepam: 'no',
  pubkeyauthentication: 'yes',
  kbdinteractiveauthentication: 'yes',
  gssapiauthentication: 'no',
  kerberosauthentication: 'no',
  permittunnel: 'no',
  gatewayports: 'no',
  strictmodes: 'yes',
  allowusers: '',
  allowgroups: '',
  denyusers: '',
  denygroups: '',
  maxstartups: '10:30:100',
  ciphers:
    'chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com',
  macs:
    'umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,' +
    'hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1',
  kexalgorithms:
    'sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,' +
    'ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,' +
    'diffie-hellman-group14-sha256',
};

/** Options whose value is an algorithm list that may start with `+` (append), `-` (remove) or `^` (prepend). */
export const SSHD_ALGORITHM_LISTS = new Set([
  'ciphers',
  'macs',
  'kexalgorithms',
  'hostkeyalgorithms',
  'pubkeyacceptedalgorithms',
  'casignaturealgorithms',
]);

/** Options holding a time (`1m30s`); `sshd -T` prints them in seconds. */
export const SSHD_TIME_OPTIONS = new Set(['logingracetime', 'clientaliveinterval']);

/** Older spellings that `sshd -T` and sshd_config may use for the same value. */
export const SSHD_VALUE_ALIASES: Readonly<Record<string, Record<string, string>>> = {
  permitrootlogin: { 'without-password': 'prohibit-password' },
};

/** Parses an sshd time value (`90`, `1m30s`, `2h`) into seconds; null when malformed. */
export function parseSshdTime(value: string): number | null {
  const v = value.trim().toLowerCase();
  if (!/^(\d{1,9}[smhdw]?)+$/.test(v) || v.length > 64) return null;
  const units: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  let total = 0;
  for (const m of v.matchAll(/(\d+)([smhdw]?)/g)) total += Number(m[1]) * (units[m[2] ?? ''] ?? 1);
  return total;
}
