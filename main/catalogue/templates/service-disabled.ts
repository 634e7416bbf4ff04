/**
 * Template `service_disabled`: none of the named systemd units is enabled or active. Writes a rule over the
 * services.unit_files and services.active facts, `systemctl disable --now` (or `mask`) in the shell,
 * `ansible.builtin.systemd` with `enabled: false` / `masked: true`, and pass and fail scenarios.
 */
import { z } from 'zod';
import { ansibleTasks, reEscape, shQuote, type TemplateKind } from './common.js';

const unit = z
  .string()
  .regex(/^[A-Za-z0-9@_.:-]+\.(service|socket)$/, 'systemd unit name expected (name.service or name.socket)');

export const ServiceDisabledParams = z.strictObject({
  /** Unit names (alternatives across distributions: `apache2.service`, `httpd.service`). */
  units: z.array(unit).min(1).max(32),
  /** Mask the units as well, so that nothing can start them (default false). */
  mask: z.boolean().default(false),
  /** What stops working, for the impact note. */
  impact: z.string().max(300).optional(),
  /**
   * The packages that ship the units (alternatives across distributions). None installed passes whatever the
   * service manager says, or whether there is one: a service that is not installed cannot run.
   */
  packages: z.array(z.string().regex(/^[a-z0-9][a-z0-9+.-]*$/, 'package name expected')).min(1).max(32).optional(),
});
export type ServiceDisabledParams = z.infer<typeof ServiceDisabledParams>;

export const serviceDisabled: TemplateKind<ServiceDisabledParams> = {
  kind: 'service_disabled',
  params: ServiceDisabledParams,
  expand(p, ctx) {
    const names = `(${p.units.map(reEscape).join('|')})`;
    const words = p.units.map(shQuote).join(' ');
    const shown = p.units.join(', ');
    const unitFiles = (lines: string) => ({ 'services.unit_files': `ssh.service enabled enabled\n${lines}` });
    // With packages named, a fail scenario has one of them installed (else the package rule passes it).
    const installed = p.packages ? { 'pkg.list': `bash\t5.2.15-2\tii \n${p.packages[0]}\t1.0-1\tii \n` } : {};
    const units = {
      type: 'all',
      describe: `${shown} neither enabled nor active`,
      rules: [
          {
            type: 'command_output',
            fact: 'services.unit_files',
            pattern: `^${names}\\s+(enabled|enabled-runtime|linked|alias)\\b`,
            expect: 'absent',
          },
        { type: 'command_output', fact: 'services.active', pattern: `^${names}\\s`, expect: 'absent' },
      ],
    };
    return {
      rule: p.packages
        ? {
            type: 'any',
            describe: `${p.packages.join(', ')} not installed, or ${shown} neither enabled nor active`,
            rules: [{ type: 'package', names: p.packages, expect: 'absent' }, units],
          }
        : units,
      remediation: {
        text: `Stop and disable ${shown}${p.mask ? ' and mask it, so that no other unit can start it' : ''}; remove the package when nothing needs it.`,
        impact:
          p.impact ??
          'Stops the service at once; whatever used it on this host or over the network stops working.',
        risky: true,
        shell: `systemctl disable --now ${words}${p.mask ? `\nsystemctl mask ${words}` : ''}`,
        ansible: ansibleTasks([
          {
            name: ctx.title || `Disable ${shown}`,
            'ansible.builtin.systemd': {
              name: '{{ item }}',
              state: 'stopped',
              enabled: false,
              ...(p.mask ? { masked: true } : {}),
            },
            loop: p.units,
            when: `item in ansible_facts.services or item.endswith('.socket')`,
            failed_when: false,
          },
        ]),
      },
      scenarios: {
        pass: [
          {
            name: 'disabled and inactive',
            cmds: {
              ...unitFiles(p.units.map((u) => `${u} disabled enabled\n`).join('')),
              'services.active': 'ssh.service loaded active running OpenBSD Secure Shell server\n',
            },
          },
          {
            name: 'not installed',
            cmds: {
              ...unitFiles(''),
              'services.active': 'ssh.service loaded active running OpenBSD Secure Shell server\n',
            },
          },
          ...(p.packages
            ? [
                {
                  name: 'no package installed, no service manager',
                  cmds: {
                    'pkg.list': 'bash\t5.2.15-2\tii \n',
                    'services.unit_files': { problem: 'missing' as const },
                    'services.active': { problem: 'missing' as const },
                  },
                },
              ]
            : []),
        ],
        fail: p.units.flatMap((u) => [
          { name: `${u} enabled`, cmds: { ...installed, ...unitFiles(`${u} enabled enabled\n`), 'services.active': '' } },
          {
            name: `${u} active`,
            cmds: {
              ...installed,
              ...unitFiles(`${u} disabled enabled\n`),
              'services.active': `${u} loaded active running X\n`,
            },
          },
        ]),
      },
    };
  },
};
