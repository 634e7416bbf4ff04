/**
 * `foureyes audit verify [--checkpoint FILE] [--json]`: recomputes the trail's chain and signatures (exit 0 when it
 * verifies, 1 naming the first bad event, 2 for a usage or workspace error). The checkpoint may be a checkpoint
 * file, or a review package or answer written from this workspace: it is verified whole, its checkpoint checked, and
 * the event that wrote it (review.export, review.answer, with the file's hash) must be in the trail after it. `foureyes audit checkpoint --as NAME
 * -o FILE`: writes a signed checkpoint of the trail as it is, to check a later copy against.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Checkpoint, TrailReport } from '../../../shared/model/audit.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { checkCheckpoint, CheckpointSchema, makeCheckpoint } from '../../audit/checkpoint.js';
import { verifyTrail } from '../../audit/verify.js';
import { ANSWER_FORMAT, PACKAGE_FORMAT } from '../../review/format.js';
import { verifyAnswer } from '../../review/verify-answer.js';
import { verifyPackage } from '../../review/verify-package.js';
import type { Workspace } from '../../store/db.js';
import { actingFromCli } from '../acting.js';
import { term, termJson } from '../term.js';
import { openExisting } from '../workspace.js';

type Opts = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The trail event a review file's checkpoint comes with: the export of the package, the answer. */
interface CarriedBy {
  what: 'review package' | 'review answer';
  action: 'review.export' | 'review.answer';
  object: { type: string; id: string };
  /** The details field holding the file's SHA-256, and that hash. */
  field: 'packageSha256' | 'answerSha256';
  sha256: string;
}

/**
 * A checkpoint file, or a review package or answer carrying one (verified whole first: a changed byte or a signature
 * not its signer's is refused with the reason, exit 2).
 */
function readCheckpoint(file: string): { checkpoint: Checkpoint; carriedBy?: CarriedBy } {
  let bytes: Buffer;
  let value: unknown;
  try {
    bytes = readFileSync(file);
    value = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    const why = e instanceof SyntaxError ? 'not JSON' : ((e as NodeJS.ErrnoException).code ?? 'unreadable');
    throw new FoureyesError('bad_input', `cannot read the checkpoint ${file} (${why})`);
  }
  const format = (value as { format?: unknown } | null)?.format;
  const refusedAs = (fn: () => CarriedBy & { checkpoint: Checkpoint }) => {
    try {
      const { checkpoint, ...carriedBy } = fn();
      return { checkpoint, carriedBy };
    } catch (e) {
      if (e instanceof FoureyesError) throw new FoureyesError(e.code, `${file}: ${e.message}`, e.details);
      throw e;
    }
  };
  if (format === PACKAGE_FORMAT)
    return refusedAs(() => {
      const { pkg, sha256 } = verifyPackage(bytes);
      return {
        what: 'review package',
        action: 'review.export',
        object: { type: 'review_package', id: pkg.id },
        field: 'packageSha256',
        sha256,
        checkpoint: pkg.checkpoint,
      };
    });
  if (format === ANSWER_FORMAT)
    return refusedAs(() => {
      const { answer, sha256 } = verifyAnswer(bytes);
      return {
        what: 'review answer',
        action: 'review.answer',
        object: { type: 'review_answer', id: answer.id },
        field: 'answerSha256',
        sha256,
        checkpoint: answer.checkpoint,
      };
    });
  const r = CheckpointSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new FoureyesError(
      'bad_input',
      `${file} is not a checkpoint: field "${issue.path.join('.')}" is not valid`,
    );
  }
  return { checkpoint: r.data };
}

/** Whether the trail holds the event that wrote the review file, with the file's hash, after its checkpoint. */
function carrierEvent(ws: Workspace, c: CarriedBy, checkpoint: Checkpoint): string | undefined {
  const ev = ws.audit.forObject(c.object.type, c.object.id).find((e) => e.action === c.action);
  const name = `the ${c.action} event of ${c.what} ${c.object.id}`;
  if (!ev) return `the trail holds no ${c.action} event for ${c.what} ${c.object.id}: it was not written from this trail, or the event is gone`;
  let details: Record<string, unknown> | null = null;
  try {
    details = JSON.parse(ev.details ?? 'null') as Record<string, unknown> | null;
  } catch {
    // an unreadable event fails the trail's verification already
  }
  if (details?.[c.field] !== c.sha256)
    return `${name} (seq ${ev.seq}) records another file: its ${c.field} is not the SHA-256 of this file`;
  if (ev.seq <= checkpoint.count)
    return `${name} is at seq ${ev.seq}, inside the checkpoint it carries (${checkpoint.count} events): the trail was reordered`;
  return undefined;
}

function describe(trail: TrailReport): string {
  if (trail.ok) return `audit trail verified: ${trail.count} events, head ${trail.headHash}`;
  const bad = trail.firstBad!;
  return `audit trail does not verify: event ${bad.seq} (${term(bad.id)}): ${term(bad.reason)}; the ${trail.count} events before it verify`;
}

export function auditVerify(o: Opts): number {
  const cpFile = str(o.checkpoint);
  const read = cpFile === undefined ? undefined : readCheckpoint(cpFile);
  const ws = openExisting(str(o.workspace));
  try {
    const cp = read ? checkCheckpoint(ws, read.checkpoint) : undefined;
    const carried = cp?.ok && read?.carriedBy ? carrierEvent(ws, read.carriedBy, read.checkpoint) : undefined;
    const check = cp && carried !== undefined ? { ...cp, ok: false, reason: carried } : cp;
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
            ? `checkpoint ${read?.carriedBy ? `of the ${read.carriedBy.what} ` : ''}${term(cpFile!)} holds${read?.carriedBy ? `, and the trail holds its ${read.carriedBy.action} event` : ''}\n`
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
