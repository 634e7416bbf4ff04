/**
 * `foureyes audit verify [--checkpoint FILE] [--json]`: recomputes the trail's chain and signatures (exit 0 when it
 * verifies, 1 naming the first bad event, 2 for a usage or workspace error). `foureyes audit checkpoint --as NAME
 * -o FILE`: writes a signed checkpoint of the trail as it is, to check a later copy against.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { TrailReport } from '../../../shared/model/audit.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { checkCheckpoint, CheckpointSchema, makeCheckpoint } from '../../audit/checkpoint.js';
import { verifyTrail } from '../../audit/verify.js';
import { actingFromCli } from '../acting.js';
import { term, termJson } from '../term.js';
import { openExisting } from '../workspace.js';

type Opts = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function readCheckpoint(file: string) {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const why = e instanceof SyntaxError ? 'not JSON' : ((e as NodeJS.ErrnoException).code ?? 'unreadable');
    throw new FoureyesError('bad_input', `cannot read the checkpoint ${file} (${why})`);
  }
  const r = CheckpointSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new FoureyesError(
      'bad_input',
      `${file} is not a checkpoint: field "${issue.path.join('.')}" is not valid`,
    );
  }
  return r.data;
}

function describe(trail: TrailReport): string {
  if (trail.ok) return `audit trail verified: ${trail.count} events, head ${trail.headHash}`;
  const bad = trail.firstBad!;
  return `audit trail does not verify: event ${bad.seq} (${term(bad.id)}): ${term(bad.reason)}; the ${trail.count} events before it verify`;
}

export function auditVerify(o: Opts): number {
  const cpFile = str(o.checkpoint);
  const checkpoint = cpFile === undefined ? undefined : readCheckpoint(cpFile);
  const ws = openExisting(str(o.workspace));
  try {
    const check = checkpoint ? checkCheckpoint(ws, checkpoint) : undefined;
    const trail = check?.trail ?? verifyTrail(ws);
    const ok = trail.ok && (check?.ok ?? true);
    if (o.json) {
      const against = check
        ? { checkpoint: { ok: check.ok, ...(check.reason ? { reason: check.reason } : {}) } }
        : {};
      process.stdout.write(`${termJson({ ...trail, ...against })}\n`);
    } else {
      process.stdout.write(`${describe(trail)}\n`);
      if (check && trail.ok)
        process.stdout.write(
          check.ok
            ? `checkpoint ${term(cpFile!)} holds\n`
            : `checkpoint ${term(cpFile!)}: ${term(check.reason ?? '')}\n`,
        );
    }
    return ok ? 0 : 1;
  } finally {
    ws.close();
  }
}

export async function auditCheckpoint(o: Opts): Promise<number> {
  const file = str(o.output);
  const as = str(o.as);
  if (!file || !as) throw new FoureyesError('bad_input', 'audit checkpoint: give --as NAME and -o FILE');
  const ws = openExisting(str(o.workspace));
  try {
    const cp = makeCheckpoint(ws, await actingFromCli(ws, as, { file: str(o.passphraseFile) }));
    try {
      writeFileSync(file, `${JSON.stringify(cp, null, 2)}\n`);
    } catch (e) {
      throw new FoureyesError(
        'bad_input',
        `cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    process.stdout.write(
      `checkpoint of ${cp.count} events signed by ${term(cp.signer.name)} written to ${term(file)}\n`,
    );
    return 0;
  } finally {
    ws.close();
  }
}
