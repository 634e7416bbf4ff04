/**
 * Evaluators over the values the collector redacted on the target (shared/facts/secrets.ts): a REDACTED marker
 * in a file says a password is set there, without the password.
 */
import { z } from 'zod';
import { FACTS, type FactId } from '../../../shared/facts/registry.js';
import { redactedLines } from '../../../shared/facts/secrets.js';
import type { FileFact } from '../../../shared/facts/snapshot.js';
import type { Evidence } from '../../../shared/model/results.js';
import type { EvalContext } from '../context.js';
import { fmtMode } from '../templates/file-mode.js';
import { FactUnavailable, outcome } from '../outcome.js';
import { excerpt } from '../parsers/text.js';
import { defineEvaluator } from './types.js';

/** The facts whose files may set a password (each has a secret rule in the registry). */
const PASSWORD_FACTS: FactId[] = ['auth.sssd', 'auth.ldap', 'auth.smb_credentials', 'fs.fstab'];

function filesOf(ctx: EvalContext, id: FactId): FileFact[] {
  const files = FACTS[id].kind === 'file' ? [ctx.file(id)] : ctx.fileset(id).files;
  for (const f of files) {
    if (f.exists && (f.problem === 'error' || f.problem === 'timeout')) throw new FactUnavailable(id, 'error', `${f.detail ?? f.problem} (${f.path})`);
  }
  return files.filter((f) => f.exists && f.stat?.type === 'file');
}

export const passwordsNotWorldReadable = defineEvaluator({
  name: 'passwords_not_world_readable',
  description:
    'Fails when a file that sets a password (a value the collector redacted: sssd.conf, LDAP client files, SMB credential files, fstab) can be read by every user.',
  params: z.strictObject({}),
  facts: PASSWORD_FACTS,
  run(ctx) {
    const expected = 'files that set a password are not readable by other users';
    const withPassword: { id: FactId; f: FileFact; lines: { line: number; text: string }[] }[] = [];
    for (const id of PASSWORD_FACTS) {
      for (const f of filesOf(ctx, id)) {
        const lines = redactedLines(f.content ?? '');
        if (lines.length > 0) withPassword.push({ id, f, lines });
      }
    }
    if (withPassword.length === 0)
      return outcome('not_applicable', expected, 'no password set in the files read', 'no file sets a password; nothing to check');
    const open = withPassword.filter((w) => ((w.f.stat?.mode ?? 0) & 0o004) !== 0);
    const describe = (w: (typeof withPassword)[number]) => `${w.f.path} ${fmtMode(w.f.stat?.mode ?? 0)} ${w.f.stat?.user ?? '?'}:${w.f.stat?.group ?? '?'}`;
    const evidence = (list: typeof withPassword): Evidence[] =>
      list.flatMap((w) =>
        w.lines.slice(0, 3).map((l) => ({ factId: w.id, path: w.f.path, line: l.line, excerpt: excerpt(`${fmtMode(w.f.stat?.mode ?? 0)}: ${l.text}`) })),
      );
    if (open.length === 0)
      return outcome(
        'pass',
        expected,
        withPassword.map(describe).join('; '),
        `${withPassword.length} file(s) set a password, none readable by other users`,
        evidence(withPassword),
      );
    return outcome(
      'fail',
      expected,
      open.map(describe).join('; '),
      `${open.length} file(s) that set a password can be read by every user`,
      evidence(open),
    );
  },
});
