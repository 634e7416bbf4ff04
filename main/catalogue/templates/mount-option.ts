/**
 * Template `mount_option`: a path is a separate mount (`options: []`) or is mounted with every listed option
 * (nodev, nosuid, noexec). Writes the `mount_option` rule over /proc/self/mounts; for options an edit of the
 * path's /etc/fstab line plus a remount (shell), `ansible.builtin.replace` on /etc/fstab plus
 * `ansible.posix.mount` `state: remounted`; for a separate mount a new fstab entry when `fstype` says what to
 * mount (tmpfs), else the steps to create a volume; and pass, fail and not-applicable scenarios.
 */
import { z } from 'zod';
import type { Scenario } from '../../../shared/checks/scenario.js';
import {
  ansibleTasks,
  reEscape,
  registerName,
  shQuote,
  type Generated,
  type TemplateKind,
} from './common.js';

const option = z.string().regex(/^[a-z][a-z0-9_]*$/, 'mount option expected (nodev, nosuid, noexec)');

export const MountOptionParams = z.strictObject({
  /** The mount point. */
  path: z.string().regex(/^\/[A-Za-z0-9._/-]*$/, 'absolute path expected'),
  /** Options that must all be in effect; empty (the default): the path only has to be a separate mount. */
  options: z.array(option).max(16).default([]),
  /** Verdict when nothing is mounted on the path: `fail` (default without options), `not_applicable` (default with options). */
  missing: z.enum(['fail', 'not_applicable']).optional(),
  /** For a separate mount that can be created by a line in /etc/fstab (tmpfs): its type, source and options. */
  fstype: z
    .string()
    .regex(/^[a-z0-9.]+$/, 'file system type expected')
    .optional(),
  src: z
    .string()
    .regex(/^[A-Za-z0-9=/._:-]+$/, 'device, LABEL= or UUID= expected')
    .optional(),
  opts: z
    .string()
    .regex(/^[A-Za-z0-9=,._-]+$/, 'mount options expected')
    .optional(),
  describe: z.string().max(300).optional(),
});
export type MountOptionParams = z.infer<typeof MountOptionParams>;

const BASE =
  '/dev/vda1 / ext4 rw,relatime,errors=remount-ro 0 0\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n' +
  'sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\n';

const mounts = (line: string): Scenario['files'] => ({ 'fs.mounts': BASE + line });

function optionsRemediation(p: MountOptionParams, opts: string[], id: string): Generated['remediation'] {
  const list = opts.join(',');
  const path = p.path;
  const noexec = opts.includes('noexec');
  const awk =
    `awk -v mp=${shQuote(path)} -v add=${shQuote(list)} 'BEGIN { n = split(add, a, ",") } ` +
    '$1 !~ /^#/ && $2 == mp { for (i = 1; i <= n; i++) if (index("," $4 ",", "," a[i] ",") == 0) $4 = $4 "," a[i] } { print }\' ' +
    '/etc/fstab > /etc/fstab.foureyes';
  const shell = [
    `# add ${list} to the options (4th field) of the ${path} line in /etc/fstab, then remount`,
    'cp -p /etc/fstab /etc/fstab.bak',
    `${awk} && cat /etc/fstab.foureyes > /etc/fstab && rm -f /etc/fstab.foureyes`,
    `mount -o remount ${shQuote(path)}`,
  ].join('\n');
  const reg = registerName(id, 'fstab');
  const ansible = ansibleTasks([
    {
      name: `Add ${list} to the ${path} entry in /etc/fstab`,
      'ansible.builtin.replace': {
        path: '/etc/fstab',
        // The options field of the path's line, when it lacks the option; idempotent.
        regexp: `^(\\s*[^#\\s]\\S*\\s+${reEscape(path)}\\s+\\S+\\s+)(?!(?:\\S*,)?{{ item }}(?:,|\\s|$))(\\S+)(.*)$`,
        replace: '\\1\\2,{{ item }}\\3',
      },
      loop: opts,
      register: reg,
    },
    {
      name: `Remount ${path} with the options of /etc/fstab`,
      'ansible.posix.mount': { path, state: 'remounted' },
      when: `${reg}.changed`,
    },
  ]);
  return {
    text:
      `Add ${list} to the options of the ${path} entry in /etc/fstab (or of its systemd mount unit) and remount ` +
      `${path}; \`findmnt ${path}\` then shows the options in effect.`,
    impact:
      `Remounts ${path} at once, without a reboot.` +
      (noexec
        ? ` With noexec nothing can be run directly from ${path}: some installers, package scripts and build tools that execute from there fail until they are pointed elsewhere (e.g. TMPDIR).`
        : '') +
      (opts.includes('nosuid') ? ` SUID and SGID bits of programs on ${path} are ignored.` : '') +
      (opts.includes('nodev') ? ` Device files on ${path} can no longer be opened.` : ''),
    shell,
    ansible,
  };
}

function separateRemediation(p: MountOptionParams): Generated['remediation'] {
  const path = p.path;
  if (p.fstype) {
    const src = p.src ?? p.fstype;
    const opts = p.opts ?? 'defaults';
    const line = `${src} ${path} ${p.fstype} ${opts} 0 0`;
    return {
      text: `Mount ${path} as its own file system: add \`${line}\` to /etc/fstab and mount it.`,
      impact: `Whatever ${path} holds now is hidden under the new mount until it is unmounted; stop the programs that use ${path} first.`,
      shell: [
        `grep -Eq '^[^#[:space:]]+[[:space:]]+${reEscape(path)}[[:space:]]' /etc/fstab || printf '%s\\n' ${shQuote(line)} >> /etc/fstab`,
        `findmnt --kernel ${shQuote(path)} >/dev/null || mount ${shQuote(path)}`,
      ].join('\n'),
      ansible: ansibleTasks([
        {
          name: `Mount ${path} as its own file system`,
          'ansible.posix.mount': { path, src, fstype: p.fstype, opts, state: 'mounted' },
        },
      ]),
    };
  }
  return {
    text:
      `Give ${path} its own partition or logical volume: create it, copy the current content of ${path} onto it ` +
      `(from single-user mode or a rescue system), add it to /etc/fstab by UUID and mount it. Best done when the ` +
      'host is installed.',
    impact: `Needs a maintenance window: the programs that write to ${path} must be stopped while its content is moved, and a reboot is advisable.`,
    shell: [
      `# ${path} must be a separate file system: create a volume for it (e.g. lvcreate), copy the data,`,
      `# add "UUID=<uuid> ${path} <type> defaults 0 2" to /etc/fstab, then mount it`,
      `findmnt --kernel ${shQuote(path)} || echo ${shQuote(`${path} is not a separate file system`)}`,
    ].join('\n'),
    ansible: ansibleTasks([
      {
        name: `${path} is a separate file system`,
        'ansible.builtin.assert': {
          that: [`ansible_facts.mounts | selectattr('mount', 'equalto', '${path}') | list | length > 0`],
          fail_msg: `${path} is not a separate file system: create a volume for it, move the data and add it to /etc/fstab`,
        },
      },
    ]),
  };
}

export const mountOption: TemplateKind<MountOptionParams> = {
  kind: 'mount_option',
  params: MountOptionParams,
  expand(p, ctx) {
    const opts = p.options;
    const missing = p.missing ?? (opts.length === 0 ? 'fail' : 'not_applicable');
    const rule: Record<string, unknown> = {
      type: 'mount_option',
      mount_point: p.path,
      options: opts,
      missing_mount: missing,
    };
    if (p.describe !== undefined) rule.describe = p.describe;
    const fstype = p.fstype ?? (p.path === '/tmp' || p.path === '/dev/shm' ? 'tmpfs' : 'ext4');
    const dev =
      fstype === 'tmpfs'
        ? 'tmpfs'
        : '/dev/mapper/vg0-' + (p.path.replace(/^\/+/, '').replace(/\//g, '_') || 'root');
    const line = (o: string[]) => `${dev} ${p.path} ${fstype} ${['rw', ...o, 'relatime'].join(',')} 0 0\n`;
    const all = [...new Set([...opts, 'nodev', 'nosuid'])];
    const nothing: Scenario = { name: `nothing mounted on ${p.path}`, files: mounts('') };
    const scenarios: Generated['scenarios'] =
      opts.length === 0
        ? { pass: [{ name: `${p.path} mounted`, files: mounts(line(all)) }], fail: [nothing] }
        : {
            pass: [{ name: `${p.path} mounted ${opts.join(',')}`, files: mounts(line(all)) }],
            fail: [
              ...opts.map((o) => ({
                name: `${p.path} without ${o}`,
                files: mounts(line(all.filter((x) => x !== o))),
              })),
              ...(missing === 'fail' ? [nothing] : []),
            ],
            ...(missing === 'not_applicable' ? { not_applicable: [nothing] } : {}),
          };
    return {
      rule,
      remediation: opts.length === 0 ? separateRemediation(p) : optionsRemediation(p, opts, ctx.id),
      scenarios,
    };
  },
};
