/**
 * Template `kernel_module_disabled`: a kernel module cannot be loaded and is not loaded. Writes a rule over the
 * kmod.modprobe fileset (an `install <module> /bin/false` line and a `blacklist <module>` line) and kmod.loaded
 * (/proc/modules), a file in /etc/modprobe.d/ plus `modprobe -r` (shell), `ansible.builtin.copy` of the same file
 * plus `community.general.modprobe` with `state: absent`, and pass and fail scenarios.
 */
import { z } from 'zod';
import { ansibleTasks, type TemplateKind } from './common.js';

export const KernelModuleParams = z.strictObject({
  /** Module name as modprobe takes it (`usb-storage` and `usb_storage` are the same module). */
  module: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'kernel module name expected'),
  impact: z.string().max(300).optional(),
});
export type KernelModuleParams = z.infer<typeof KernelModuleParams>;

export const kernelModuleDisabled: TemplateKind<KernelModuleParams> = {
  kind: 'kernel_module_disabled',
  params: KernelModuleParams,
  expand(p, ctx) {
    // modprobe treats - and _ alike; /proc/modules spells the name with _.
    const re = p.module.replace(/[-_]/g, '[-_]');
    const loaded = p.module.replace(/-/g, '_');
    const file = `/etc/modprobe.d/${p.module}.conf`;
    const content = `install ${p.module} /bin/false\nblacklist ${p.module}\n`;
    const mods = (extra: string) => `ext4 1003520 1 - Live 0x0000000000000000\n${extra}`;
    return {
      rule: {
        type: 'all',
        describe: `${p.module} cannot be loaded (install /bin/false, blacklisted) and is not loaded`,
        rules: [
          {
            type: 'lines',
            fact: 'kmod.modprobe',
            pattern: `^install\\s+${re}\\s+/(usr/)?bin/(false|true)\\b`,
            expect: 'present',
          },
          { type: 'lines', fact: 'kmod.modprobe', pattern: `^blacklist\\s+${re}$`, expect: 'present' },
          { type: 'lines', fact: 'kmod.loaded', pattern: `^${loaded}\\s`, expect: 'absent', comment: '' },
        ],
      },
      remediation: {
        text: `Write \`install ${p.module} /bin/false\` and \`blacklist ${p.module}\` to ${file} and unload the module if it is loaded (\`modprobe -r ${p.module}\`).`,
        impact:
          p.impact ??
          'Whatever needs the module (devices, file systems) stops working; a loaded module in use cannot be unloaded until it is released or the host reboots.',
        shell: `mkdir -p /etc/modprobe.d\nprintf '%s\\n' 'install ${p.module} /bin/false' 'blacklist ${p.module}' > ${file}\nmodprobe -r ${p.module} 2>/dev/null || true`,
        ansible: ansibleTasks([
          {
            name: `${ctx.title || `Disable ${p.module}`}: the modprobe configuration directory`,
            'ansible.builtin.file': { path: '/etc/modprobe.d', state: 'directory', owner: 'root', group: 'root', mode: '0755' },
          },
          {
            name: `${ctx.title || `Disable ${p.module}`}: modprobe configuration`,
            'ansible.builtin.copy': { dest: file, content, owner: 'root', group: 'root', mode: '0644' },
          },
          {
            name: `${ctx.title || `Disable ${p.module}`}: unload`,
            'community.general.modprobe': { name: loaded, state: 'absent' },
          },
        ]),
      },
      scenarios: {
        pass: [
          {
            name: 'install /bin/false and blacklisted, not loaded',
            sets: { 'kmod.modprobe': { [file]: content } },
            files: { 'kmod.loaded': mods('') },
          },
        ],
        fail: [
          {
            name: 'no modprobe configuration',
            sets: { 'kmod.modprobe': {} },
            files: { 'kmod.loaded': mods('') },
          },
          {
            name: 'configured but still loaded',
            sets: { 'kmod.modprobe': { [file]: content } },
            files: { 'kmod.loaded': mods(`${loaded} 16384 0 - Live 0x0000000000000000\n`) },
          },
        ],
      },
    };
  },
};
