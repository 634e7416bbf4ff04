/**
 * Template `package_absent`: none of the named packages is installed. Writes the `package` rule, removal with
 * apt-get or dnf by platform (shell), `ansible.builtin.package` with `state: absent`, and pass and fail scenarios.
 */
import { z } from 'zod';
import { ansibleTasks, shQuote, type TemplateKind } from './common.js';

const pkgName = z.string().regex(/^[a-z0-9][a-z0-9.+_-]*$/, 'package name expected');

export const PackageAbsentParams = z.strictObject({
  /** Package names (alternatives across distributions); none may be installed. */
  names: z.array(pkgName).min(1).max(50),
  /** What depends on the package, for the impact note ("stops the telnet service"). */
  impact: z.string().max(300).optional(),
});
export type PackageAbsentParams = z.infer<typeof PackageAbsentParams>;

const list = (names: string[]) =>
  names.length === 1 ? `${names[0]}\tv1\tii \n` : names.map((n) => `${n}\t1.0\tii \n`).join('');

export const packageAbsent: TemplateKind<PackageAbsentParams> = {
  kind: 'package_absent',
  params: PackageAbsentParams,
  expand(p, ctx) {
    const words = p.names.map(shQuote).join(' ');
    const shown = p.names.map((n) => `\`${n}\``).join(', ');
    const shell = [
      `if command -v apt-get >/dev/null 2>&1; then apt-get purge -y ${words};`,
      `elif command -v dnf >/dev/null 2>&1; then dnf remove -y ${words};`,
      `else yum remove -y ${words}; fi`,
    ].join('\n');
    return {
      rule: { type: 'package', names: p.names, expect: 'absent' },
      remediation: {
        text: `Remove ${shown} (apt-get purge on Debian and Ubuntu, dnf remove on RHEL-family hosts), after checking that nothing on the host still needs it.`,
        impact:
          p.impact ??
          'Removes the package and the service it provides; packages that depend on it are removed too.',
        risky: true,
        shell,
        ansible: ansibleTasks([
          {
            name: ctx.title || `Remove ${p.names.join(', ')}`,
            'ansible.builtin.package': { name: p.names, state: 'absent' },
          },
        ]),
      },
      scenarios: {
        pass: [
          { name: 'not installed', cmds: { 'pkg.list': 'bash\t5.2.15-2\tii \ncoreutils\t9.1-1\tii \n' } },
        ],
        fail: p.names.map((n) => ({
          name: `${n} installed`,
          cmds: { 'pkg.list': `bash\t5.2.15-2\tii \n${list([n])}` },
        })),
      },
    };
  },
};
