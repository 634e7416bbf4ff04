/**
 * Template `file_mode`: mode and ownership of a file (of a file or fileset fact). Writes the `file_mode` rule,
 * chown/chmod (shell), `ansible.builtin.file`, and pass and fail scenarios.
 */
import { z } from 'zod';
import { FACTS, isFactId, type FactId } from '../../../shared/facts/registry.js';
import { ansibleTasks, shQuote, type TemplateKind } from './common.js';

const octal = z.string().regex(/^0?[0-7]{3,4}$/, 'octal mode expected, e.g. "0640"');
const name = z.string().regex(/^[a-z_][a-z0-9_-]*$/, 'user or group name expected');

export const FileModeParams = z.strictObject({
  /** Absolute path of the file. */
  path: z.string().regex(/^\/[A-Za-z0-9._/-]+$/, 'absolute path expected'),
  /** The fact holding the file's stat: a file fact for that path, or a fileset listing it. */
  fact: z.string().refine(isFactId, { message: 'unknown fact id' }),
  max_mode: octal,
  owner: name.default('root'),
  group: name.default('root'),
  /** Groups accepted besides `group` (e.g. `shadow` on Debian). */
  also_groups: z.array(name).max(8).optional(),
  missing: z.enum(['pass', 'fail', 'not_applicable']).optional(),
});
export type FileModeParams = z.infer<typeof FileModeParams>;

export const fileMode: TemplateKind<FileModeParams> = {
  kind: 'file_mode',
  params: FileModeParams,
  expand(p, ctx) {
    const mode = p.max_mode.padStart(4, '0');
    const def = FACTS[p.fact as FactId];
    const isSet = def.kind === 'fileset';
    const spec = (m: string, user: string) => ({ content: '', mode: m, user, group: p.group });
    const pass = isSet
      ? { sets: { [p.fact]: { [p.path]: spec(mode, p.owner) } } }
      : { files: { [p.fact]: spec(mode, p.owner) } };
    // One permission bit outside max_mode (world-readable or, for 0644, world-writable) fails.
    const worse = (parseInt(mode, 8) | (parseInt(mode, 8) & 0o004 ? 0o002 : 0o004))
      .toString(8)
      .padStart(4, '0');
    const failMode = isSet
      ? { sets: { [p.fact]: { [p.path]: spec(worse, p.owner) } } }
      : { files: { [p.fact]: spec(worse, p.owner) } };
    return {
      rule: {
        type: 'file_mode',
        fact: p.fact,
        ...(isSet ? { path: p.path } : {}),
        max_mode: mode,
        owner: [p.owner],
        group: [p.group, ...(p.also_groups ?? [])],
        missing: p.missing ?? 'not_applicable',
      },
      remediation: {
        text: `Set owner ${p.owner}:${p.group} and mode ${mode} (or stricter) on ${p.path}.`,
        impact: 'No restart; programs that read the file as another user can no longer do so.',
        shell: `chown ${shQuote(`${p.owner}:${p.group}`)} ${shQuote(p.path)} && chmod ${mode} ${shQuote(p.path)}`,
        ansible: ansibleTasks([
          {
            name: ctx.title || `Protect ${p.path}`,
            'ansible.builtin.file': { path: p.path, owner: p.owner, group: p.group, mode },
          },
        ]),
      },
      scenarios: {
        pass: [{ name: `${p.owner}:${p.group} ${mode}`, ...pass }],
        fail: [{ name: `mode ${worse}`, ...failMode }],
      },
    };
  },
};
